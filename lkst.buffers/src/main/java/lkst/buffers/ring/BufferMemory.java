package lkst.buffers.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every ordered access to a buffer's memory, for its writer ({@link RecordBuffer}) and its readers
 * ({@link RecordCursor}) alike: {@code VarHandle}s on the mapped {@code ByteBuffer} (and on the writer's per-page
 * counters), little-endian, at absolute offsets. The names say the ordering, as JCTools' do:
 * {@code lv} load volatile, {@code la} load acquire, {@code so} store ordered (release), {@code cas} compare and
 * set, {@code faa} fetch and add. Plain accesses go through the {@code ByteBuffer}'s own get and put.
 *
 * <p>The protocol they serve (README.md, "Writing a record"): the writer's release store of a record's first word
 * publishes every store before it; a reader's acquire load of that word sees them all. Offsets of ordered accesses
 * are multiples of 8 (the mapping starts on a page), as a {@code VarHandle} view requires.
 */
final class BufferMemory {
    private BufferMemory() {}

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);

    static long lvLong(ByteBuffer b, int offset) { return (long) LONG.getVolatile(b, offset); }

    static long laLong(ByteBuffer b, int offset) { return (long) LONG.getAcquire(b, offset); }

    static void soLong(ByteBuffer b, int offset, long value) { LONG.setRelease(b, offset, value); }

    static boolean casLong(ByteBuffer b, int offset, long expected, long value) {
        return LONG.compareAndSet(b, offset, expected, value);
    }

    static long faaLong(ByteBuffer b, int offset, long delta) { return (long) LONG.getAndAdd(b, offset, delta); }

    /** A writer-side counter of a {@code long[]} (the bytes committed per page). */
    static long lvCounter(long[] counters, int index) { return (long) COUNTER.getVolatile(counters, index); }

    static long faaCounter(long[] counters, int index, long delta) { return (long) COUNTER.getAndAdd(counters, index, delta); }

    /** Orders the stores before it before the stores after it (a record's "being written" word before its content). */
    static void storeStoreFence() { VarHandle.storeStoreFence(); }

    /** Orders the loads before it before the loads after it (a copied record before the re-read of the position). */
    static void loadLoadFence() { VarHandle.acquireFence(); }
}
