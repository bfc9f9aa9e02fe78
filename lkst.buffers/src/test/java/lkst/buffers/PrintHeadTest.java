package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.tool.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code print DIR | head}: print streams (lines go out as they are read, not at the end) and stops reading when the
 * reader of its output goes away, quietly with exit 0, as {@code trace-cmd report | head} does — in-process on a
 * pipe that breaks after 10 lines, and as {@code java … Main print} writing into a real pipe that is closed.
 */
class PrintHeadTest {
    static final int RECORDS = 200_000;

    @TempDir static Path tmp;
    static Path trace;

    @BeforeAll
    static void record() {
        trace = tmp.resolve("big");
        try (BufferSet set = new BufferSet(trace, 2, 16 << 20, BufferMode.DISCARD, List.of(TestEvent.NAMED))) {
            TestEvent e = new TestEvent();
            for (int i = 0; i < RECORDS; i++) assertTrue(set.record(e.named(i % 2, 1_000_000_000L + i * 1000L, i, "record")));
        }
        assertEquals(RECORDS + " events from 1.000000000 to 1.199999000 (0.200 s)", Tool.run("stats", trace.toString()).out().get(0));
    }

    /** A pipe whose reader reads {@code lines} lines and goes: every write after that fails, as EPIPE does. */
    static final class ClosingPipe extends OutputStream {
        final int lines;
        int seen;
        boolean closed;
        int writesAfterClose;
        long bytesAfterClose;

        ClosingPipe(int lines) { this.lines = lines; }

        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                writesAfterClose++;
                bytesAfterClose += len;
                throw new IOException("Broken pipe");
            }
            for (int i = off; i < off + len && !closed; i++) {
                if (b[i] == '\n' && ++seen == lines) closed = true;
            }
        }
    }

    @Test
    void aReaderThatGoesAwayEndsPrintQuietlyWithExit0() {
        ClosingPipe pipe = new ClosingPipe(10);
        PrintStream out = new PrintStream(new BufferedOutputStream(pipe, 8192), false, StandardCharsets.UTF_8); // as System.out
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int exit = Main.run(new String[] {"print", trace.toString()}, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, exit);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertTrue(pipe.closed);
        // the whole print is ~8 MB; after the reader went, print tried one more chunk (64 KiB) and stopped reading
        assertTrue(pipe.writesAfterClose <= 2 && pipe.bytesAfterClose <= 128 * 1024,
                pipe.writesAfterClose + " writes, " + pipe.bytesAfterClose + " bytes after the reader went");
        System.out.println("print of " + RECORDS + " records into a pipe closed after 10 lines: " + ms + " ms");
    }

    @Test
    void printIntoAPipeThatIsClosedAfter10LinesEndsAtOnce() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path errFile = tmp.resolve("stderr");
        long t0 = System.nanoTime();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "print",
                trace.toString()).redirectError(errFile.toFile()).start();
        long firstLineMs;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertTrue(in.readLine().startsWith("1.000000000 [0] 42/0 TEST_NAMED n=0 name=record"));
            firstLineMs = (System.nanoTime() - t0) / 1_000_000;
            for (int i = 1; i < 10; i++) assertNotNull(in.readLine());
        } // closed: the child's next write gets EPIPE
        long closedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "print still running 30 s after its reader went");
        long endMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, child.exitValue(), Files.readString(errFile));
        assertEquals("", Files.readString(errFile), "no message, no stack trace");
        System.out.println("java … Main print of " + RECORDS + " records | head -10: first line after " + firstLineMs
                + " ms, pipe closed at " + closedMs + " ms, print ended at " + endMs + " ms");
    }

    @Test
    void theWholeTracePrintsToTheEnd() {
        Tool t = Tool.run("print", trace.toString());
        assertEquals(0, t.exit());
        assertEquals(RECORDS, t.out().size());
        assertEquals("1.199999000 [1] 42/199999 TEST_NAMED n=199999 name=record", t.out().get(RECORDS - 1));
    }
}
