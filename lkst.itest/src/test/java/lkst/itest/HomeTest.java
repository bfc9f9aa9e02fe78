package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One home, one owner: an interactive ./lkst owns what it writes under its home's var/; a ./lkst -c or ./lkst record
 * started beside it on the same home works with files of its own and never moves, deletes or writes the owner's.
 */
class HomeTest {
    @TempDir
    Path dir;

    Path home() { return dir.resolve("home"); }

    Path trace() { return home().resolve("var/trace"); }

    /** The first runtime: the interactive shell, its input from a pipe; only LKST_TEST recorded, so that it stays. */
    Lkst.Shell owner() throws Exception {
        Lkst.Shell s = new Lkst.Shell(Lkst.java(home()));
        s.run("lkst:maskset create jvm");
        s.run("lkst:maskset set jvm LKST_TEST 1");
        s.run("lkst:maskset select jvm");
        return s;
    }

    @Test
    void runsBesideAnInteractiveRuntimeLeaveItsFlightRecorderAloneAndRecoverReadsItAfterKill9() throws Exception {
        Map<String, Object> files;
        try (Lkst.Shell first = owner()) {
            first.run("lkst:fire 10 before");
            files = inodes(trace());
            assertTrue(files.keySet().stream().anyMatch(f -> f.endsWith(".lkst")), files.toString());
            assertTrue(mapped(first.process.pid(), trace()), "the owner maps its buffers");

            Lkst.Run status = Lkst.run(home(), "-c", "lkst:status");
            assertEquals(0, status.exit(), status.err());
            assertTrue(status.err().contains("is in use by another LKST/J (pid " + first.process.pid() + ")"), status.err());
            assertTrue(status.out().contains("trace directory " + home().resolve("var/run")), "its own flight recorder: " + status.out());
            Lkst.Run record = Lkst.run(home(), "record", "-d", "1", "-o", dir.resolve("rec").toString());
            assertEquals(0, record.exit(), record.err());
            assertTrue(Files.isRegularFile(dir.resolve("rec/trace.meta")), record.err());

            assertEquals(files, inodes(trace()), "the owner's files are the same files");
            assertFalse(Files.exists(home().resolve("var/trace.old")), "nothing moved the owner's trace away");
            assertTrue(mapped(first.process.pid(), trace()), "and the owner still writes into them");
            assertEquals(List.of(), list(home().resolve("var/run")), "the guests removed their folders");

            first.run("lkst:fire 5 after");
            first.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9
        }
        Path recovered = dir.resolve("recovered");
        Lkst.Run recover = Lkst.run(home(), "recover", trace().toString(), "-o", recovered.toString());
        assertEquals(0, recover.exit(), recover.err());
        Lkst.Run print = Lkst.run(home(), "print", recovered.toString());
        assertEquals(0, print.exit(), print.err());
        List<String> events = print.out().lines().filter(l -> l.contains(" LKST_TEST ")).toList();
        assertEquals(15, events.size(), print.out());
        assertEquals(5, events.stream().filter(l -> l.contains("after")).count(), print.out());
    }

    @Test
    void aGuestSeesTheOwnersConfigurationButNeverWritesIt() throws Exception {
        try (Lkst.Shell first = owner()) {
            Map<String, String> config = contents(home().resolve("var/config"));
            Lkst.Run guest = Lkst.run(home(), "-c", "lkst:maskset show jvm; lkst:maskset create guestonly; lkst:maskset select guestonly");
            assertEquals(0, guest.exit(), guest.err());
            assertTrue(guest.out().contains("LKST_TEST"), "the owner's maskset, read from a copy: " + guest.out());
            assertEquals(config, contents(home().resolve("var/config")), "var/config is written by its owner only");
            assertFalse(first.run("lkst:maskset").contains("guestonly"));
        }
        Lkst.Run next = Lkst.run(home(), "-c", "lkst:maskset");
        assertEquals(0, next.exit(), next.err());
        assertFalse(next.err().contains("in use"), "the owner's end let the home go: " + next.err());
        assertTrue(next.out().contains("jvm") && !next.out().contains("guestonly"), next.out());
    }

    @Test
    void aGuestFolderIsRemovedOnlyWhenItsLockCanBeTaken() throws Exception {
        Path run = home().resolve("var/run");
        Path abandoned = Files.createDirectories(run.resolve("4000000-abandoned/trace"));
        Files.writeString(run.resolve("4000000-abandoned/lkst.lock"), "");
        Path alive = Files.createDirectories(run.resolve("4000001-alive/trace"));
        try (FileChannel lock = FileChannel.open(run.resolve("4000001-alive/lkst.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lock.lock(); // as a live guest holds it
            Lkst.Run r = Lkst.run(home(), "-c", "lkst:status");
            assertEquals(0, r.exit(), r.err());
            assertFalse(Files.exists(abandoned.getParent()), "a killed guest's folder is removed");
            assertTrue(Files.exists(alive), "a live guest's folder stays");
        }
    }

    static Map<String, Object> inodes(Path d) throws Exception {
        Map<String, Object> out = new TreeMap<>();
        for (Path p : list(d)) out.put(p.getFileName().toString(), Files.getAttribute(p, "unix:ino"));
        return out;
    }

    static Map<String, String> contents(Path d) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(d.relativize(p).toString(), Files.readString(p));
        }
        return out;
    }

    static List<Path> list(Path d) throws Exception {
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    /** Whether process {@code pid} maps a file of {@code d} (its /proc/PID/maps names them). */
    static boolean mapped(long pid, Path d) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream().anyMatch(l -> l.contains(d + "/") && l.endsWith(".lkst"));
    }
}
