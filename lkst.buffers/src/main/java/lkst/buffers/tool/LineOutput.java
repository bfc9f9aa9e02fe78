package lkst.buffers.tool;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * print's standard output: lines encoded as UTF-8 into a 64 KiB buffer that goes out when full, or when
 * {@value #FLUSH_NS} ns have passed since the last went out (checked at each line and, through {@link #idle}, between
 * them: a filter that matches rarely still shows its lines as it finds them). A reader that went away
 * ({@code print DIR | head}: EPIPE, which a {@link PrintStream} only records, see {@link PrintStream#checkError()})
 * is noticed at the next flush: {@link #line} returns false and the caller stops reading, as
 * {@code trace-cmd report | head} does.
 */
final class LineOutput {
    static final int BUFFER = 64 * 1024;
    static final long FLUSH_NS = 100_000_000L;

    private final PrintStream out;
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
    private long lastFlush = System.nanoTime();
    private boolean closed;

    LineOutput(PrintStream out) {
        this.out = out;
    }

    /** Writes {@code line} and a newline; false when the reader is gone (nothing more will be written). */
    boolean line(CharSequence line) {
        if (closed) return false;
        CharBuffer in = CharBuffer.wrap(line);
        encode(in);
        if (!bytes.hasRemaining()) flush();
        bytes.put((byte) '\n');
        if (!bytes.hasRemaining() || System.nanoTime() - lastFlush > FLUSH_NS) flush();
        return !closed;
    }

    private void encode(CharBuffer in) {
        while (!closed) {
            var result = utf8.encode(in, bytes, true);
            if (result.isUnderflow()) break;
            flush(); // overflow: the buffer is full
        }
        utf8.reset();
    }

    /**
     * Between lines (a record print does not show): sends what is buffered once {@value #FLUSH_NS} ns have passed
     * since the last flush, so that a line a rare filter matched does not wait for the next one or the end.
     */
    void idle() {
        if (bytes.position() > 0 && System.nanoTime() - lastFlush > FLUSH_NS) flush();
    }

    /** Sends what is buffered; false when the reader is gone. */
    boolean flush() {
        if (!closed && bytes.position() > 0) {
            out.write(bytes.array(), 0, bytes.position());
        }
        bytes.clear();
        lastFlush = System.nanoTime();
        if (!closed && out.checkError()) closed = true;
        return !closed;
    }

    boolean closed() { return closed; }
}
