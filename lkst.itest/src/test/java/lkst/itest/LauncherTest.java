package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./lkst launcher as a user runs it: lkst.jar -c 'CMD; CMD' in a process of its own. */
class LauncherTest {
    @TempDir
    Path home;

    record Run(int exit, String out, String err) {}

    Run lkst(String... args) throws Exception {
        List<String> cmd = Lkst.command(home, args);
        // output to files: a pipe nobody reads while the process runs would stall a long print
        Path out = java.nio.file.Files.createTempFile(home, "out", ".txt");
        Path err = java.nio.file.Files.createTempFile(home, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lkst " + String.join(" ", args) + " did not exit within 60 s");
        }
        return new Run(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void commandsRunWithoutATerminalAndExitZero() throws Exception {
        Run r = lkst("-c", "lkst:status; lkst:maskset");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("maskset     default"), r.out());
        assertTrue(r.out().contains("*    1 default"), r.out());
    }

    @Test
    void aFailingCommandGivesOneErrorLineAndNonZeroExitAndStopsTheRest() throws Exception {
        Run r = lkst("-c", "lkst:maskset select nope; lkst:maskset create never");
        assertEquals(1, r.exit());
        List<String> lkstLines = r.err().lines().filter(l -> l.startsWith("lkst:")).toList();
        assertEquals(List.of("lkst: lkst:maskset select nope: no maskset 'nope' (lkst:maskset list shows them)"), lkstLines);
        Run after = lkst("-c", "lkst:maskset");
        assertTrue(!after.out().contains("never"), "nothing after the failing command ran");
    }

    @Test
    void malformedNumberIsRefusedWithAClearMessage() throws Exception {
        Run r = lkst("-c", "lkst:maskset create m; lkst:maskset set m SYSCALL_ENTRY 12x");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("bad handler id '12x'"), r.err());
        assertTrue(lkst("-c", "lkst:maskset show m").out().contains("0 events"), "the failed set changed nothing");
    }

    @Test
    void masksetsAndTheirSelectionSurviveARestart() throws Exception {
        Run first = lkst("-c", "lkst:maskset copy default light; lkst:maskset unset light SYSCALL_ENTRY; lkst:maskset select light");
        assertEquals(0, first.exit(), first.err());
        Run second = lkst("-c", "lkst:status; lkst:maskset show light");
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("maskset     light"), second.out());
        assertTrue(!second.out().contains("SYSCALL_ENTRY "), second.out());
        assertTrue(second.out().contains("SYSCALL_EXIT"), second.out());
    }

    @Test
    void handlerParametersSetWithCtlSurviveARestart() throws Exception {
        Run first = lkst("-c", "lkst:ctl pid-filter pids 5,6");
        assertEquals(0, first.exit(), first.err());
        Run bad = lkst("-c", "lkst:ctl pid-filter pids five");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("bad value 'five' for pids"), bad.err());
        Run second = lkst("-c", "lkst:ctl pid-filter");
        assertTrue(second.out().contains("pids=[5, 6]"), second.out());
    }

    @Test
    void kernelProbeIsRefusedWithWhyAndWhatToUseInstead() throws Exception {
        Run r = lkst("-c", "lkst:probe add k do_sys_open");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("CONFIG_KPROBES") || r.err().contains("kernel events are unavailable"), r.err());
    }

    @Test
    void recordTracesOnlyTheAskedEventsWhileACommandRunsAndPrintReadsIt() throws Exception {
        assumeTrue(java.nio.file.Files.isWritable(Path.of("/sys/kernel/tracing/instances")),
                "needs root and tracefs mounted at /sys/kernel/tracing (kernel events)");
        Path dir = home.resolve("trace");
        Run r = lkst("record", "-e", "PROCESS_CONTEXTSWITCH", "-o", dir.toString(), "--", "sleep", "0.3");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("traced"), r.err());
        assertTrue(r.err().contains("masked=0"), "stop drains the kernel's buffers first: nothing arrives after it " + r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+\\d+\\s+sched:sched_switch\\s+PROCESS_CONTEXTSWITCH")), r.out());
        // what was lost stays with the trace (trace.lost), per CPU: in the kernel and in LKST/J's buffers
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+cpu 0: lost while logging: buffers \\d+, kernel \\d+")), r.out());
        assertTrue(java.nio.file.Files.readString(dir.resolve("trace.lost")).contains("cpu 0 kernel "));
        Run print = lkst("print", dir.toString());
        assertEquals(0, print.exit(), print.err());
        List<String> lines = print.out().lines().toList();
        assertTrue(lines.size() > 10, "a 0.3 s sleep on 2 CPUs switches context more than 10 times: " + lines.size());
        assertTrue(lines.stream().allMatch(l -> l.contains(" PROCESS_CONTEXTSWITCH sched:sched_switch prev_comm=")), lines.get(0));
        Run json = lkst("print", "--json", dir.toString());
        assertTrue(json.out().lines().allMatch(l -> l.startsWith("{\"time\":") && l.contains("\"next_pid\":")), json.out());
        // the same trace as CTF 1.8, as babeltrace2 (LTTng's reader) sees it: every event, with its kernel fields
        Run ctf = lkst("ctf", dir.toString(), "-o", home.resolve("ctf").toString());
        assertEquals(0, ctf.exit(), ctf.err());
        assertTrue(ctf.out().startsWith("CTF 1.8 trace "), ctf.out());
        if (java.nio.file.Files.isExecutable(Path.of("/usr/bin/babeltrace2"))) {
            Process bt = new ProcessBuilder("babeltrace2", home.resolve("ctf").toString()).redirectErrorStream(true).start();
            List<String> events = new String(bt.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertEquals(0, bt.waitFor(), String.join("\n", events));
            assertEquals(lines.size(), events.size(), "babeltrace2 reads as many events as print");
            assertTrue(events.stream().allMatch(l -> l.contains(" sched:sched_switch: ") && l.contains("prev_comm = \"")), events.get(0));
        } else {
            System.out.println("babeltrace2 not installed: the CTF export of a kernel trace was written but not read back");
        }
        assertTrue(lkst("-c", "lkst:status").out().contains("maskset     default"), "record leaves the selection as it was");
    }

    @Test
    void withoutTracefsTheRuntimeStartsSaysWhyAndJvmEventsStillWork() throws Exception {
        java.nio.file.Files.createDirectories(home.resolve("deploy"));
        java.nio.file.Files.writeString(home.resolve("deploy/lkst.kernel.cfg"), "tracefs=" + home.resolve("no-tracefs") + "\n");
        // the configuration reaches Configuration Admin through FileInstall a moment after start, and persists: a
        // short run may end before it got there, so start until a run has seen it (the runs after it are judged)
        for (int i = 0; i < 10 && !lkst("-c", "lkst:status").out().contains("kernel events unavailable"); i++) {
            Thread.sleep(100);
        }
        Run r = lkst("-c", "lkst:status; lkst:maskset create j; lkst:maskset set j LKST_TEST 3; lkst:maskset select j; lkst:fire 4; lkst:ctl count");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("kernel events unavailable") && r.out().contains("no-tracefs"), r.out());
        assertTrue(r.out().contains("counts={LKST_TEST=4}"), r.out());
        assertEquals("tracefs=" + home.resolve("no-tracefs") + "\n", java.nio.file.Files.readString(home.resolve("deploy/lkst.kernel.cfg")),
                "the user's deploy/*.cfg is read, never written back");
    }

    @Test
    void recordRefusesABadDurationWithUsage() throws Exception {
        Run r = lkst("record", "-d", "soon");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bad duration 'soon'") && r.err().contains("usage: lkst record"), r.err());
    }

    @Test
    void unknownArgumentsAreRefusedWithUsage() throws Exception {
        Run r = lkst("--frobnicate");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("usage: lkst"), r.err());
    }

    @Test
    void testEventIsFiredAndCountedFromTheShell() throws Exception {
        Run r = lkst("-c", "lkst:maskset create c; lkst:maskset set c LKST_TEST 3; lkst:maskset select c; lkst:fire 7 hello; lkst:ctl count");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("fired 7 of 7 LKST_TEST events"), r.out());
        assertTrue(r.out().contains("counts={LKST_TEST=7}"), r.out());
    }
}
