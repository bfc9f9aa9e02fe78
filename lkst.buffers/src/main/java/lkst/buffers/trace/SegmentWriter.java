package lkst.buffers.trace;

import static lkst.buffers.ring.BufferDescriptor.*;
import static lkst.buffers.ring.RecordDescriptor.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import lkst.buffers.files.IoErrors;
import lkst.buffers.files.TraceFiles;
import lkst.buffers.ring.Bytes;
import lkst.buffers.ring.RecordCursor;

/**
 * Writes the records of one CPU into a series of buffer files ({@code PREFIX-SEQ.lkst}, discard mode, the format
 * of {@link lkst.buffers.ring.BufferDescriptor}), opening the next file when one is full and deleting the oldest
 * beyond {@code keep}. The logger and recovery write through it, so what they write is a trace directory that
 * {@code print} reads.
 *
 * <p>One thread writes, so there is no claim/commit: records are laid out page by page in a staging buffer, and
 * each full page goes to the file with one positioned write (no page fault per 4 KiB, as a mapping would cost).
 * The file header (position, written) is written after the page, so the file is always consistent up to its
 * position. A file is created at its full length (sparse); {@link #close} cuts it to the end of its records, so a
 * finished trace takes on disk what its files' lengths say.
 *
 * <p>Each file's header holds the ID of the buffer its records came from (the cursor's, {@link RecordCursor#buffer});
 * {@link #buffers()} lists every buffer of each file, for {@code trace.meta}.
 */
public final class SegmentWriter {
    private final Path dir;
    private final int cpu;
    private final String prefix;
    private final int capacity;
    private final int page;
    private final int keep;
    private final ArrayDeque<Path> kept = new ArrayDeque<>();
    private final Map<Path, SortedSet<Integer>> buffers = new HashMap<>();
    private final ByteBuffer staging;
    private final ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private int seq;
    private int buffer = -1; // of the current file's first record
    private FileChannel file;
    private long position;   // logical position in the current file
    private long pageStart;  // logical position of the page being staged
    private long written;
    private long records;
    private long bytes;

    /** @param keep how many files to keep, or 0 for all */
    public SegmentWriter(Path dir, int cpu, String prefix, long fileSize, int keep) {
        this.dir = dir;
        this.cpu = cpu;
        this.prefix = prefix;
        this.capacity = capacityFor(fileSize);
        this.page = pageFor(capacity);
        this.keep = keep;
        this.staging = ByteBuffer.allocateDirect(page).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies the cursor's current record. */
    public void append(RecordCursor c) {
        append(c.buffer(), c.eventId(), c.timestamp(), c.pid(), c.tid(), c.record(), HEADER_LENGTH, c.payloadLength());
    }

    /**
     * Appends one record given by its parts (the fleet's fetch rebuilds traces from them): the payload is
     * {@code length} bytes of {@code src} from {@code offset}; {@code bufferId} is the buffer it was recorded in.
     */
    public void append(int bufferId, int eventId, long timestamp, int pid, int tid, ByteBuffer src, int offset, int length) {
        int size = align(HEADER_LENGTH + length);
        if (size > page) throw new IllegalStateException("a record of " + size + " bytes does not fit a page of " + page);
        if (file == null) roll();
        int room = page - (int) (position - pageStart);
        if (position + (size > room ? room : 0) + size > capacity) { // the file is full
            close();
            roll();
        } else if (size > room) {
            pad(room);
            flushPage();
        }
        int at = (int) (position - pageStart);
        int occupied = page - at - size == ALIGNMENT ? size + ALIGNMENT : size;
        if (buffer < 0) buffer = bufferId;
        buffers.get(current()).add(bufferId);
        staging.putLong(at, word(position, occupied));
        staging.putInt(at + EVENT_ID_OFFSET, eventId);
        staging.putInt(at + PAYLOAD_LENGTH_OFFSET, length);
        staging.putLong(at + TIMESTAMP_OFFSET, timestamp);
        staging.putInt(at + PID_OFFSET, pid);
        staging.putInt(at + TID_OFFSET, tid);
        if (length > 0) Bytes.copy(src, offset, staging, at + HEADER_LENGTH, length);
        position += occupied;
        written++;
        records++;
        bytes += occupied;
        if (position - pageStart == page) flushPage();
    }

    private void pad(int length) {
        int at = (int) (position - pageStart);
        staging.putLong(at, word(position, length));
        staging.putInt(at + EVENT_ID_OFFSET, PADDING_ID);
        staging.putInt(at + PAYLOAD_LENGTH_OFFSET, 0);
        position += length;
    }

    /** Writes the staged part of the page, then the header that makes it part of the file. */
    private void flushPage() {
        int used = (int) (position - pageStart);
        try {
            ByteBuffer b = staging.duplicate().position(0).limit(used);
            long at = FILE_HEADER_LENGTH + pageStart;
            while (b.hasRemaining()) at += file.write(b, at);
            writeHeader();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + current() + ": " + IoErrors.text(e), e);
        }
        if (used == page) pageStart = position;
    }

    private void writeHeader() throws IOException {
        header.clear();
        header.putLong(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION).putInt(HEADER_LENGTH_OFFSET, FILE_HEADER_LENGTH)
                .putInt(ID_OFFSET, Math.max(0, buffer)).putInt(CPU_OFFSET, cpu).putInt(CAPACITY_OFFSET, capacity).putInt(PAGE_OFFSET, page)
                .putInt(MODE_OFFSET, 1).putInt(NEXT_OFFSET, -1).putInt(SEGMENT_OFFSET, seq).putLong(POSITION_OFFSET, position)
                .putLong(WRITTEN_OFFSET, written).putLong(LOST_OFFSET, 0).putLong(CONSUMED_OFFSET, 0);
        ByteBuffer b = header.duplicate().position(0).limit(FILE_HEADER_LENGTH);
        long at = 0;
        while (b.hasRemaining()) at += file.write(b, at);
    }

    private Path current() { return kept.peekLast(); }

    private void roll() {
        seq++;
        Path p = dir.resolve(String.format("%s-%06d%s", prefix, seq, TraceReader.BUFFER_SUFFIX));
        try {
            file = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            TraceFiles.ownerOnly(p);
            file.write(ByteBuffer.wrap(new byte[1]), (long) FILE_HEADER_LENGTH + capacity - 1); // full length, sparse
            position = pageStart = written = 0;
            buffer = -1;
            writeHeader();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p + ": " + IoErrors.text(e), e);
        }
        kept.add(p);
        buffers.put(p, new TreeSet<>());
        while (keep > 0 && kept.size() > keep) {
            Path old = kept.removeFirst();
            buffers.remove(old);
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + old + ": " + IoErrors.text(e), e);
            }
        }
    }

    /** Writes what is staged, cuts the file to the end of its records, makes it durable and closes it. */
    public void close() {
        if (file == null) return;
        flushPage();
        try {
            file.truncate(FILE_HEADER_LENGTH + position);
            file.force(false);
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + current() + ": " + IoErrors.text(e), e);
        }
        file = null;
    }

    /** Writes what is staged and makes it durable; the writer can go on appending. */
    public void force() {
        if (file == null) return;
        flushPage();
        try {
            file.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + current() + ": " + IoErrors.text(e), e);
        }
    }

    public long records() { return records; }

    public long bytes() { return bytes; }

    public List<Path> files() { return List.copyOf(kept); }

    /** The IDs of the buffers whose records each file holds, in the order of {@link #files()}. */
    public Map<Path, SortedSet<Integer>> buffers() {
        Map<Path, SortedSet<Integer>> m = new LinkedHashMap<>();
        for (Path p : kept) m.put(p, Collections.unmodifiableSortedSet(new TreeSet<>(buffers.get(p))));
        return m;
    }
}
