package lkst.buffers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import lkst.buffers.api.BufferInfo;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.LogStatus;
import lkst.buffers.component.Recording;
import lkst.buffers.record.BufferSet;

/**
 * The logger's sustained rate to disk (a program that prints numbers, not a test): one writer per CPU records
 * 56-byte records as fast as it can into discard buffers for a few seconds while the logger drains them.
 * Prints MB/s logged and what was lost. Run: java -cp … lkst.buffers.LoggerThroughput [seconds] [bufferMiB]
 */
public final class LoggerThroughput {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long size = (args.length > 1 ? Long.parseLong(args[1]) : 4) << 20;
        int cpus = 2;
        Path tmp = Files.createTempDirectory("lkst-log-rate");
        Recording rec = new Recording(new BufferSet(tmp.resolve("trace"), cpus, size, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        rec.logStart(tmp.resolve("log"), 256L << 20, 4);
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] writers = new Thread[cpus];
        for (int c = 0; c < cpus; c++) {
            int cpu = c;
            writers[c] = new Thread(() -> {
                TestEvent e = new TestEvent();
                for (long s = 0; !stop.get(); s++) rec.record(e.seq(cpu, cpu, s));
            });
        }
        long t0 = System.nanoTime();
        for (Thread w : writers) w.start();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread w : writers) w.join();
        LogStatus s = rec.logStop();
        double secs = (System.nanoTime() - t0) / 1e9;
        long written = 0;
        long lost = 0;
        for (BufferInfo b : rec.list()) {
            written += b.written();
            lost += b.lost();
        }
        System.out.printf("logged %d records, %.1f MB in %.1f s: %.1f MB/s, %.2f M records/s; buffers wrote %d, lost %d (%.1f%%)%n",
                s.records(), s.bytes() / 1e6, secs, s.bytes() / 1e6 / secs, s.records() / 1e6 / secs, written, lost,
                100.0 * lost / Math.max(1, written + lost));
        rec.close();
        try (var files = Files.walk(tmp)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
