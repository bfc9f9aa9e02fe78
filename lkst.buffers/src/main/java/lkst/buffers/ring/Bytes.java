package lkst.buffers.ring;

import java.nio.ByteBuffer;

/**
 * Copies bytes as they are between buffers. A JDK bulk copy ({@code put(int, ByteBuffer, int, int)}) goes through
 * {@code Unsafe.copyMemory} and its checks, made for large copies; the few dozen bytes of a typical payload go word
 * by word instead (a word read in one byte order and written in the other is reversed first, so that bytes move as
 * they are). Not measured to matter on this machine: a choice, not a finding.
 */
public final class Bytes {
    private Bytes() {}

    static final int SMALL = 256;

    /** Copies {@code length} bytes from {@code src} at {@code from} to {@code dst} at {@code at}; absolute, positions unchanged. */
    public static void copy(ByteBuffer src, int from, ByteBuffer dst, int at, int length) {
        if (length > SMALL) {
            dst.put(at, src, from, length);
            return;
        }
        int i = 0;
        if (src.order() == dst.order()) {
            for (; i + 8 <= length; i += 8) dst.putLong(at + i, src.getLong(from + i));
        } else {
            for (; i + 8 <= length; i += 8) dst.putLong(at + i, Long.reverseBytes(src.getLong(from + i)));
        }
        for (; i < length; i++) dst.put(at + i, src.get(from + i));
    }
}
