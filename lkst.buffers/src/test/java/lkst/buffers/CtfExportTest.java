package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.trace.TraceLosses;
import lkst.buffers.trace.TraceMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ctf DIR}: a CTF 1.8 trace that babeltrace2, the reference reader, reads back event for event. */
class CtfExportTest {
    @TempDir Path tmp;
    Path trace;

    @BeforeEach
    void record() {
        trace = tmp.resolve("trace");
        try (BufferSet set = new BufferSet(trace, 2, 64 * 1024, BufferMode.OVERWRITE, List.of(TestEvent.SEQ, TestEvent.NAMED))) {
            TestEvent e = new TestEvent();
            set.record(e.named(1, 2_000_000_000L, 5, "b"));
            set.record(e.named(0, 1_000_000_000L, -4, "a \"quoted\" name"));
            set.record(e.seq(1, 9, 3).time(3_000_000_000L));
            set.record(e.seq(1, 9, -1).time(2_500_000_000L)); // claimed after a later one: CTF wants time order
            set.record(e.named(0, 4_000_000_000L, 7, ""));
        }
    }

    /** babeltrace2's text output of {@code dir}, one line per event; the test is skipped (and says why) without it. */
    static List<String> babeltrace(Path dir, String clockOption) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/babeltrace2"))) abort("babeltrace2 not installed (apt-get install babeltrace2; .ci/run installs it)");
        Process p = new ProcessBuilder("babeltrace2", clockOption, "--no-delta", "--names=payload,context", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "babeltrace2 failed:\n" + out);
        List<String> lines = new ArrayList<>(out.lines().toList());
        return lines;
    }

    @Test
    void babeltraceReadsEveryEventWithItsTimeCpuIdsAndFields() throws Exception {
        Path ctf = tmp.resolve("ctf");
        Tool t = Tool.run("ctf", trace.toString(), "-o", ctf.toString());
        assertEquals(0, t.exit(), t.err().toString());
        assertEquals(List.of("CTF 1.8 trace " + ctf + ": cpu0 2 events; cpu1 3 events"), t.out());
        assertTrue(Files.readString(ctf.resolve("metadata")).startsWith("/* CTF 1.8 */"));
        List<String> lines = babeltrace(ctf, "--clock-cycles"); // the raw clock values (20 digits): CLOCK_MONOTONIC ns
        assertEquals(List.of(
                "[00000000001000000000] TEST_NAMED: { cpu_id = 0 }, { pid = 42, tid = -4 }, { n = -4, name = \"a \\\"quoted\\\" name\" }",
                "[00000000002000000000] TEST_NAMED: { cpu_id = 1 }, { pid = 42, tid = 5 }, { n = 5, name = \"b\" }",
                "[00000000002500000000] TEST_SEQ: { cpu_id = 1 }, { pid = 42, tid = 9 }, { writer = 9, seq = 18446744073709551615, check = "
                        + TestEvent.check(9, -1) + " }",
                "[00000000003000000000] TEST_SEQ: { cpu_id = 1 }, { pid = 42, tid = 9 }, { writer = 9, seq = 3, check = "
                        + TestEvent.check(9, 3) + " }",
                "[00000000004000000000] TEST_NAMED: { cpu_id = 0 }, { pid = 42, tid = 7 }, { n = 7, name = \"\" }"), lines);

        // in seconds since 1970: the clock's offset is the trace's CLOCK_REALTIME - CLOCK_MONOTONIC
        long offset = TraceMetadata.read(trace).realtimeOffset();
        assertTrue(Math.abs(offset - TraceMetadata.realtimeOffsetNow()) < 60_000_000_000L, "recorded when the trace was made: " + offset);
        long first = offset + 1_000_000_000L;
        String seconds = String.format("[%d.%09d]", Math.floorDiv(first, 1_000_000_000L), Math.floorMod(first, 1_000_000_000L));
        assertTrue(babeltrace(ctf, "--clock-seconds").get(0).startsWith(seconds + " TEST_NAMED"), seconds);
    }

    @Test
    void aKernelArrayOfNumbersBecomesACtfArray() throws Exception {
        EventType t = new EventType(2001, "test:arrays", "other", EventSource.KERNEL, false, List.of(), List.of(),
                List.of(Field.at("id", FieldType.S64, 0, 8), new Field("args", FieldType.ARRAY, 8, 24, FieldType.U64)), null);
        Path dir = tmp.resolve("kernel");
        try (BufferSet set = new BufferSet(dir, 1, 64 * 1024, BufferMode.OVERWRITE, List.of(t))) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putLong(-2).putLong(1).putLong(Long.MIN_VALUE).putLong(3);
            set.record(new TestEvent().raw(t, 0, 5_000_000_000L, b.array()));
        }
        Path ctf = tmp.resolve("kernel-ctf");
        assertEquals(0, Tool.run("ctf", dir.toString(), "-o", ctf.toString()).exit());
        assertEquals(List.of("[00000000005000000000] test:arrays: { cpu_id = 0 }, { pid = 42, tid = 0 }, "
                + "{ id = -2, args = [ [0] = 1, [1] = 9223372036854775808, [2] = 3 ] }"), babeltrace(ctf, "--clock-cycles"));
    }

    @Test
    void eventsTheTraceLostAreReportedAsDiscardedOnTheirCpu() throws Exception {
        new TraceLosses(java.util.Map.of(0, java.util.Map.of("kernel", 7L, "buffers", 1L), 1, java.util.Map.of("kernel", 0L)))
                .write(trace);
        Path ctf = tmp.resolve("ctf");
        assertEquals(0, Tool.run("ctf", trace.toString(), "-o", ctf.toString()).exit());
        List<String> lines = babeltrace(ctf, "--clock-seconds");
        assertEquals(6, lines.size(), String.join("\n", lines)); // 5 events and one warning
        assertEquals(1, lines.stream().filter(l -> l.contains("discarded 8 events")).count(), String.join("\n", lines));
    }

    @Test
    void anExistingNonEmptyOutputOrABadTraceIsRefusedWithOneLine() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(out.resolve("keep"), "x");
        Tool t = Tool.run("ctf", trace.toString(), "-o", out.toString());
        assertEquals(2, t.exit());
        assertEquals(1, t.err().size(), t.err().toString());
        assertTrue(t.err().get(0).contains("not an empty directory"), t.err().get(0));
        assertEquals(List.of("keep"), Files.list(out).map(p -> p.getFileName().toString()).toList());

        Tool bad = Tool.run("ctf", tmp.resolve("nothing").toString(), "-o", tmp.resolve("o2").toString());
        assertEquals(1, bad.exit());
        assertEquals(1, bad.err().size(), bad.err().toString());
        assertFalse(Files.exists(tmp.resolve("o2")), "nothing written for a trace that cannot be read");
    }
}
