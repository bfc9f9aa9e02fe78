package lkst.buffers;

import static lkst.buffers.SyntheticEvent.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report on synthetic traces written with the buffers' own writer, whose answers are known by construction. */
class ReportTest {
    @TempDir Path tmp;

    /** {@link KnownTrace}: its answers (latencies 1500 and 2000 ns, read -EAGAIN, two writes, 3 lost) are known. */
    Path trace() {
        return KnownTrace.write(tmp.resolve("t"));
    }

    @Test
    void jsonGivesCpuTimeSwitchesLatencySyscallsIrqsAndEventsOfAKnownTrace() {
        Tool t = Tool.run("report", "--json", trace().toString());
        assertEquals(0, t.exit(), t.err().toString());
        assertEquals(1, t.out().size(), t.out().toString());
        String j = t.out().get(0);
        assertTrue(j.contains("\"losses\":{\"known\":true,\"total\":3,\"cpus\":[{\"cpu\":0,\"buffers\":0,\"kernel\":3},{\"cpu\":1,\"buffers\":0,\"kernel\":0}]}"), j);
        assertTrue(j.contains("{\"tid\":200,\"comm\":\"sleeper\",\"cpu_ns\":5000,\"switched_in\":2,\"voluntary\":2,\"involuntary\":0,"
                + "\"wakeups\":2,\"wakeup_avg_ns\":1750,\"wakeup_p99_ns\":2000,\"wakeup_max_ns\":2000,\"wakeup_max_woken_ns\":7000,\"wakeup_max_at_ns\":9000}"), j);
        assertTrue(j.contains("{\"tid\":100,\"comm\":\"work\",\"cpu_ns\":6000,\"switched_in\":2,\"voluntary\":0,\"involuntary\":2,\"wakeups\":0}"), j);
        assertTrue(j.contains("{\"tid\":300,\"comm\":\"other\",\"cpu_ns\":600,\"switched_in\":1,\"voluntary\":1,\"involuntary\":0,\"wakeups\":0}"), j);
        assertTrue(j.indexOf("\"tid\":100,") < j.indexOf("\"tid\":200,") && j.indexOf("\"tid\":200,") < j.indexOf("\"tid\":300,"), "most CPU time first: " + j);
        assertTrue(j.contains("\"idle_ns\":"), j);
        assertTrue(j.contains("\"syscalls\":{\"recorded\":true,\"unmatched_exits\":1,\"rows\":["
                + "{\"tid\":200,\"comm\":\"sleeper\",\"id\":1,\"name\":\"write\",\"calls\":2,\"errors\":0,\"timed\":2,\"total_ns\":1200,\"avg_ns\":600,\"max_ns\":1000},"
                + "{\"tid\":200,\"comm\":\"sleeper\",\"id\":0,\"name\":\"read\",\"calls\":1,\"errors\":1,\"timed\":1,\"total_ns\":300,\"avg_ns\":300,\"max_ns\":300}]}"), j);
        assertTrue(j.contains("\"irqs\":{\"subtracted_from_task_cpu_time\":false,"
                + "\"hard\":{\"recorded\":true,\"rows\":[{\"number\":1,\"name\":\"timer\",\"count\":1,\"total_ns\":50,\"avg_ns\":50,\"max_ns\":50}]},"
                + "\"soft\":{\"recorded\":true,\"rows\":[{\"number\":1,\"name\":\"TIMER\",\"count\":1,\"total_ns\":100,\"avg_ns\":100,\"max_ns\":100}]}}"), j);
        assertTrue(j.contains("{\"event\":\"sched:sched_switch\",\"count\":8,\"jvm\":false,\"lkst\":\"PROCESS_CONTEXTSWITCH\"}"), j);
        assertTrue(j.contains("\"jvm_event_types\":[{\"event\":\"TEST_NAMED\",\"count\":1}]"), j);
    }

    @Test
    void textPutsTheLossesFirstAndAlignsItsTables() {
        Tool t = Tool.run("report", trace().toString());
        assertEquals(0, t.exit(), t.err().toString());
        List<String> out = t.out();
        assertEquals("LOST: 3 events were not recorded; the figures below miss them:", out.get(0));
        assertEquals("  cpu 0: buffers 0 (refused by full buffers), kernel 3 (dropped by the kernel)", out.get(1));
        assertFalse(out.get(2).startsWith("  cpu 1"), "a CPU that lost nothing is not listed: " + out);
        String header = out.stream().filter(l -> l.trim().startsWith("tid  comm")).findFirst().orElseThrow();
        String sleeper = out.stream().filter(l -> l.matches("\\s+200  sleeper .*")).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(sleeper.matches("\\s+200  sleeper\\s+0\\.005\\s+2\\s+2\\s+0\\s+2\\s+1\\.8\\s+2\\.0\\s+2\\.0\\s+0\\.000009000"), sleeper);
        assertEquals(header.indexOf("cpu ms") + "cpu ms".length(), sleeper.indexOf("0.005") + "0.005".length(), "right-aligned under its header");
        assertTrue(out.stream().anyMatch(l -> l.matches("\\s+200\\s+sleeper\\s+write\\s+2\\s+0\\s+0\\.001\\s+0\\.6\\s+1\\.0")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.matches("\\s+8\\s+sched:sched_switch\\s+PROCESS_CONTEXTSWITCH")), out.toString());
        assertTrue(out.contains("JVM events per type:"), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.matches("\\s+hard\\s+1\\s+timer\\s+1\\s+0\\.000\\s+0\\.1\\s+0\\.1")), out.toString());
    }

    @Test
    void aTableWhoseEventsWereNotRecordedSaysSoInOneLine() throws Exception {
        Path dir = tmp.resolve("only-switches");
        try (BufferSet set = new BufferSet(dir, 1, 64 * 1024, BufferMode.DISCARD, KERNEL)) {
            set.record(sw(0, 1000, "swapper/0", 0, 0, "a", 10));
            set.record(sw(0, 4000, "a", 10, 1, "swapper/0", 0));
        }
        Tool t = Tool.run("report", dir.toString());
        assertEquals(0, t.exit(), t.err().toString());
        List<String> out = t.out();
        assertTrue(out.get(0).startsWith("losses: not known (no trace.lost"), out.get(0));
        assertTrue(out.contains("syscalls: not recorded (no raw_syscalls:sys_enter/sys_exit in this trace)"), out.toString());
        assertTrue(out.contains("hard IRQs: not recorded (no irq:irq_handler_entry/irq_handler_exit in this trace)"), out.toString());
        assertTrue(out.contains("  wake-up latency: not recorded (no sched:sched_wakeup/sched_wakeup_new in this trace)"), out.toString());
        assertTrue(out.contains("JVM events: none in this trace"), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.matches("\\s+10\\s+a\\s+0\\.003\\s+1\\s+1\\s+0\\s+-\\s+-\\s+-\\s+-\\s+-")), out.toString());
        String j = Tool.run("report", "--json", dir.toString()).out().get(0);
        assertTrue(j.contains("\"syscalls\":{\"recorded\":false,\"why\":\"no raw_syscalls:sys_enter/sys_exit in this trace\"}"), j);
        assertTrue(j.contains("\"losses\":{\"known\":false,\"why\":\"no trace.lost\"}"), j);
    }

    @Test
    void aSwitchThatDoesNotFollowOnFromTheLastIsCountedAndItsGapNotChargedToAnyone() {
        Path dir = tmp.resolve("gap");
        try (BufferSet set = new BufferSet(dir, 1, 64 * 1024, BufferMode.DISCARD, KERNEL)) {
            set.record(sw(0, 1000, "swapper/0", 0, 0, "a", 10));
            set.record(sw(0, 3000, "b", 11, 1, "a", 10)); // a -> b is missing
            set.record(sw(0, 3500, "a", 10, 1, "swapper/0", 0));
        }
        String j = Tool.run("report", "--json", dir.toString()).out().get(0);
        assertTrue(j.contains("\"switches\":3,\"unchained_switches\":1,"), j);
        assertTrue(j.contains("{\"tid\":10,\"comm\":\"a\",\"cpu_ns\":500,\"switched_in\":2,"), j);
        assertTrue(j.contains("{\"tid\":11,\"comm\":\"b\",\"cpu_ns\":0,\"switched_in\":0,\"voluntary\":1,"), j);
        assertTrue(Tool.run("report", dir.toString()).out().contains("  1 switches did not follow on from their CPU's previous one "
                + "(switches missing: lost, or between two of LKST/J's own threads, which it keeps out of the trace): the time between is not counted"));
    }

    @Test
    void aDamagedTraceIsReportedAsFarAsItGoesWithOneLinePerDamagedFileAndExit1() throws Exception {
        Path dir = trace();
        Path cpu1 = dir.resolve("cpu1-buffer0.lkst");
        Files.write(cpu1, java.util.Arrays.copyOf(Files.readAllBytes(cpu1), 100)); // its header cut
        Tool t = Tool.run("report", "--json", dir.toString());
        assertEquals(1, t.exit());
        assertEquals(1, t.out().size(), t.out().toString());
        assertTrue(t.out().get(0).contains("{\"tid\":100,\"comm\":\"work\",\"cpu_ns\":6000,"), "cpu 0 is read all the same: " + t.out());
        assertEquals(1, t.err().size(), t.err().toString());
        assertTrue(t.err().get(0).startsWith("lkst: " + cpu1), t.err().get(0));
        Tool help = Tool.run("report", "-h");
        assertEquals(0, help.exit());
        assertTrue(help.out().get(0).startsWith("usage: lkst report [--json] DIR"), help.out().toString());
    }

    @Test
    void aMissingTraceOrABadCommandLineIsOneLineAndNonZero() throws Exception {
        Tool none = Tool.run("report", tmp.resolve("nothing").toString());
        assertEquals(1, none.exit());
        assertEquals(1, none.err().size(), none.err().toString());
        assertTrue(none.err().get(0).startsWith("lkst: ") && none.err().get(0).contains("no such directory"), none.err().get(0));
        Tool bad = Tool.run("report", "--csv", tmp.toString());
        assertEquals(2, bad.exit());
        assertEquals(1, bad.err().size(), bad.err().toString());
        assertTrue(bad.err().get(0).contains("unknown option '--csv'") && bad.err().get(0).contains("usage: lkst report"), bad.err().get(0));
        assertTrue(none.out().isEmpty() && bad.out().isEmpty());
        assertFalse(Files.exists(tmp.resolve("nothing")));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        String t = trace().toString();
        for (List<String> args : List.of(List.of("report"), List.of("report", t, t), List.of("report", t, "-o", tmp.resolve("o").toString()),
                List.of("report", file.toString()), List.of("report", empty.toString()), List.of("report", ""))) {
            Tool r = Tool.run(args.toArray(String[]::new));
            String what = args + " -> " + r.exit() + " " + r.err();
            assertTrue(r.exit() == 1 || r.exit() == 2, what);
            assertEquals(1, r.err().size(), what);
            assertTrue(r.err().get(0).startsWith("lkst: ") && !r.err().get(0).contains("Exception"), what);
            assertTrue(r.out().isEmpty(), what);
        }
        assertFalse(Files.exists(tmp.resolve("o")));
    }
}
