package lkst.buffers;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.List;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;

/**
 * The child of {@link CrashRecoveryTest}: records TEST_SEQ events at full rate from several threads, two per
 * CPU buffer, until it is killed. Every 1024th record committed it prints "committed WRITER SEQ": every record of
 * that writer up to SEQ was committed before the line was printed. A record refused (overwrite mode: its page still
 * held by a stalled writer) is offered again, so each writer's committed records are seq 0, 1, 2 … without a gap.
 */
public final class CrashingWriter {
    public static void main(String[] args) throws Exception {
        int cpus = 2;
        int writers = 4;
        BufferSet set = new BufferSet(Paths.get(args[0]), cpus, Long.parseLong(args[1]), BufferMode.OVERWRITE, List.of(TestEvent.SEQ));
        PrintStream out = System.out;
        out.println("ready");
        out.flush();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                TestEvent e = new TestEvent();
                for (long s = 0; ; s++) {
                    if (!set.record(e.seq(writer % cpus, writer, s))) { // lost (counted): a page is held by a stalled
                        s--;                                             // writer; retry, so that seqs stay contiguous
                        continue;
                    }
                    if ((s & 1023) == 0) {
                        synchronized (out) {
                            out.println("committed " + writer + " " + s);
                            out.flush();
                        }
                    }
                }
            });
            t.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
