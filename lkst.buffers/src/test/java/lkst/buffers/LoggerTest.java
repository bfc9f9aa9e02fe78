package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lkst.api.LossSource;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.LogStatus;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.component.Recording;
import lkst.buffers.record.BufferSet;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.TraceLosses;
import lkst.buffers.trace.TraceReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logger drains the buffers into a log directory that print reads. */
class LoggerTest {
    @TempDir Path tmp;
    Recording rec;

    @AfterEach
    void close() {
        if (rec != null) rec.close();
    }

    static List<Long> seqs(Path dir) {
        List<Long> out = new java.util.ArrayList<>();
        TraceReader.open(dir).forEach(RecordCursor.Torn.FAIL, (TraceRecord r) -> out.add((Long) r.fields().get("seq")));
        return out;
    }

    @Test
    void whatTheBuffersWroteEndsUpInTheLogAndPrintReadsIt() {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 2, 64 * 1024, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        Path log = tmp.resolve("log");
        rec.logStart(log, 1 << 20, 4);
        TestEvent e = new TestEvent();
        for (int i = 0; i < 500; i++) rec.record(e.seq(i % 2, 0, i).time(i));
        LogStatus s = rec.logStop();
        assertFalse(s.running());
        assertEquals(500, s.records());
        assertEquals(java.util.stream.LongStream.range(0, 500).boxed().toList(), seqs(log));
        assertEquals(500, Tool.run("print", log.toString()).out().size());
    }

    /**
     * An idle logger sleeps until a writer commits (no timer: its thread parks without a deadline), and a record
     * committed then wakes it and reaches the log.
     */
    @Test
    void anIdleLoggerSleepsUntilARecordIsCommitted() throws Exception {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 2, 64 * 1024, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        rec.logStart(tmp.resolve("log"), 1 << 20, 4);
        Thread logger = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("lkst-logger"))
                .filter(t -> t.getState() != Thread.State.TERMINATED).findFirst().orElseThrow();
        TestEvent e = new TestEvent();
        for (int round = 1; round <= 3; round++) {
            awaitParkedWithoutDeadline(logger);
            rec.record(e.seq(round % 2, 0, round));
            for (long giveUp = System.nanoTime() + 60_000_000_000L; rec.logStatus().records() < round; ) {
                assertTrue(System.nanoTime() < giveUp, "the record never reached the log: " + rec.logStatus());
                Thread.sleep(1);
            }
        }
        assertEquals(3, rec.logStop().records());
    }

    /** Waits until the thread parks with no deadline (Thread.State.WAITING in LockSupport.park). */
    static void awaitParkedWithoutDeadline(Thread t) throws InterruptedException {
        for (long giveUp = System.nanoTime() + 60_000_000_000L; ; ) {
            if (t.getState() == Thread.State.WAITING) return;
            assertTrue(System.nanoTime() < giveUp, "the logger never slept without a timer: " + t.getState());
            Thread.sleep(1);
        }
    }

    @Test
    void theLogSaysWhatWasLostWhileItWasWrittenPerCpuAndWhere() throws Exception {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 2, 64 * 1024, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        long[] kernel = {5, 0};
        rec.logger().lossSources(() -> List.of(new LossSource() {
            @Override public String name() { return "kernel"; }
            @Override public long[] lostPerCpu() { return kernel.clone(); }
        }));
        TestEvent e = new TestEvent();
        assertFalse(rec.record(e.sized(0, 70_000)), "larger than a page: refused"); // lost before the log starts
        Path log = tmp.resolve("log");
        rec.logStart(log, 1 << 20, 4);
        for (int i = 0; i < 10; i++) rec.record(e.seq(i % 2, 0, i));
        assertFalse(rec.record(e.sized(0, 70_000)));
        assertFalse(rec.record(e.sized(0, 70_000)));
        kernel[0] = 12;
        kernel[1] = 3;
        rec.logStop();
        TraceLosses lost = TraceLosses.read(log);
        assertEquals(java.util.Map.of(0, java.util.Map.of("buffers", 2L, "kernel", 7L), 1, java.util.Map.of("buffers", 0L, "kernel", 3L)),
                lost.perCpu(), "only what was lost while the logger ran");
        List<String> stats = Tool.run("stats", log.toString()).out();
        assertTrue(stats.contains("  cpu 0: lost while logging: buffers 2, kernel 7"), String.join("\n", stats));
        assertTrue(stats.contains("  cpu 1: lost while logging: buffers 0, kernel 3"), String.join("\n", stats));
        assertTrue(Tool.run("stats", tmp.resolve("trace").toString()).out().contains("  events lost while logging: not recorded (no trace.lost)"));

        Files.writeString(log.resolve(TraceLosses.FILE), "cpu 0 kernel lots\n");
        Tool bad = Tool.run("stats", log.toString()); // a warning, not a refusal: the records are all there
        assertEquals(0, bad.exit(), bad.err().toString());
        assertEquals(1, bad.err().size(), bad.err().toString());
        assertTrue(bad.err().get(0).startsWith("lkst: warning: "), bad.err().toString());
        assertTrue(bad.err().get(0).contains("line 1: expected 'cpu N SOURCE COUNT'"), bad.err().toString());
        assertTrue(bad.out().contains("  events lost while logging: not known (trace.lost is damaged)"), String.join("\n", bad.out()));
        assertTrue(bad.out().contains("  cpu 0: 5 events"), String.join("\n", bad.out()));
    }

    /**
     * A logger whose nap between rounds is an hour still loses nothing under a burst: a writer filling a buffer past
     * a quarter wakes it (the writer here waits while its buffer is over three quarters full, so it would wait out
     * the hour without that wake and trip the give-up), and a stop wakes it and drains what came below a quarter.
     */
    @Test
    void aLoggerWithALongNapIsWokenByAFillingBufferAndAtStopSoABurstLosesNothing() throws Exception {
        burstUnderALongNap(64 * 1024); // one page: its quarters lie inside the page, crossed by records
    }

    /**
     * The same with buffers of several 64 KiB pages, as LKST/J runs (64 MiB): each quarter begins a page, and a page
     * the records do not fill exactly (56-byte records: 16 bytes left) ends in padding, so no record crosses the
     * quarter mark; the record that begins the quarter wakes the logger. (Checking only for a record crossing the mark
     * never woke it: a 1 s nap lost records on a syscall storm.)
     */
    @Test
    void aQuarterThatBeginsAfterAPaddedPageWakesTheNappingLoggerToo() throws Exception {
        burstUnderALongNap(256 * 1024);
    }

    private void burstUnderALongNap(long size) throws Exception {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 2, size, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        rec.logger().napNanos(3_600_000_000_000L);
        rec.logStart(tmp.resolve("log"), 1 << 20, 4);
        Thread logger = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("lkst-logger"))
                .filter(t -> t.getState() != Thread.State.TERMINATED).findFirst().orElseThrow();
        TestEvent e = new TestEvent();
        long seq = 0;
        rec.record(e.seq(0, 0, seq++)); // wakes the idle logger; after draining it, it naps
        for (long giveUp = System.nanoTime() + 60_000_000_000L; logger.getState() != Thread.State.TIMED_WAITING
                || rec.logStatus().records() < 1; ) {
            assertTrue(System.nanoTime() < giveUp, "the logger never napped: " + logger.getState());
            Thread.sleep(1);
        }
        long capacity = rec.list().get(0).size();
        for (int burst = 0; burst < 3; burst++) {
            for (int i = 0; i < 20_000; i++) { // several buffers' worth through each CPU's buffer
                int cpu = i % 2;
                for (long giveUp = System.nanoTime() + 60_000_000_000L; rec.list().get(cpu).used() > capacity * 3 / 4; ) {
                    assertTrue(System.nanoTime() < giveUp, "the napping logger was not woken by a filling buffer");
                    Thread.onSpinWait();
                }
                assertTrue(rec.record(e.seq(cpu, 0, seq++)), "refused by a full buffer: " + rec.list());
            }
            // what follows the burst, below a quarter of a buffer, waits for the next wake-up: here the stop
        }
        for (int i = 0; i < 10; i++) assertTrue(rec.record(e.seq(i % 2, 0, seq++)));
        LogStatus s = rec.logStop();
        assertEquals(seq, s.records());
        assertEquals(0, rec.list().get(0).lost() + rec.list().get(1).lost());
        List<Long> got = seqs(tmp.resolve("log"));
        assertEquals(seq, got.size());
        assertEquals(java.util.stream.LongStream.range(0, seq).boxed().toList(), got.stream().sorted().toList());
    }

    @Test
    void drainingFreesSpaceInDiscardBuffersSoTheyLoseNothingWhileTheLoggerKeepsUp() throws Exception {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 1, 4096, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        rec.logStart(tmp.resolve("log"), 1 << 20, 4);
        TestEvent e = new TestEvent();
        int offered = 20_000; // 1.1 MB through a 4 KiB buffer
        int ok = 0;
        for (int i = 0; i < offered; i++) {
            while (rec.list().get(0).used() > 2048) Thread.onSpinWait(); // a writer no faster than the logger
            if (rec.record(e.seq(0, 0, i))) ok++;
        }
        LogStatus s = rec.logStop();
        assertEquals(offered, ok);
        assertEquals(0, rec.list().get(0).lost());
        assertEquals(offered, s.records());
        assertEquals(offered, seqs(tmp.resolve("log")).size());
    }

    @Test
    void rotationKeepsTheNewestFilesOfEachCpu() {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 1, 64 * 1024, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        Path log = tmp.resolve("log");
        rec.logStart(log, 4096, 2);
        TestEvent e = new TestEvent();
        for (int i = 0; i < 1000; i++) rec.record(e.seq(0, 0, i));
        LogStatus s = rec.logStop();
        assertEquals(1000, s.records());
        assertEquals(2, s.segments().size(), s.segments().toString());
        List<Long> kept = seqs(log);
        assertEquals(999L, kept.get(kept.size() - 1));
        assertTrue(kept.size() < 2 * 4096 / 56 + 1);
        for (int i = 1; i < kept.size(); i++) assertEquals(kept.get(i - 1) + 1, kept.get(i));
    }

    @Test
    void theLoggerThreadRunsRealTimeWhenAskedAndSaysSoOrWhyNot() throws Exception {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 1, 1 << 16, BufferMode.DISCARD, List.of()));
        assertThrows(IllegalArgumentException.class, () -> rec.logger().realtime(100));
        rec.logger().realtime(1);
        rec.logStart(tmp.resolve("log"), 1 << 20, 2);
        for (int i = 0; i < 200 && rec.logger().scheduling().equals("normal"); i++) Thread.sleep(10);
        boolean root = "root".equals(System.getProperty("user.name"));
        String s = rec.logger().scheduling();
        if (root) assertEquals("fifo 1", s);
        else assertTrue(s.startsWith("normal (fifo 1 refused: "), s);
        assertTrue(rec.status().contains(s), rec.status());
    }

    @Test
    void startTwiceOrIntoTheTraceDirectoryIsRefused() {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 1, 4096, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        assertThrows(IllegalArgumentException.class, () -> rec.logStart(tmp.resolve("trace"), 1 << 20, 2));
        rec.logStart(tmp.resolve("log"), 1 << 20, 2);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> rec.logStart(tmp.resolve("log2"), 1 << 20, 2));
        assertTrue(twice.getMessage().contains("already"), twice.getMessage());
        assertTrue(rec.logStatus().running());
    }

    @Test
    void statsOfALogOrARecoveredTraceShowsTheBuffersTheRecordsCameFrom() throws Exception {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 2, 64 * 1024, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        rec.create(1, 3, 64 * 1024, BufferMode.DISCARD);
        rec.switchTo(1, 3); // cpu 1 records into its buffer 3
        Path log = tmp.resolve("log");
        rec.logStart(log, 1 << 20, 4);
        TestEvent e = new TestEvent();
        for (int i = 0; i < 10; i++) rec.record(e.seq(i % 2, 0, i));
        while (rec.logStatus().records() < 10) Thread.onSpinWait(); // drained: buffer 0 is the first of cpu 0's segment
        rec.create(0, 2, 64 * 1024, BufferMode.DISCARD);
        rec.switchTo(0, 2);
        for (int i = 10; i < 14; i++) rec.record(e.seq(0, 0, i));
        rec.logStop();

        List<String> stats = Tool.run("stats", log.toString()).out();
        assertTrue(stats.contains("  cpu 0 buffers 0,2 segment 1: written 9"), String.join("\n", stats));
        assertTrue(stats.contains("  cpu 1 buffer 3 segment 1: written 5"), String.join("\n", stats));

        Path fromLog = tmp.resolve("from-log");
        assertEquals(0, Tool.run("recover", log.toString(), "-o", fromLog.toString()).exit());
        List<String> again = Tool.run("stats", fromLog.toString()).out();
        assertTrue(again.contains("  cpu 0 buffers 0,2 segment 1: written 9"), String.join("\n", again));
        assertTrue(again.contains("  cpu 1 buffer 3 segment 1: written 5"), String.join("\n", again));

        rec.close();
        rec = null;
        Path fromBuffers = tmp.resolve("from-buffers");
        assertEquals(0, Tool.run("recover", tmp.resolve("trace").toString(), "-o", fromBuffers.toString()).exit());
        List<String> recovered = Tool.run("stats", fromBuffers.toString()).out();
        assertTrue(recovered.contains("  cpu 1 buffer 3 segment 1: written 5"), String.join("\n", recovered));
        assertTrue(recovered.contains("  cpu 0 buffer 2 segment 1: written 4"), String.join("\n", recovered));
        assertTrue(recovered.stream().noneMatch(l -> l.contains("buffer 1")), String.join("\n", recovered));
        assertTrue(Tool.run("print", "--json", fromBuffers.toString()).out().stream().anyMatch(l -> l.contains("\"cpu\":1,\"buffer\":3,")));
    }

    /** Bytes {@code f} takes on disk, as du counts them (st_blocks × 512). */
    static long diskUse(Path f) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", f.toString()).redirectErrorStream(true).start();
        String[] out = new String(p.getInputStream().readAllBytes()).trim().split(" ");
        assertEquals(0, p.waitFor(), String.join(" ", out));
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    @Test
    void aStoppedLogAndARecoveredTraceAreCompactTheirLengthIsWhatTheyHold() throws Exception {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 2, 64 * 1024, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        Path log = tmp.resolve("log");
        rec.logStart(log, 1 << 20, 4); // 1 MiB segments, of which the records fill a few KiB
        TestEvent e = new TestEvent();
        for (int i = 0; i < 300; i++) rec.record(e.seq(i % 2, 0, i));
        rec.logStop();
        rec.close();
        rec = null;
        Path recovered = tmp.resolve("recovered");
        assertEquals(0, Tool.run("recover", log.toString(), "-o", recovered.toString()).exit());
        for (Path dir : List.of(log, recovered)) {
            TraceReader reader = TraceReader.open(dir);
            assertEquals(2, reader.inputs().size());
            for (TraceReader.Input in : reader.inputs()) {
                long length = Files.size(in.path());
                assertEquals(in.header().contentEnd(), length, in.path() + ": ends after its records");
                assertEquals(4096 + 150 * 56, length, in.path() + ": 150 records of 56 bytes");
                long disk = diskUse(in.path());
                assertTrue(Math.abs(disk - length) < 4096, in.path() + ": apparent " + length + " B, on disk " + disk + " B");
            }
            assertEquals(List.of(), reader.damage().problems(), "compact is not truncated");
        }
        assertEquals(300, Tool.run("print", recovered.toString()).out().size());
    }
}
