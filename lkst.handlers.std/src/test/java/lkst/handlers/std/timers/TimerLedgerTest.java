package lkst.handlers.std.timers;

import static lkst.handlers.std.timers.TimerLedger.ARM;
import static lkst.handlers.std.timers.TimerLedger.CREATE;
import static lkst.handlers.std.timers.TimerLedger.DESTROY;
import static lkst.handlers.std.timers.TimerLedger.DISARM;
import static lkst.handlers.std.timers.TimerLedger.FIRE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Synthetic event streams with known answers: which objects were freed with a timer inside them armed. */
class TimerLedgerTest {
    final List<Finding> found = new ArrayList<>();
    final TimerLedger ledger = new TimerLedger(1000, found::add);

    void ev(int kind, long t, long address, long size, int pid) { ledger.accept(kind, t, address, size, pid); }

    @Test
    void objectFreedWithItsTimerArmedIsReportedWithWhoArmedAndWhoFreed() {
        ev(CREATE, 100, 0x1000, 64, 7);
        ev(ARM, 200, 0x1020, 0, 8);
        ev(DESTROY, 300, 0x1000, 0, 9);
        assertEquals(1, found.size());
        Finding f = found.get(0);
        assertEquals(0x1000, f.object());
        assertEquals(0x1020, f.timer());
        assertEquals(200, f.armedAt());
        assertEquals(8, f.armedBy());
        assertEquals(300, f.freedAt());
        assertEquals(9, f.freedBy());
        assertFalse(f.fired());
        assertTrue(f.toString().startsWith("object 0x1000 (64 bytes, created 0.000000100 by pid 7) freed at 0.000000300 by pid 9 "
                + "while its timer 0x1020 was armed (at 0.000000200 by pid 8)"), f.toString());
    }

    @Test
    void theTimerFiringAfterTheFreeIsReportedToo() {
        ev(CREATE, 100, 0x1000, 64, 7);
        ev(ARM, 200, 0x1020, 0, 7);
        ev(DESTROY, 300, 0x1000, 0, 7);
        ev(FIRE, 400, 0x1020, 0, 7);
        assertEquals(2, found.size());
        assertTrue(found.get(1).fired());
        assertEquals(400, found.get(1).firedAt());
        assertEquals(0, ledger.armedTimers());
    }

    @Test
    void timerDeletedOrFiredBeforeTheFreeIsNoFinding() {
        ev(CREATE, 100, 0x1000, 64, 7);
        ev(ARM, 200, 0x1020, 0, 7);
        ev(DISARM, 250, 0x1020, 0, 7);
        ev(DESTROY, 300, 0x1000, 0, 7);
        ev(CREATE, 400, 0x2000, 64, 7);
        ev(ARM, 500, 0x2020, 0, 7);
        ev(ARM, 510, 0x2020, 0, 7); // modified while pending: still one armed timer
        ev(FIRE, 600, 0x2020, 0, 7);
        ev(DESTROY, 700, 0x2000, 0, 7);
        assertEquals(List.of(), found);
        assertEquals(0, ledger.objects());
        assertEquals(0, ledger.armedTimers());
    }

    @Test
    void aTimerOutsideEveryTrackedObjectIsNotCheckedButCounted() {
        ev(CREATE, 100, 0x1000, 64, 7);
        ev(ARM, 200, 0x1040, 0, 7); // one past the end
        ev(ARM, 210, 0x0ff8, 0, 7); // before the start
        ev(DESTROY, 300, 0x1000, 0, 7);
        ev(DESTROY, 310, 0x5000, 0, 7); // its allocation was not seen
        assertEquals(List.of(), found);
        assertEquals(2, ledger.untrackedArmings());
        assertEquals(1, ledger.untrackedFrees());
    }

    @Test
    void whenFullTheOldestObjectIsEvictedAndCountedAndMemoryStaysBounded() {
        TimerLedger small = new TimerLedger(100, found::add);
        for (int i = 0; i < 1000; i++) {
            small.accept(CREATE, i, 0x10000L + i * 0x100L, 0x100, 1);
            small.accept(ARM, i, 0x10000L + i * 0x100L + 8, 0, 1);
        }
        assertEquals(100, small.objects());
        assertEquals(100, small.armedTimers(), "an evicted object's timers go with it");
        assertEquals(900, small.evictions());
        small.accept(DESTROY, 2000, 0x10000L, 0, 1); // evicted long ago: cannot be checked
        small.accept(DESTROY, 2001, 0x10000L + 999 * 0x100L, 0, 1);
        assertEquals(1, found.size());
        assertEquals(0x10000L + 999 * 0x100L, found.get(0).object());
    }

    @Test
    void aShuffledStreamThroughTheWindowGivesTheAnswerOfTheOrderedOne() {
        // CPU 1 frees (t=300) and its page reaches the handler before CPU 0's page with the create and the arm
        ReorderWindow w = new ReorderWindow(1000, 64, ledger);
        w.offer(DESTROY, 300, 0x1000, 0, 9);
        w.offer(CREATE, 100, 0x1000, 64, 7);
        w.offer(ARM, 200, 0x1020, 0, 8);
        w.drain(1299);
        assertEquals(List.of(), found, "not yet: the window holds them");
        w.drain(1300);
        assertEquals(1, found.size(), "in time order the free comes after the arm");
        assertEquals(0, ledger.untrackedFrees());
    }
}
