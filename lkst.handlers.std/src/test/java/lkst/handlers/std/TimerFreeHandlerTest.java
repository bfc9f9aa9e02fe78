package lkst.handlers.std;

import static lkst.handlers.std.KernelEvent.alloc;
import static lkst.handlers.std.KernelEvent.cancel;
import static lkst.handlers.std.KernelEvent.expire;
import static lkst.handlers.std.KernelEvent.free;
import static lkst.handlers.std.KernelEvent.kfree;
import static lkst.handlers.std.KernelEvent.kmalloc;
import static lkst.handlers.std.KernelEvent.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** timer-free on synthetic kernel event streams with known answers, delivered the way two CPUs' readers do. */
class TimerFreeHandlerTest {
    static final long WINDOW = 100_000_000L;
    final TimerFreeHandler handler = new TimerFreeHandler();

    long param(String name) {
        return (Long) handler.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().value();
    }

    void deliver(List<KernelEvent> events) {
        for (KernelEvent e : events) handler.handle(e, null);
    }

    @Test
    void kernelObjectFreedWithATimerInsideItArmedIsReportedEvenWhenItsCpuArrivesFirst() {
        // CPU 1 frees the object; its page reaches the handler before CPU 0's page with the allocation and timer start
        deliver(List.of(free(1, 3_000, 0xffff0000_1000L), alloc(0, 1_000, 0xffff0000_1000L, 256),
                start(0, 2_000, 0xffff0000_1040L)));
        handler.drain(3_000 + WINDOW);
        assertEquals(1, param("found"));
        assertTrue(handler.findings().get(0).startsWith("timer-free: object 0xffff00001000 (256 bytes, created 0.000001000 by pid 1) "
                + "freed at 0.000003000 by pid 1 while its timer 0xffff00001040 was armed (at 0.000002000 by pid 2)"), handler.findings().get(0));
        assertEquals(0, param("late"));
    }

    @Test
    void timerCancelledOrExpiredBeforeTheFreeAndTimersOutsideTheObjectAreNoFinding() {
        deliver(List.of(kmalloc(0, 1_000, 0x1000, 64), start(0, 2_000, 0x1010), cancel(0, 3_000, 0x1010), kfree(0, 4_000, 0x1000),
                alloc(1, 5_000, 0x2000, 64), start(1, 6_000, 0x2010), expire(1, 7_000, 0x2010), free(1, 8_000, 0x2000),
                alloc(0, 9_000, 0x3000, 64), start(0, 10_000, 0x3040), free(0, 11_000, 0x3000), // timer one past the end
                kfree(0, 12_000, 0), kfree(0, 13_000, 0x9000)));                                  // kfree(NULL), untracked
        handler.drain(13_000 + WINDOW);
        assertEquals(0, param("found"), handler.findings().toString());
        assertEquals(1, param("untracked-frees"));
        assertEquals(0, param("objects"));
        assertEquals(0, param("armed"));
    }

    @Test
    void aRandomStreamShuffledByPageAcrossTwoCpusGivesTheKnownAnswer() {
        Random r = new Random(2002);
        List<List<KernelEvent>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
        Set<Long> expected = new TreeSet<>();
        long t = 0;
        for (int i = 0; i < 3000; i++) {
            long obj = 0xffff8880_0000_0000L + i * 0x400L;
            long timer = obj + 8 * r.nextInt(64);
            int c = r.nextInt(2);
            cpu.get(c).add(alloc(c, t += 100_000, obj, 512));
            cpu.get(c).add(start(c, t += 100_000, timer));
            switch (r.nextInt(4)) {
                case 0 -> cpu.get(1 - c).add(cancel(1 - c, t += 100_000, timer));
                case 1 -> cpu.get(1 - c).add(expire(1 - c, t += 100_000, timer));
                case 2 -> { if (i % 100 != 0) cpu.get(c).add(cancel(c, t += 100_000, timer)); else expected.add(obj); }
                default -> cpu.get(c).add(expire(c, t += 100_000, timer));
            }
            cpu.get(1 - c).add(free(1 - c, t += 100_000, obj));
        }
        // each reader dispatches a page at a time: here every 2 ms of one CPU's events, then the other CPU's 2 ms
        // (which CPU goes first alternates), so a free often arrives before the allocation and the timer start
        handler.parameters().stream().filter(p -> p.name().equals("window-ms")).findFirst().orElseThrow().set("10");
        int[] next = {0, 0};
        for (long slice = 2_000_000; next[0] < cpu.get(0).size() || next[1] < cpu.get(1).size(); slice += 2_000_000) {
            for (int k = 0; k < 2; k++) {
                int c = (int) ((slice / 2_000_000 + k) % 2);
                List<KernelEvent> events = cpu.get(c);
                while (next[c] < events.size() && events.get(next[c]).timestamp() < slice) handler.handle(events.get(next[c]++), null);
            }
            handler.drain(slice);
        }
        handler.drain(t + 10_000_000);
        Set<Long> reported = new TreeSet<>();
        for (String f : handler.findings()) reported.add(Long.parseUnsignedLong(f.replaceAll("timer-free: object 0x([0-9a-f]+) .*", "$1"), 16));
        assertTrue(expected.size() > 0 && expected.size() <= 16, "the answer fits in the findings kept: " + expected.size());
        assertEquals(expected, reported);
        assertEquals(expected.size(), param("found"));
        assertEquals(0, param("late"), "a 10 ms window covers pages of 2 ms");
        assertEquals(0, param("objects"));
    }

    @Test
    void memoryIsBoundedByCapacityAndEvictionsAreCounted() {
        handler.parameters().stream().filter(p -> p.name().equals("capacity")).findFirst().orElseThrow().set("16");
        for (int i = 0; i < 1000; i++) handler.handle(alloc(0, i, 0x10000L + i * 0x100L, 0x100), null);
        handler.drain(1000 + WINDOW);
        assertEquals(16, param("objects"));
        assertEquals(984, param("evictions"));
        assertEquals(1000, param("created"));
    }

    @Test
    void helpSaysWhatItCannotSee() {
        String scope = (String) handler.parameters().stream().filter(p -> p.name().equals("scope")).findFirst().orElseThrow().value();
        assertTrue(scope.contains("allocation was traced") && scope.contains("bulk frees") && scope.contains("hrtimers"), scope);
    }
}
