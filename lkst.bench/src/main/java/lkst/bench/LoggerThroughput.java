package lkst.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.buffers.api.BufferInfo;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.LogStatus;
import lkst.buffers.component.Recording;
import lkst.buffers.record.BufferSet;
import lkst.buffers.ring.RecordBuffer;
import lkst.buffers.ring.RecordDescriptor;

/**
 * The logger's sustained drain rate to disk: writer threads fill discard-mode buffers (one CPU's buffer each) as
 * fast as they can, the logger drains them into rotating log files (msync'ed as each file is finished), and this
 * prints the bytes and records the logger wrote per second after a warm-up. In discard mode a writer that
 * outruns the logger gets refusals (counted as lost), so the figure is the logger's own limit.
 *
 * <p>Arguments: [seconds=10] [writers=1] [payload bytes=24] [log file MiB=64] [files kept per cpu=4].
 */
public final class LoggerThroughput {
    private LoggerThroughput() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int writers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int payload = args.length > 2 ? Integer.parseInt(args[2]) : 24;
        long fileSize = (args.length > 3 ? Long.parseLong(args[3]) : 64) << 20;
        int files = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        int warmup = 2;

        Path trace = Fixtures.tempDir("lkst-bench-trace-");
        Path log = Fixtures.tempDir("lkst-bench-log-").resolve("log");
        List<Field> fields = List.of(Field.u64("a"), Field.u64("b"), Field.u64("c"));
        EventType type = new EventType(1000, Fixtures.EVENT, "bench", EventSource.JVM, false, List.of(), List.of(), fields, null);
        BufferSet set = new BufferSet(trace, writers, Fixtures.BUFFER_SIZE, BufferMode.DISCARD, List.of(type));
        Recording recording = new Recording(set);
        int size = RecordDescriptor.align(RecordDescriptor.HEADER_LENGTH + payload);

        AtomicBoolean stop = new AtomicBoolean();
        long[] offered = new long[writers];
        Thread[] threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            final int cpu = w;
            threads[w] = new Thread(() -> {
                RecordBuffer b = set.current(cpu);
                ByteBuffer src = ByteBuffer.allocate(payload).order(ByteOrder.LITTLE_ENDIAN);
                long n = 0;
                while (!stop.get()) {
                    for (int i = 0; i < 1024; i++, n++) {
                        long p = b.claim(size);
                        if (p < 0) {
                            b.countLost();
                            Thread.yield(); // full: leave the CPU to the logger, whose rate is measured
                            continue;
                        }
                        if (payload >= 8) src.putLong(0, n);
                        b.commit(p, size, type.id(), System.nanoTime(), 1, cpu, src, 0, payload);
                    }
                }
                offered[cpu] = n;
            }, "writer-" + w);
        }

        recording.logStart(log, fileSize, files);
        for (Thread t : threads) t.start();
        Thread.sleep(warmup * 1000L);
        LogStatus s0 = recording.logStatus();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        LogStatus s1 = recording.logStatus();
        long t1 = System.nanoTime();
        stop.set(true);
        for (Thread t : threads) t.join();
        long t2 = System.nanoTime();
        LogStatus end = recording.logStop(); // drains the rest and msyncs the open files
        long t3 = System.nanoTime();

        long written = 0;
        long lost = 0;
        for (BufferInfo i : set.list()) {
            written += i.written();
            lost += i.lost();
        }
        long total = 0;
        for (long o : offered) total += o;
        double secs = (t1 - t0) / 1e9;
        double mbs = (s1.bytes() - s0.bytes()) / secs / 1e6;
        double recs = (s1.records() - s0.records()) / secs;
        System.out.printf(Locale.ROOT, "logger: %.1f MB/s, %.2f M records/s of %d-byte records, sustained over %d s "
                        + "(after %d s warm-up); %d writer thread(s), discard-mode buffers of %d MiB, log files of %d MiB × %d per cpu in %s%n",
                mbs, recs / 1e6, size, seconds, warmup, writers, Fixtures.BUFFER_SIZE >> 20, fileSize >> 20, files, log.getParent());
        System.out.printf(Locale.ROOT, "logger: writers offered %d records: written %d, refused (buffer full, logger behind) %d; "
                        + "logger total %d records, %d bytes overwritten, %d torn; final drain + msync took %.0f ms%n",
                total, written, lost, end.records(), end.overwritten(), end.torn(), (t3 - t2) / 1e6);
        recording.close();
        if (end.records() != written) {
            System.out.println("logger: MISMATCH: the log holds " + end.records() + " records, the buffers committed " + written);
        }
        Fixtures.delete(trace);
        Fixtures.delete(log.getParent());
        if (end.records() != written) System.exit(1);
    }
}
