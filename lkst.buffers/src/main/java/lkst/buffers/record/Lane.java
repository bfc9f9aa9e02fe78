package lkst.buffers.record;

import static lkst.buffers.ring.RecordDescriptor.ALIGNMENT;

import lkst.api.Batch;
import lkst.api.Event;
import lkst.buffers.ring.RecordBuffer;

/**
 * One thread's block of a CPU's current buffer, for the records of a {@link Batch} (a kernel reader's page): the
 * block is claimed with one CAS, its records are written one after the other with plain stores and one release
 * store each, and it is counted once, when the batch ends or a record does not fit. So a run of records costs no
 * atomic operation per record, where {@link BufferSet#record} costs three (claim, page counter, written count).
 *
 * <p>Readers wait at the block's unwritten rest as at any record being written (see {@link RecordBuffer#put}); the
 * batch's end releases it. Confined to the batch's thread.
 */
final class Lane implements Runnable {
    /** Bytes claimed at a time: a few dozen kernel events, a fraction of a page. */
    static final int BLOCK = 4096;

    final BufferSet set;
    final int cpu;
    private RecordBuffer buffer;
    private long start;
    private long fill;
    private long end;
    private int records;

    Lane(BufferSet set, int cpu) {
        this.set = set;
        this.cpu = cpu;
    }

    /**
     * Writes the event ({@code size} bytes in all, {@code length} of payload) into the block of {@code current}, the
     * CPU's current buffer, claiming a new block when it does not fit. False when this lane does not take it (too
     * large for a page, a chained overwrite buffer, no room, or the page to reuse is busy): the caller records it the
     * shared way, which decides what happens to it and counts it.
     */
    boolean record(RecordBuffer current, Event e, int size, int length) {
        if (current != buffer) {
            run();
            buffer = current;
        }
        long at = fill;
        long left = end - at;
        if (left < size) {
            run();
            if (size > current.page() || current.chainedOverwrite()) return false;
            int want = current.blockSize(size, BLOCK);
            long p = current.claim(want);
            if (p < 0) return false;
            start = fill = at = p;
            end = current.openBlock(p, want);
            left = end - at;
        }
        int occupied = left - size == ALIGNMENT ? size + ALIGNMENT : size; // never leave 8 bytes: too small for padding
        current.put(at, occupied, end, e, length);
        fill = at + occupied;
        records++;
        return true;
    }

    /** Ends the block (the batch's end): see {@link RecordBuffer#closeBlock}. */
    @Override
    public void run() {
        RecordBuffer b = buffer;
        if (b != null && end > start) b.closeBlock(start, fill, end, records);
        start = fill = end = 0;
        records = 0;
    }
}
