package lkst.buffers.ring;

import static lkst.buffers.ring.BufferDescriptor.*;

import java.nio.ByteBuffer;
import lkst.buffers.api.BufferMode;
import lkst.buffers.files.TraceFormatException;

/**
 * The header of a buffer file (see {@link lkst.buffers.ring.BufferDescriptor}), checked so that every later read
 * of the file stays inside it.
 */
public record BufferHeader(String file, int id, int cpu, int capacity, int page, BufferMode mode, int next,
                           long position, long written, long lost, long consumed, int segment) {

    /** Reads and checks the header of {@code content} (the whole file, little-endian; shorter than the header announces: an error). */
    public static BufferHeader read(ByteBuffer content, String file) {
        BufferHeader h = readCut(content, file);
        if (content.capacity() < (long) FILE_HEADER_LENGTH + h.capacity()) {
            throw new TraceFormatException(file, content.capacity(), "truncated: " + content.capacity() + " bytes, the header announces " + ((long) FILE_HEADER_LENGTH + h.capacity()));
        }
        return h;
    }

    /**
     * Reads and checks the header of {@code content}, which may end before the capacity the header announces: a
     * file the logger or recovery made compact (it ends after its records), or one cut short ({@link #missing}).
     */
    public static BufferHeader readCut(ByteBuffer content, String file) {
        long length = content.capacity();
        if (length == 0) throw new TraceFormatException(file, 0, "empty file, not a buffer file");
        if (length < FILE_HEADER_LENGTH) throw new TraceFormatException(file, length, "truncated header (" + length + " of " + FILE_HEADER_LENGTH + " bytes)");
        if (content.getLong(MAGIC_OFFSET) != MAGIC) throw new TraceFormatException(file, MAGIC_OFFSET, "not a LKST/J buffer file (bad magic)");
        int version = content.getInt(VERSION_OFFSET);
        if (version != VERSION) throw new TraceFormatException(file, VERSION_OFFSET, "unsupported format version " + version + " (this reader knows " + VERSION + ")");
        if (content.getInt(HEADER_LENGTH_OFFSET) != FILE_HEADER_LENGTH) throw new TraceFormatException(file, HEADER_LENGTH_OFFSET, "bad header length " + content.getInt(HEADER_LENGTH_OFFSET));
        int capacity = content.getInt(CAPACITY_OFFSET);
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new TraceFormatException(file, CAPACITY_OFFSET, "bad capacity " + capacity);
        }
        int page = content.getInt(PAGE_OFFSET);
        if (page != pageFor(capacity)) throw new TraceFormatException(file, PAGE_OFFSET, "bad page size " + page + " for capacity " + capacity);
        int mode = content.getInt(MODE_OFFSET);
        if (mode != 0 && mode != 1) throw new TraceFormatException(file, MODE_OFFSET, "bad mode " + mode);
        int id = content.getInt(ID_OFFSET);
        int cpu = content.getInt(CPU_OFFSET);
        if (cpu < 0 || id < 0) throw new TraceFormatException(file, cpu < 0 ? CPU_OFFSET : ID_OFFSET, "bad cpu " + cpu + " or buffer id " + id);
        long position = content.getLong(POSITION_OFFSET);
        long consumed = content.getLong(CONSUMED_OFFSET);
        if (position < 0 || (position & 7) != 0) throw new TraceFormatException(file, POSITION_OFFSET, "bad position " + position);
        if (consumed < 0 || consumed > position) throw new TraceFormatException(file, CONSUMED_OFFSET, "bad drain position " + consumed);
        long written = content.getLong(WRITTEN_OFFSET) & Long.MAX_VALUE; // bit 63: a flag of the live logger's
        long lost = content.getLong(LOST_OFFSET);
        if (written < 0 || lost < 0) throw new TraceFormatException(file, written < 0 ? WRITTEN_OFFSET : LOST_OFFSET, "bad counter");
        return new BufferHeader(file, id, cpu, capacity, page, mode == 1 ? BufferMode.DISCARD : BufferMode.OVERWRITE,
                content.getInt(NEXT_OFFSET), position, written, lost, consumed, Math.max(0, content.getInt(SEGMENT_OFFSET)));
    }

    /** Bytes of the last lap's records that a file of {@code length} bytes lacks (0 when it holds them all). */
    public long missing(long length) {
        return Math.max(0, FILE_HEADER_LENGTH + Math.min(position, (long) capacity) - length);
    }

    /** The file length that holds every record: the header and the last lap. */
    public long contentEnd() {
        return FILE_HEADER_LENGTH + Math.min(position, (long) capacity);
    }

    /** First position of the last lap, rounded up to a page: where the oldest readable record starts. */
    public static long lapStart(long position, int capacity, int page) {
        if (position <= capacity) return 0;
        long from = position - capacity;
        return (from + page - 1) & -(long) page;
    }
}
