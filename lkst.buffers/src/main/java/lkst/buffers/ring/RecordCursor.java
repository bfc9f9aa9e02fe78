package lkst.buffers.ring;

import static lkst.buffers.ring.BufferMemory.*;
import static lkst.buffers.ring.RecordDescriptor.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import lkst.buffers.files.TraceFormatException;
import lkst.buffers.ring.BufferDescriptor;

/**
 * Walks the committed records of one buffer in position order, from the oldest of the last lap (or a given
 * position) to the position counter. Works on a live mapped buffer — it never blocks a writer: each record is
 * copied out, then kept only if no writer of a later lap can have reached it meanwhile — and on a file.
 *
 * <p>A record that is not committed is <em>torn</em>: a writer was in the middle of it (or died there). What the
 * cursor does with it depends on {@link Torn}.
 */
public final class RecordCursor {
    /** What to do at a record that is not committed. */
    public enum Torn {
        /** throw a {@link TraceFormatException} naming the file and offset (print of a finished trace) */
        FAIL,
        /** count it and go on after it (recovery, and reading a live buffer) */
        SKIP,
        /** stop before it: {@link #next} returns false and {@link #pending} is true (the logger, which retries) */
        WAIT
    }

    private final ByteBuffer content;
    private final String file;
    private final int capacity;
    private final int mask;
    private final int page;
    private final int buffer;
    private final long dataEnd;
    private final Torn torn;
    private final byte[] scratch;
    private final ByteBuffer record;
    private long end;
    private long at;
    private long current = -1;
    private long tornCount;
    private long overwritten;
    private boolean pending;

    /**
     * @param from the position to start at, or -1 for the oldest record still in the buffer; an older position
     *             than the oldest still there counts the bytes skipped as {@link #overwritten}
     */
    public RecordCursor(ByteBuffer content, BufferHeader header, long from, Torn torn) {
        this.content = content.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.file = header.file();
        this.capacity = header.capacity();
        this.mask = capacity - 1;
        this.page = header.page();
        this.buffer = header.id();
        this.dataEnd = Math.min(capacity, (long) content.capacity() - BufferDescriptor.FILE_HEADER_LENGTH);
        this.torn = torn;
        this.scratch = new byte[page];
        this.record = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
        this.end = header.position();
        long oldest = BufferHeader.lapStart(end, capacity, page);
        if (from < 0) {
            this.at = oldest;
        } else if (from < end - capacity) { // overwritten: the oldest record still there starts a page
            this.overwritten = oldest - from;
            this.at = oldest;
        } else {
            this.at = from;
        }
    }

    /** Re-reads the position counter of a live buffer, so that {@link #next} sees records committed since. */
    public RecordCursor refresh() {
        end = lvLong(content, BufferDescriptor.POSITION_OFFSET);
        if (at < end - capacity) {
            long oldest = BufferHeader.lapStart(end, capacity, page);
            overwritten += oldest - at;
            at = oldest;
        }
        return this;
    }

    /**
     * Moves to the next committed record (padding is skipped); false at the end or, with WAIT, before a torn record.
     * In a file cut short, the records the cut left whole are read: a record past the cut is skipped, with the rest
     * of its lap up to where the data starts again.
     */
    public boolean next() {
        pending = false;
        while (at < end) {
            int off = BufferDescriptor.FILE_HEADER_LENGTH + ((int) at & mask);
            if (((int) at & mask) + ALIGNMENT > dataEnd) { // cut off: the file resumes at the start of its data
                at = (at | mask) + 1;
                continue;
            }
            int room = page - ((int) at & (page - 1));
            long word = laLong(content, off);
            int size = size(word);
            boolean stamped = stampOf(word) == stamp(at);
            if (!stamped || size == 0 || size < -room || size > room || (size & 7) != 0 || Math.abs(size) < PADDING_LENGTH) {
                if (torn == Torn.WAIT) return waitAt();
                if (torn == Torn.FAIL) {
                    throw new TraceFormatException(file, off, stamped
                            ? "bad record size " + size : "no record where one should be (torn or overwritten; try recover)");
                }
                tornCount++;
                at = resync(at + ALIGNMENT);
                continue;
            }
            if (size < 0) {
                if (torn == Torn.WAIT) return waitAt();
                if (torn == Torn.FAIL) throw new TraceFormatException(file, off, "record not committed (the writer was interrupted; try recover)");
                tornCount++;
                at += -size;
                continue;
            }
            if (((int) at & mask) + size > dataEnd) {
                at = (at | mask) + 1;
                continue;
            }
            Bytes.copy(content, off, record.clear(), 0, size);
            loadLoadFence();
            long now = lvLong(content, BufferDescriptor.POSITION_OFFSET);
            if (now - capacity > at) {
                // overwritten by a later lap while copying: resume at the oldest record still there
                long oldest = BufferHeader.lapStart(now, capacity, page);
                overwritten += oldest - at;
                at = oldest;
                end = Math.max(end, now);
                continue;
            }
            long position = at;
            at += size;
            if (record.getInt(EVENT_ID_OFFSET) == PADDING_ID) continue;
            int length = record.getInt(PAYLOAD_LENGTH_OFFSET);
            if (length < 0 || length > size - HEADER_LENGTH) {
                if (torn == Torn.FAIL) throw new TraceFormatException(file, off + PAYLOAD_LENGTH_OFFSET, "bad payload length " + length);
                tornCount++;
                continue;
            }
            current = position;
            record.limit(HEADER_LENGTH + length);
            return true;
        }
        return false;
    }

    private boolean waitAt() {
        pending = true;
        return false;
    }

    /** After a torn record of unknown size: the next slot of the same page that holds a record of its own position. */
    private long resync(long from) {
        long pageEnd = (from - ALIGNMENT | (page - 1)) + 1;
        for (long p = from; p < pageEnd && p < end && ((int) p & mask) + ALIGNMENT <= dataEnd; p += ALIGNMENT) {
            long word = laLong(content, BufferDescriptor.FILE_HEADER_LENGTH + ((int) p & mask));
            int size = Math.abs(size(word));
            if (stampOf(word) == stamp(p) && size >= PADDING_LENGTH && (size & 7) == 0 && size <= pageEnd - p) return p;
        }
        return pageEnd;
    }

    /** Skips the torn record the cursor waits at (the logger gives up on a writer that never finished). */
    public void skipPending() {
        if (!pending) return;
        tornCount++;
        int off = BufferDescriptor.FILE_HEADER_LENGTH + ((int) at & mask);
        long word = laLong(content, off);
        int size = size(word);
        at = stampOf(word) == stamp(at) && size < 0 && -size <= page ? at - size : resync(at + ALIGNMENT);
        pending = false;
    }

    /** Offset of the current record in the file. */
    public long offset() { return BufferDescriptor.FILE_HEADER_LENGTH + ((int) current & mask); }

    /** Position of the current record. */
    public long position() { return current; }

    /** Position after the last record read: where a consumer resumes. */
    public long resume() { return at; }

    public boolean pending() { return pending; }

    public long torn() { return tornCount; }

    /** Bytes of records overwritten before this cursor could read them. */
    public long overwritten() { return overwritten; }

    public String file() { return file; }

    /** ID of the buffer the cursor reads (of a segment file: of its first record's buffer). */
    public int buffer() { return buffer; }

    public int eventId() { return record.getInt(EVENT_ID_OFFSET); }

    public long timestamp() { return record.getLong(TIMESTAMP_OFFSET); }

    public int pid() { return record.getInt(PID_OFFSET); }

    public int tid() { return record.getInt(TID_OFFSET); }

    public int payloadLength() { return record.getInt(PAYLOAD_LENGTH_OFFSET); }

    /** The current record (header at 0, payload at {@link lkst.buffers.ring.RecordDescriptor#HEADER_LENGTH}); limit = end of the payload. */
    public ByteBuffer record() { return record; }

    /** Bytes the current record occupies in the buffer. */
    public int occupied() { return size(record.getLong(WORD_OFFSET)); }
}
