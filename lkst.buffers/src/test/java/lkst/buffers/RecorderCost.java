package lkst.buffers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;

/**
 * A rough figure for the hot path (not a test, not JMH): ns per record() of a 20-byte payload (56-byte record)
 * with 1 and 2 writers, each on its own CPU's buffer and both on one. Run: java -cp … lkst.buffers.RecorderCost
 */
public final class RecorderCost {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("lkst-cost");
        BufferSet set = new BufferSet(dir, 2, 64 << 20, BufferMode.OVERWRITE, List.of(TestEvent.SEQ));
        for (int round = 0; round < 3; round++) {
            System.out.printf("1 writer: %.1f ns%n", run(set, 1, false));
            System.out.printf("2 writers, own buffers: %.1f ns%n", run(set, 2, false));
            System.out.printf("2 writers, one buffer: %.1f ns%n", run(set, 2, true));
        }
        set.close();
    }

    static double run(BufferSet set, int writers, boolean shared) throws Exception {
        int n = 20_000_000;
        Thread[] t = new Thread[writers];
        long[] ns = new long[writers];
        for (int w = 0; w < writers; w++) {
            int cpu = shared ? 0 : w;
            int id = w;
            t[w] = new Thread(() -> {
                TestEvent e = new TestEvent().seq(cpu, id, 0);
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) set.record(e);
                ns[id] = System.nanoTime() - t0;
            });
        }
        for (Thread x : t) x.start();
        for (Thread x : t) x.join();
        long sum = 0;
        for (long x : ns) sum += x;
        return (double) sum / writers / n;
    }
}
