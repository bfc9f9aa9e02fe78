package lkst.buffers.tool;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** print's output: lines go out in chunks, a lone line within FLUSH_NS, and a reader that went away is noticed. */
class LineOutputTest {
    @Test
    void aLoneLineGoesOutOnceFlushNsHavePassedEvenWithoutAnotherLine() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(new PrintStream(sink, false, StandardCharsets.UTF_8));
        assertTrue(out.line("first ü"));
        out.idle();
        assertEquals(0, sink.size(), "held for the next chunk, not written line by line");
        Thread.sleep(LineOutput.FLUSH_NS / 1_000_000 + 50);
        out.idle();
        assertEquals("first ü\n", sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFullBufferGoesOutAndALongLineIsWhole() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(new PrintStream(sink, false, StandardCharsets.UTF_8));
        String longLine = "x".repeat(3 * LineOutput.BUFFER + 7);
        assertTrue(out.line(longLine));
        assertTrue(sink.size() >= 3 * LineOutput.BUFFER, "written as it filled: " + sink.size());
        assertTrue(out.line("end"));
        assertTrue(out.flush());
        assertEquals(longLine + "\nend\n", sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aReaderThatWentAwayIsNoticedAtTheNextFlush() {
        OutputStream broken = new OutputStream() {
            @Override public void write(int b) throws IOException { throw new IOException("Broken pipe"); }
            @Override public void write(byte[] b, int off, int len) throws IOException { throw new IOException("Broken pipe"); }
        };
        LineOutput out = new LineOutput(new PrintStream(broken, false, StandardCharsets.UTF_8));
        assertTrue(out.line("a"), "buffered: not yet known");
        assertFalse(out.flush());
        assertTrue(out.closed());
        assertFalse(out.line("b"));
    }
}
