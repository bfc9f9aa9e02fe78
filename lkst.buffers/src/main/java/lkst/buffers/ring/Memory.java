package lkst.buffers.ring;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import sun.misc.Unsafe;

/**
 * Access to a mapped buffer's memory by address, through {@code sun.misc.Unsafe}: the writers' hot path.
 *
 * <p>Why not the {@code ByteBuffer} and its {@code VarHandle} views: they check bounds, read-only state,
 * alignment and the buffer's memory session on every access, and a 56-byte record's claim and commit cost 25 ns
 * through them against 11 ns by address (JMH, {@code lkst.bench.Breakdown}, same run). Safety rests on the callers:
 * every address is the mapping's base plus a position masked to the buffer's capacity, a record never crosses a
 * page, and the owner keeps the mapping reachable while it writes ({@link java.lang.ref.Reference#reachabilityFence}).
 * Records are little-endian; so is every CPU this runs on (checked once).
 *
 * <p>Java 24 and later warn once per JVM at the first {@code sun.misc.Unsafe} memory access (Felix 7.0.5's own, at
 * framework start, comes first) unless started with {@code --sun-misc-unsafe-memory-access=allow}, which
 * {@code ./lkst} passes from Java 23 on; an application embedding LKST/J passes it too.
 */
final class Memory {
    static final Unsafe U;
    private static final long BUFFER_ADDRESS;

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("LKST/J buffers are little-endian; this CPU is not");
        }
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (Unsafe) f.get(null);
            BUFFER_ADDRESS = U.objectFieldOffset(Buffer.class.getDeclaredField("address"));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Memory() {}

    /** The address of a direct buffer's first byte. */
    static long address(ByteBuffer direct) {
        if (!direct.isDirect()) throw new IllegalArgumentException("not a direct buffer");
        return U.getLong(direct, BUFFER_ADDRESS);
    }

    /**
     * Copies {@code length} bytes of {@code src} from absolute index {@code from} to address {@code dst}. The source
     * range is checked against {@code src}'s capacity; small copies go 8 bytes at a time (bytes move as they are).
     */
    static void copy(ByteBuffer src, int from, long dst, int length) {
        Objects.checkFromIndexSize(from, length, src.capacity());
        Object base;
        long at;
        if (src.isDirect()) {
            base = null;
            at = address(src) + from;
        } else if (src.hasArray()) {
            base = src.array();
            at = Unsafe.ARRAY_BYTE_BASE_OFFSET + src.arrayOffset() + from;
        } else { // a read-only heap buffer: no array to read from
            for (int i = 0; i < length; i++) U.putByte(dst + i, src.get(from + i));
            return;
        }
        if (length > 64) {
            U.copyMemory(base, at, null, dst, length);
        } else {
            int i = 0;
            for (; i + 8 <= length; i += 8) U.putLong(dst + i, U.getLong(base, at + i));
            for (; i < length; i++) U.putByte(dst + i, U.getByte(base, at + i));
        }
        java.lang.ref.Reference.reachabilityFence(src);
    }
}
