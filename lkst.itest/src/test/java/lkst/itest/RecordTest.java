package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./lkst record as people use it: real launcher processes, the real kernel's tracefs, real trace directories. */
class RecordTest {
    @TempDir
    Path home;
    Launcher lkst;
    Path dir;

    @BeforeEach
    void kernel() {
        assumeTrue(Launcher.kernelTracing(), "needs root and tracefs mounted at /sys/kernel/tracing (kernel events)");
        lkst = new Launcher(home);
        dir = home.resolve("trace");
    }

    @Test
    void sigintStopsTheRecordingLikeItsNormalEndAndTheNextRecordWorks() throws Exception {
        Launcher.Running running = lkst.start("record", "-e", "PROCESS_CONTEXTSWITCH", "-o", dir.toString(), "--", "sleep", "30");
        awaitCommand(running.process(), "sleep");
        signal("INT", running.process().pid());
        Launcher.Run r = running.await();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("; stopped by SIGINT"), r.err());
        assertTrue(r.err().contains("logger stopped"), "the logger was stopped as at a normal end: " + r.err());
        assertTrue(Files.readString(dir.resolve("trace.lost")).contains("cpu 0 kernel "), "trace.lost written");
        assertFalse(Files.exists(home.resolve("trace.buffers")), "the buffers are removed once drained");
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+\\d+\\s+sched:sched_switch\\s+PROCESS_CONTEXTSWITCH")), "summary: " + r.out());
        Launcher.Run stats = lkst.run("stats", dir.toString());
        assertEquals(0, stats.exit(), stats.err());
        assertTrue(stats.out().contains("sched:sched_switch"), stats.out());

        Launcher.Run next = lkst.run("record", "-e", "PROCESS_CONTEXTSWITCH", "-o", dir.toString(), "--", "true");
        assertEquals(0, next.exit(), next.err());
        assertTrue(Files.exists(home.resolve("trace.old/trace.lost")), "the interrupted trace became trace.old");
    }

    @Test
    void ctrlCThatReachesTheCommandFirstStillCountsAsStopped() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "needs setsid (util-linux)");
        Launcher.Running running = lkst.startAsJob("record", "-e", "PROCESS_CONTEXTSWITCH", "-o", dir.toString(), "--", "sleep", "30");
        awaitCommand(running.process(), "sleep");
        // Ctrl-C signals the terminal's whole foreground process group: the launcher and its command at once
        signal("INT", -running.process().pid());
        Launcher.Run r = running.await();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("; stopped by SIGINT"), r.err());
        assertTrue(Files.exists(dir.resolve("trace.lost")), "trace.lost written");
    }

    @Test
    void sigtermStopsTheRecordingToo() throws Exception {
        Launcher.Running running = lkst.start("record", "-e", "PROCESS_CONTEXTSWITCH", "-o", dir.toString(), "-d", "60");
        awaitFile(dir.resolve("trace.meta"), running.process());
        signal("TERM", running.process().pid());
        Launcher.Run r = running.await();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("; stopped by SIGTERM"), r.err());
        assertTrue(Files.exists(dir.resolve("trace.lost")), "trace.lost written");
    }

    @Test
    void killNineLeavesWhatRecoverReadsAndChangesNothingForLaterRuns() throws Exception {
        Launcher.Run select = lkst.run("-c", "lkst:maskset copy default light; lkst:maskset select light");
        assertEquals(0, select.exit(), select.err());
        Launcher.Running running = lkst.start("record", "-e", "PROCESS_CONTEXTSWITCH", "-o", dir.toString(), "--", "sleep", "30");
        ProcessHandle sleep = awaitCommand(running.process(), "sleep");
        running.process().destroyForcibly().waitFor();
        sleep.destroyForcibly();
        assertTrue(Files.isDirectory(home.resolve("trace.buffers")), "the buffers survive, for recover");
        Launcher.Run recover = lkst.run("recover", home.resolve("trace.buffers").toString(), "-o", home.resolve("recovered").toString());
        assertEquals(0, recover.exit(), recover.err());

        Launcher.Run status = lkst.run("-c", "lkst:status; lkst:maskset");
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("maskset     light"), "the selection is the one before the killed run: " + status.out());
        assertFalse(status.out().contains(".record"), "the killed run's maskset did not outlive it: " + status.out());
        try (Stream<Path> config = Files.walk(home.resolve("var/config"))) {
            for (Path p : config.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(p).contains(".record"), "nothing of the run persisted: " + p);
            }
        }
        Launcher.Run next = lkst.run("record", "-e", "PROCESS_CONTEXTSWITCH", "-o", dir.toString(), "--", "true");
        assertEquals(0, next.exit(), next.err());
        assertTrue(Files.isDirectory(home.resolve("trace.old.buffers")), "the crash's buffers moved along with trace.old: " + next.err());
    }

    @Test
    void eTakesAnyTracepointAWholeSystemAndGlobsAndFTheirKernelFilter() throws Exception {
        Launcher.Run r = lkst.run("record", "-e", "sched:sched_process_exec", "-e", "sched:sched_wak*", "-e", "signal",
                "-e", "raw_syscalls:sys_enter", "-f", "id == 39", "-o", dir.toString(),
                "--", "sh", "-c", "trap : USR1; kill -USR1 $$; ls / >/dev/null");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = lkst.run("print", dir.toString()).out().lines().toList();
        Set<String> tracepoints = new HashSet<>();
        for (String l : lines) tracepoints.add(tracepoint(l));
        assertTrue(tracepoints.containsAll(Set.of("sched:sched_process_exec", "sched:sched_waking", "sched:sched_wakeup",
                "signal:signal_generate", "raw_syscalls:sys_enter")), tracepoints.toString());
        assertTrue(lines.stream().filter(l -> tracepoint(l).equals("raw_syscalls:sys_enter")).allMatch(l -> l.contains(" NR 39 (")),
                "-f kept only getpid (39) of the system calls"); // printed by sys_enter's print format: NR 39 (…)
    }

    @Test
    void followTracesOnlyTheCommandAndItsDescendantsFromItsExecOn() throws Exception {
        Path pidFile = home.resolve("pid");
        Launcher.Run r = lkst.run("record", "-F", "-e", "raw_syscalls:sys_enter", "-e", "sched:sched_process_fork", "-o", dir.toString(),
                "--", "sh", "-c", "echo $$ > " + pidFile + "; ls / >/dev/null; exit 3");
        assertEquals(3, r.exit(), "the command's exit status is record's: " + r.err());
        assertTrue(r.err().contains("; command exited with status 3"), r.err());
        assertTrue(Files.exists(dir.resolve("trace.lost")), "the trace is complete all the same");
        assertFalse(r.err().contains("warning"), "no loss warning when nothing was lost: " + r.err());
        int command = Integer.parseInt(Files.readString(pidFile).trim());
        List<String> lines = lkst.run("print", dir.toString()).out().lines().toList();
        Set<Integer> family = new HashSet<>(Set.of(command));
        Matcher fork = Pattern.compile(" parent_pid=(\\d+) .*child_pid=(\\d+)").matcher("");
        for (String l : lines) if (fork.reset(l).find() && family.contains(Integer.parseInt(fork.group(1)))) family.add(Integer.parseInt(fork.group(2)));
        assertTrue(family.size() > 1, "the command's fork of ls was traced: " + lines.size() + " events");
        long ofCommand = 0;
        for (String l : lines) {
            int p = pid(l);
            assertTrue(family.contains(p), "only the command and its descendants " + family + ": " + l);
            if (p == command) ofCommand++;
        }
        assertTrue(ofCommand > 0, "the command itself is traced, though the JVM that started it is not");
    }

    @Test
    void pidsTraceOnlyTheGivenProcesses() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do cat /dev/null; done").start();
        try {
            Launcher.Run r = lkst.run("record", "-P", Long.toString(busy.pid()), "-e", "sched:sched_process_fork",
                    "-e", "raw_syscalls:sys_enter", "-o", dir.toString(), "-d", "1");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.err().contains("stopped after 1 s (-d)"), r.err());
            List<String> lines = lkst.run("print", dir.toString()).out().lines().toList();
            assertFalse(lines.isEmpty(), "the shell forks cat all the time");
            assertTrue(lines.stream().allMatch(l -> pid(l) == busy.pid()), "only pid " + busy.pid() + ": "
                    + lines.stream().filter(l -> pid(l) != busy.pid()).findFirst().orElse(""));
        } finally {
            busy.destroyForcibly();
        }
    }

    @Test
    void pidsWithChildrenTraceWhatTheyForkToo() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do cat /dev/null; done").start();
        try {
            Launcher.Run r = lkst.run("record", "-P", Long.toString(busy.pid()), "-c", "-e", "sched:sched_process_fork",
                    "-e", "sched:sched_process_exec", "-o", dir.toString(), "-d", "1");
            assertEquals(0, r.exit(), r.err());
            List<String> lines = lkst.run("print", dir.toString()).out().lines().toList();
            Set<Integer> family = new HashSet<>(Set.of((int) busy.pid()));
            Matcher fork = Pattern.compile(" parent_pid=(\\d+) .*child_pid=(\\d+)").matcher("");
            for (String l : lines) if (fork.reset(l).find() && family.contains(Integer.parseInt(fork.group(1)))) family.add(Integer.parseInt(fork.group(2)));
            long execs = 0;
            for (String l : lines) {
                int p = pid(l);
                // a cat forked just before tracing began is traced from its exec on (-c takes the children alive then)
                if (tracepoint(l).equals("sched:sched_process_exec") && l.contains(" filename=/usr/bin/cat ")) family.add(p);
                assertTrue(family.contains(p), "only pid " + busy.pid() + " and what it forked " + family + ": " + l);
                if (p != busy.pid() && tracepoint(l).equals("sched:sched_process_exec")) execs++;
            }
            assertTrue(execs > 0, "the children's exec of cat is traced with -c: " + lines.size() + " events");
        } finally {
            busy.destroyForcibly();
        }
    }

    @Test
    void aProbeDefinedOnTheCommandLineIsTraced() throws Exception {
        Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        assumeTrue(Files.isRegularFile(libc), "needs " + libc);
        Launcher.Run r = lkst.run("record", "--probe", "mal=" + libc + ":malloc", "-e", "uprobes:mal", "-F",
                "-o", dir.toString(), "--", "ls", "/");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+\\d+\\s+uprobes:mal\\b.*")), r.out());
    }

    @Test
    void aRecordingThatLostMoreThanOnePercentEndsWithAWarning() throws Exception {
        Launcher.Run r = lkst.run("record", "-b", "4k", "-e", "raw_syscalls:sys_enter", "-e", "raw_syscalls:sys_exit",
                "-o", dir.toString(), "--", "dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=50000", "status=none");
        assertEquals(0, r.exit(), r.err());
        List<String> err = r.errLines();
        String last = err.get(err.size() - 1);
        assertTrue(last.matches("lkst: warning: [\\d,]+ of [\\d,]+ events were lost \\(\\d+\\.\\d %\\): give larger buffers \\(-b, now 4k\\).*"), last);
    }

    private static final Pattern LINE = Pattern.compile("^\\S+ \\[\\d+\\] (?:.*?-)?(\\d+)/\\d+ (?:[A-Z][A-Z0-9_]* )?(\\S+)");

    /** The pid of a line of ./lkst print: "time [cpu] comm-pid/tid [LKST_EVENT] tracepoint fields…". */
    private static int pid(String line) {
        Matcher m = LINE.matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(1));
    }

    private static String tracepoint(String line) {
        Matcher m = LINE.matcher(line);
        assertTrue(m.find(), line);
        return m.group(2);
    }

    /** Waits (as long as the launcher runs) for its command to have started: tracing runs by then. */
    private static ProcessHandle awaitCommand(Process launcher, String command) throws Exception {
        while (launcher.isAlive()) {
            for (ProcessHandle h : launcher.descendants().toList()) {
                if (h.info().command().orElse("").endsWith("/" + command)) return h;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("lkst ended before it started " + command);
    }

    private static void awaitFile(Path file, Process launcher) throws Exception {
        while (launcher.isAlive() && !Files.exists(file)) Thread.sleep(50);
        assertTrue(Files.exists(file), "lkst ended before it wrote " + file);
    }

    private static void signal(String signal, long pid) throws Exception {
        // a negative pid is a process group
        assertEquals(0, new ProcessBuilder("kill", "-s", signal, "--", Long.toString(pid)).inheritIO().start().waitFor());
    }
}
