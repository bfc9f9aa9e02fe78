package lkst.handlers.std.timers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reorder window puts a stream shuffled within its window back in time order, and counts what it could not. */
class ReorderWindowTest {
    final List<Long> out = new ArrayList<>();
    final ReorderWindow w = new ReorderWindow(100, 1024, (k, t, a, s, p) -> out.add(t));

    @Test
    void pagesOfTwoCpusInterleavedArePutBackInTimeOrder() {
        // CPU 0's page (times 0, 10, … 90) is dispatched before CPU 1's page (5, 15, … 95), as the readers do
        for (long t = 0; t < 100; t += 10) w.offer(0, t, 0, 0, 0);
        for (long t = 5; t < 100; t += 10) w.offer(0, t, 0, 0, 0);
        w.drain(95 + 100);
        List<Long> expected = new ArrayList<>();
        for (long t = 0; t < 100; t += 5) expected.add(t);
        assertEquals(expected, out);
        assertEquals(0, w.late());
    }

    @Test
    void nothingIsReleasedBeforeItIsAWindowOld() {
        w.offer(0, 1000, 0, 0, 0);
        w.drain(1099);
        assertEquals(List.of(), out);
        w.drain(1100);
        assertEquals(List.of(1000L), out);
    }

    @Test
    void anEventOlderThanOneReleasedIsLateDeliveredAtOnceAndCounted() {
        w.offer(0, 1000, 0, 0, 0);
        w.drain(2000);
        w.offer(0, 900, 0, 0, 0);
        assertEquals(List.of(1000L, 900L), out);
        assertEquals(1, w.late());
    }

    @Test
    void aFullWindowReleasesItsOldestEarlyAndCountsIt() {
        ReorderWindow small = new ReorderWindow(1_000_000, 4, (k, t, a, s, p) -> out.add(t));
        for (long t = 10; t > 0; t--) small.offer(0, t, 0, 0, 0);
        small.flush();
        assertEquals(1, small.forced(), "the first event that did not fit pushed out the oldest held");
        assertEquals(6, small.late(), "every event older than that one is then late");
        assertEquals(List.of(7L, 6L, 5L, 4L, 3L, 2L, 1L, 8L, 9L, 10L), out);
    }

    @Test
    void aRandomShuffleWithinTheWindowComesOutSorted() {
        Random r = new Random(14);
        List<Long> times = new ArrayList<>();
        for (long t = 0; t < 10_000; t++) times.add(t * 3 + r.nextInt(90)); // each up to 90 ns from its place
        for (long t : times) {
            w.offer(0, t, 0, 0, 0);
            w.drain(t);
        }
        w.flush();
        List<Long> sorted = new ArrayList<>(times);
        sorted.sort(null);
        assertEquals(sorted, out);
        assertEquals(0, w.late());
    }
}
