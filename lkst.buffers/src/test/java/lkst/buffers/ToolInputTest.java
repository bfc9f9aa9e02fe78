package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.trace.TraceMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad command lines and bad places given to print, stats, recover and ctf: each is answered with exactly one line
 * on stderr starting "lkst: ", exit 2 (usage) or 1 (the input is not a readable trace), no stack trace, and
 * nothing written anywhere.
 */
class ToolInputTest {
    @TempDir Path tmp;
    Path trace;
    Path empty;
    Path file;
    Path busy;

    @BeforeEach
    void setUp() throws Exception {
        trace = tmp.resolve("trace");
        try (BufferSet set = new BufferSet(trace, 2, 4096, BufferMode.OVERWRITE, List.of(TestEvent.SEQ))) {
            TestEvent e = new TestEvent();
            set.record(e.named(0, 1_000_000_000L, 4, "a"));
            set.record(e.named(1, 2_000_000_000L, 5, "b"));
        }
        empty = Files.createDirectory(tmp.resolve("empty"));
        file = Files.writeString(tmp.resolve("file.txt"), "not a trace\n");
        busy = Files.createDirectory(tmp.resolve("busy"));
        Files.writeString(busy.resolve("keep"), "x");
    }

    /** Every file under tmp with its size: what a failed command must leave as it was. */
    Map<String, Long> snapshot() throws Exception {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.toList()) m.put(tmp.relativize(p).toString(), Files.isDirectory(p) ? -1 : Files.size(p));
        }
        return m;
    }

    void assertRefused(int exit, String expected, String... args) throws Exception {
        Map<String, Long> before = snapshot();
        Tool t = Tool.run(args);
        String what = String.join(" ", args) + " -> " + t.exit() + " out=" + t.out() + " err=" + t.err();
        assertEquals(exit, t.exit(), what);
        assertEquals(1, t.err().size(), what);
        String line = t.err().get(0);
        assertTrue(line.startsWith("lkst: "), what);
        assertTrue(line.contains(expected), what);
        assertEquals(List.of(), t.out(), what);
        for (String s : List.of(line, String.join("\n", t.out()))) {
            assertFalse(s.contains("Exception") || s.contains("\tat ") || s.contains("java."), what);
        }
        assertEquals(before, snapshot(), what + ": nothing written");
    }

    @Test
    void badCommandLinesAreUsageErrors() throws Exception {
        String t = trace.toString();
        assertRefused(2, "no command");
        assertRefused(2, "unknown command 'prnt'", "prnt", t);
        assertRefused(2, "needs a trace directory", "print");
        assertRefused(2, "needs a trace directory", "stats");
        assertRefused(2, "unknown option '--jsn'", "print", "--jsn", t);
        assertRefused(2, "unexpected argument", "print", t, t);
        assertRefused(2, "unknown option '-x'", "stats", "-x", t);
        assertRefused(2, "unknown option '--json'", "ctf", t, "--json");
        assertRefused(2, "unknown option '-o'", "print", t, "-o", tmp.resolve("o").toString());
        assertRefused(2, "-o needs a directory", "recover", t, "-o");
        assertRefused(2, "-o given twice", "ctf", t, "-o", tmp.resolve("a").toString(), "-o", tmp.resolve("b").toString());
        assertRefused(2, "empty string", "print", "");
        assertRefused(2, "--time 'utc': rel, mono or wall", "view", "--time", "utc", t);
        assertRefused(2, "--time needs rel, mono or wall", "view", t, "--time");
        assertRefused(2, "-o needs a file", "view", t, "-o");
        assertRefused(2, "unknown option '--json'", "view", "--json", t);
    }

    @Test
    void aTraceDirectoryThatIsNoneIsBadInput() throws Exception {
        assertRefused(1, "no such directory", "print", tmp.resolve("nope").toString());
        assertRefused(1, "no such directory", "recover", tmp.resolve("nope").toString(), "-o", tmp.resolve("out").toString());
        assertRefused(1, "not a directory", "stats", file.toString());
        assertRefused(1, "not a directory", "ctf", file.toString());
        assertRefused(1, "not a trace directory", "print", empty.toString());
        assertRefused(1, "not a trace directory", "ctf", empty.toString()); // and no empty.ctf beside it
        assertRefused(1, "not a trace directory", "recover", empty.toString());
        Files.delete(trace.resolve(TraceMetadata.FILE));
        Files.createDirectory(trace.resolve(TraceMetadata.FILE)); // there, but cannot be read
        assertRefused(1, "no such directory", "view", tmp.resolve("nope").toString(), "-o", tmp.resolve("p.html").toString());
        assertRefused(1, "not a trace directory", "view", empty.toString()); // and no empty.html beside it
        assertRefused(1, "trace.meta: cannot read", "stats", trace.toString());
    }

    @Test
    void anUnreadableDirectoryIsBadInput() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads every directory");
        Files.setPosixFilePermissions(trace, PosixFilePermissions.fromString("---------"));
        try {
            assertRefused(1, "cannot read", "print", trace.toString());
        } finally {
            Files.setPosixFilePermissions(trace, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void anOutputThatIsTakenOrCannotBeMadeIsRefusedAndNothingIsWritten() throws Exception {
        String t = trace.toString();
        assertRefused(2, "cannot create /proc/nope", "ctf", t, "-o", "/proc/nope");
        assertRefused(2, "cannot create /proc/nope", "recover", t, "-o", "/proc/nope");
        assertRefused(2, "not an empty directory", "recover", t, "-o", busy.toString());
        assertRefused(2, "not an empty directory", "ctf", t, "-o", busy.toString());
        assertRefused(2, "not a directory", "recover", t, "-o", file.toString());
        assertRefused(2, "already holds a trace", "recover", t, "-o", t);
        assertEquals(0, Tool.run("recover", t).exit());
        assertRefused(2, "already holds a trace", "recover", t); // the default DIR.recovered, from the run before
        assertRefused(2, "cannot write /proc/nope.html", "view", t, "-o", "/proc/nope.html");
        assertRefused(2, "cannot write " + tmp.resolve("missing/p.html"), "view", t, "-o", tmp.resolve("missing/p.html").toString());
        assertRefused(2, "is a directory: -o names the page's file", "view", t, "-o", busy.toString());
    }

    @Test
    void viewWritesItsPageBesideTheTraceOrAtOAndReplacesAnOldOne() throws Exception {
        String t = trace.toString();
        Tool beside = Tool.run("view", t);
        assertEquals(0, beside.exit(), beside.err().toString());
        assertTrue(Files.size(tmp.resolve("trace.html")) > 0);
        assertTrue(beside.out().get(0).startsWith(tmp.resolve("trace.html") + ": 2 events, 2 cpus"), beside.out().toString());
        Path page = Files.writeString(tmp.resolve("old.html"), "an old page");
        assertEquals(0, Tool.run("view", "--time", "wall", t, "-o", page.toString()).exit());
        assertTrue(Files.readString(page).startsWith("<!DOCTYPE html>"));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(".part-")).toList(), "no part file left");
        }
    }

    @Test
    void helpOnEveryCommandPrintsItsUsageToStdout() {
        for (String command : List.of("print", "stats", "recover", "ctf", "view")) {
            for (String help : List.of("-h", "--help")) {
                Tool t = Tool.run(command, help);
                assertEquals(0, t.exit(), command + " " + help);
                assertEquals(List.of(), t.err());
                assertTrue(t.out().get(0).startsWith("usage: lkst " + command), t.out().toString());
            }
        }
        assertEquals(0, Tool.run("print", trace.toString(), "--help").exit(), "help anywhere on the line");
        Tool all = Tool.run("--help");
        assertEquals(0, all.exit());
        assertTrue(all.out().get(0).contains("print") && all.out().get(0).contains("ctf"), all.out().toString());
    }

    @Test
    void anEmptyOutputDirectoryIsUsed() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Tool t = Tool.run("recover", trace.toString(), "-o", out.toString());
        assertEquals(0, t.exit(), t.err().toString());
        assertEquals(Tool.run("print", trace.toString()).out(), Tool.run("print", out.toString()).out());
    }
}
