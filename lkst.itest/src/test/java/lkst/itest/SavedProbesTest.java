package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lkst.itest.Lkst.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracepoints and uprobes added at run time and bound in a saved maskset are there at the next start of ./lkst
 * (SavedProbes), and a uprobe on a program rebuilt since is refused in one line.
 */
class SavedProbesTest {
    @TempDir
    Path home;

    @BeforeEach
    void needsKernelEvents() {
        assumeTrue(Files.isWritable(Path.of("/sys/kernel/tracing/instances")),
                "needs root and tracefs mounted at /sys/kernel/tracing (kernel events)");
    }

    /** The events of a trace made by ./lkst record -m MASKSET -- COMMAND, as ./lkst print prints them. */
    private List<String> record(String maskset, String... command) throws Exception {
        Path dir = home.resolve("trace-" + System.nanoTime());
        List<String> args = new java.util.ArrayList<>(List.of("record", "-m", maskset, "-o", dir.toString(), "--"));
        args.addAll(List.of(command));
        Run r = Lkst.run(home, args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.err());
        Run print = Lkst.run(home, "print", dir.toString());
        assertEquals(0, print.exit(), print.err());
        return print.out().lines().toList();
    }

    @Test
    void aTracepointAddedAtRunTimeAndBoundInASavedMasksetIsThereAtTheNextStart() throws Exception {
        Run first = Lkst.run(home, "-c", "lkst:tracepoint add sched:sched_process_exec; lkst:maskset copy off m; "
                + "lkst:maskset set m sched:sched_process_exec 1");
        assertEquals(0, first.exit(), first.err());
        Run next = Lkst.run(home, "-c", "lkst:events sched_process_exec; lkst:status");
        assertEquals(0, next.exit(), next.err());
        assertTrue(next.out().lines().anyMatch(l -> l.matches("\\s*\\d+ sched:sched_process_exec\\s+process\\s+kernel .*")), next.out());
        assertTrue(next.out().contains("probes      saved at a previous run, re-added: sched:sched_process_exec"), next.out());
        List<String> events = record("m", "/bin/true");
        assertTrue(events.stream().anyMatch(l -> l.contains(" sched:sched_process_exec filename=/bin/true ")), String.join("\n", events));
    }

    private Path compile(Path program, String buildId) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cc")), "needs a C compiler (cc)");
        Path src = home.resolve("prog.c");
        Files.writeString(src, """
                int lkst_probe_me(int x) { return x * 2 + 1; }
                int main(void) { int s = 0; for (int i = 0; i < 5; i++) s += lkst_probe_me(i); return s == 25 ? 0 : 1; }
                """);
        Process p = new ProcessBuilder("cc", "-O0", "-o", program.toString(), src.toString(), "-Wl,--build-id=" + buildId)
                .redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), msg);
        return program;
    }

    @Test
    void aUprobeIsSavedWithItsBuildIdReAddedAndRefusedOnceTheProgramIsRebuilt() throws Exception {
        Path prog = compile(home.resolve("prog"), "0x1111");
        Run first = Lkst.run(home, "-c", "lkst:probe add pm " + prog + ":lkst_probe_me; lkst:maskset copy off u; "
                + "lkst:maskset set u uprobes:pm 1");
        assertEquals(0, first.exit(), first.err());
        List<String> events = record("u", prog.toString());
        assertEquals(5, events.stream().filter(l -> l.contains(" uprobes:pm ")).count(),
                "re-added at start, its offset found again: one event per call of lkst_probe_me\n" + String.join("\n", events));

        compile(prog, "0x2222");
        Run rebuilt = Lkst.run(home, "-c", "lkst:status; lkst:probe");
        assertEquals(0, rebuilt.exit(), rebuilt.err());
        assertTrue(rebuilt.out().contains("not re-added: uprobe pm " + prog + ":lkst_probe_me: " + prog
                + " changed since the uprobe was added (build-id 2222, saved with 1111)"), rebuilt.out());
        assertFalse(rebuilt.out().contains("uprobes (group"), "no uprobe was added: " + rebuilt.out());

        Run again = Lkst.run(home, "-c", "lkst:probe add pm " + prog + ":lkst_probe_me");
        assertEquals(0, again.exit(), again.err());
        Run after = Lkst.run(home, "-c", "lkst:status");
        assertTrue(after.out().contains("re-added: uprobes:pm"), after.out());
        assertFalse(after.out().contains("not re-added"), "added again, the program as it is now: " + after.out());
    }

    @Test
    void aSavedTracepointThisKernelLacksIsReportedInOneLineAndStaysSaved() throws Exception {
        // as an LKST/J on another kernel saved it (Configuration Admin's file under var/config)
        Path saved = home.resolve("var/config/lkst/probes.config");
        Files.createDirectories(saved.getParent());
        Files.writeString(saved, "service.pid=\"lkst.probes\"\ntracepoints=[ \\\n  \"sched:sched_no_such_event\", \\\n  ]\n");
        Run r = Lkst.run(home, "-c", "lkst:status");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("not re-added: tracepoint sched:sched_no_such_event: "
                + "no tracepoint sched:sched_no_such_event on this kernel")), r.out());
        assertTrue(Lkst.run(home, "-c", "lkst:status").out().contains("not re-added: tracepoint sched:sched_no_such_event"),
                "still saved, still said");
    }
}
