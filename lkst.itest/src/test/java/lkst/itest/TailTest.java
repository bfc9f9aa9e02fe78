package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lkst tail} beside a running runtime on the same home: the events it records appear in print's format, with
 * print's filters, at most a second after they were fired, and Ctrl-C ends it. The runtime traces LKST_TEST only.
 */
class TailTest {
    @TempDir
    Path home;

    @Test
    void tailPrintsTheEventsOfARunningRuntimeWithinASecondAndCtrlCEndsIt() throws Exception {
        Path out = home.resolve("tail.out");
        try (Lkst.Shell shell = new Lkst.Shell(Lkst.java(home))) {
            // only LKST_TEST is traced: under a busy machine's kernel events the flight recorder's 4 MiB buffers wrap
            // faster than tail's poll, and tail counts what was overwritten (lkst.ship/README.md, not done)
            shell.run("lkst:maskset copy off tailed; lkst:maskset set tailed LKST_TEST 1; lkst:maskset select tailed");
            Process tail = new ProcessBuilder(Lkst.command(home, "tail", "--event", "LKST_TEST", "--filter", "message == \"wanted\""))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                waitFor(out, "following", 30_000);
                shell.run("lkst:fire 3 unwanted");
                shell.run("lkst:fire 5 wanted");
                long fired = System.nanoTime();
                long seen = waitFor(out, "seq=5 message=wanted", 5_000);
                double behind = (seen - fired) / 1e9;
                System.out.printf("TailTest: the last event printed %.3f s after lkst:fire returned%n", behind);
                List<String> lines = Files.readAllLines(out).stream().filter(l -> l.contains(" LKST_TEST ")).toList();
                assertEquals(5, lines.size(), "the five wanted events, none of the others: " + lines);
                assertTrue(lines.get(0).matches("\\d+\\.\\d{9} \\[\\d+\\] .*LKST_TEST seq=1 message=wanted"), lines.get(0));
                assertTrue(behind <= 1.0, "tail printed the events " + behind + " s after they were fired");
                new ProcessBuilder("kill", "-INT", Long.toString(tail.pid())).start().waitFor(5, TimeUnit.SECONDS);
                assertTrue(tail.waitFor(10, TimeUnit.SECONDS), "Ctrl-C ends tail");
            } finally {
                tail.destroyForcibly();
            }
        }
    }

    /** Waits (at most {@code millis}) until {@code file} contains {@code text}; returns System.nanoTime() then. */
    private static long waitFor(Path file, String text, long millis) throws Exception {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            if (Files.exists(file) && Files.readString(file).contains(text)) return System.nanoTime();
            Thread.sleep(10);
        }
        throw new AssertionError("no '" + text + "' within " + millis + " ms: " + (Files.exists(file) ? Files.readString(file) : "(no output)"));
    }
}
