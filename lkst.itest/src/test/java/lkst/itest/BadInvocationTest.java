package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad invocations of ./lkst, as people type them: each gets exactly one line on standard error, the exit status a
 * shell would give (2 usage, 126 cannot run, 127 not found, else 1), no stack trace, and changes nothing on disk —
 * the previous trace stays in DIR and DIR.old.
 */
class BadInvocationTest {
    @TempDir
    Path home;

    record Case(int exit, String expected, String... args) {}

    @Test
    void eachBadInvocationGetsOneLineANonZeroExitAndChangesNothing() throws Exception {
        Launcher lkst = new Launcher(home);
        Path dir = home.resolve("t");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("trace.meta"), "the previous trace");
        Files.writeString(dir.resolve("cpu0-log-000001.lkst"), "its records");
        Files.createDirectories(home.resolve("t.old"));
        Files.writeString(home.resolve("t.old/trace.meta"), "the one before");
        Path notExecutable = Files.writeString(home.resolve("script"), "echo hi\n");
        Path notATrace = Files.createDirectories(home.resolve("notes"));
        Files.writeString(notATrace.resolve("todo.txt"), "mine");
        Map<String, String> before = snapshot();
        String o = dir.toString();

        List<Case> cases = new ArrayList<>(List.of(
                new Case(2, "give -d SECONDS or a COMMAND", "record"),
                new Case(2, "bad duration 'soon'", "record", "-d", "soon"),
                new Case(2, "bad duration '0'", "record", "-o", o, "-d", "0"),
                new Case(2, "bad duration '-1'", "record", "-o", o, "-d", "-1"),
                new Case(2, "bad size '1X'", "record", "-b", "1X", "-o", o, "-d", "1"),
                new Case(2, "bad size '0'", "record", "-b", "0", "-o", o, "-d", "1"),
                new Case(2, "over the limit of 1 GiB", "record", "-b", "2G", "-o", o, "-d", "1"),
                new Case(2, "unknown option '-z'", "record", "-z", "-o", o, "-d", "1"),
                new Case(2, "-e needs a value", "record", "-d", "1", "-e"),
                new Case(2, "give -e first", "record", "-f", "prev_pid == 1", "-o", o, "-d", "1"),
                new Case(2, "-F follows COMMAND", "record", "-F", "-o", o, "-d", "1"),
                new Case(2, "give -F or -P, not both", "record", "-F", "-P", "1", "-o", o, "--", "true"),
                new Case(2, "bad pid 'abc'", "record", "-P", "abc", "-o", o, "-d", "1"),
                new Case(2, "give -P", "record", "-c", "-o", o, "-d", "1"),
                new Case(2, "bad --probe 'nonsense'", "record", "--probe", "nonsense", "-o", o, "-d", "1"),
                new Case(2, "needs --probe x=PATH:SYMBOL", "record", "-e", "uprobes:x", "-o", o, "-d", "1"),
                new Case(127, "no such command: lkst-no-such-command", "record", "-o", o, "--", "lkst-no-such-command", "-x"),
                new Case(127, "no such command: /no/such/program", "record", "-o", o, "/no/such/program"),
                new Case(126, "permission denied", "record", "-o", o, "--", notExecutable.toString()),
                new Case(126, "is a directory", "record", "-o", o, "--", home.toString()),
                new Case(1, "cannot write in /proc", "record", "-o", "/proc/nope", "-d", "1"),
                new Case(1, "no directory " + home.resolve("missing"), "record", "-o", home.resolve("missing/t").toString(), "-d", "1"),
                new Case(1, "is not a trace directory", "record", "-o", notATrace.toString(), "-d", "1"),
                new Case(1, "no process 4194304", "record", "-P", "4194304", "-o", o, "-d", "1"),
                new Case(1, "no such program /no/such/lib.so", "record", "--probe", "p=/no/such/lib.so:main", "-e", "uprobes:p", "-o", o, "-d", "1"),
                new Case(2, "unknown command 'frobnicate'", "frobnicate"),
                new Case(2, "unknown option '--frobnicate'", "--frobnicate"),
                new Case(2, "-c takes one argument", "-c"),
                new Case(2, "-c takes one argument", "-c", "lkst:status", "lkst:status"),
                new Case(2, "print: needs a trace directory", "print"),
                new Case(1, "no such directory", "stats", home.resolve("nothing-here").toString()),
                new Case(1, "no such directory", "view", home.resolve("nothing-here").toString()),
                new Case(2, "view: needs a trace directory", "view", "-o", home.resolve("p.html").toString()),
                // these need the runtime to tell: it starts, refuses, and still moves nothing
                new Case(1, "no event 'NO_SUCH_EVENT'", "record", "-e", "NO_SUCH_EVENT", "-o", o, "-d", "1"),
                new Case(1, "no maskset 'nope'", "record", "-m", "nope", "-o", o, "-d", "1"),
                new Case(1, "no maskset 'nope'", "-c", "lkst:maskset select nope"),
                new Case(1, "lkst-no-such-command", "-c", "lkst-no-such-command")));
        if (Launcher.kernelTracing()) {
            cases.addAll(List.of(
                    new Case(1, "no tracepoint sched:no_such_tracepoint on this kernel", "record", "-e", "sched:no_such_tracepoint", "-o", o, "-d", "1"),
                    new Case(1, "no event 'nosystem'", "record", "-e", "nosystem", "-o", o, "-d", "1"),
                    new Case(1, "no tracepoint matches sched:zz*", "record", "-e", "sched:zz*", "-o", o, "-d", "1"),
                    new Case(1, "-f prev_pid === 1", "record", "-e", "sched:sched_switch", "-f", "prev_pid === 1", "-o", o, "-d", "1")));
        }
        assertTrue(cases.size() >= 25, "at least 25 bad invocations: " + cases.size());
        for (Case c : cases) {
            String what = "lkst " + String.join(" ", c.args());
            Launcher.Run r = lkst.run(c.args());
            assertEquals(c.exit(), r.exit(), what + ": " + r.err());
            assertEquals(1, r.errLines().size(), what + ": exactly one line on stderr: " + r.err());
            String line = r.errLines().get(0);
            assertTrue(line.startsWith("lkst: "), what + ": " + line);
            assertTrue(line.contains(c.expected()), what + ": " + line);
            assertFalse(line.contains("Exception") || line.contains("at lkst.") || line.contains("\tat "), what + ": " + line);
            assertEquals("", r.out(), what + ": nothing on stdout");
            assertEquals(before, snapshot(), what + ": nothing on disk changed");
        }
    }

    @Test
    void everySubcommandAnswersHelpWithItsUsageOnStandardOutput() throws Exception {
        Launcher lkst = new Launcher(home);
        for (String[] args : List.of(new String[]{"--help"}, new String[]{"-h"}, new String[]{"record", "--help"},
                new String[]{"record", "-e", "X", "-h"}, new String[]{"print", "--help"}, new String[]{"stats", "--help"},
                new String[]{"recover", "-h"}, new String[]{"ctf", "--help"}, new String[]{"view", "--help"})) {
            Launcher.Run r = lkst.run(args);
            String what = "lkst " + String.join(" ", args);
            assertEquals(0, r.exit(), what + ": " + r.err());
            assertTrue(r.out().startsWith("usage: lkst"), what + ": " + r.out());
            assertEquals("", r.err(), what);
        }
    }

    @Test
    void commandsRunWithoutATerminalPrintTheirAnswersAndNoLogLines() throws Exception {
        Launcher.Run r = new Launcher(home).run("-c", "lkst:status");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("tracing "), r.out());
        assertEquals("", r.err(), "the runtime's INFO lines go to " + home.resolve("var/log/lkst.log"));
        assertTrue(Files.exists(home.resolve("var/log/lkst.log")));
    }

    /** Every file of the traces (DIR, DIR.old, DIR.buffers, …) and the user's files, with their contents. */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.toList()) {
                String rel = home.relativize(p).toString();
                if (rel.startsWith("out") || rel.startsWith("err") || rel.startsWith("var") || rel.startsWith("deploy")) continue;
                m.put(rel, Files.isRegularFile(p) ? Files.readString(p) : "/");
            }
        }
        return m;
    }
}
