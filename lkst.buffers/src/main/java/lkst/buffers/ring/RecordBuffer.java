package lkst.buffers.ring;

import static lkst.buffers.ring.BufferDescriptor.*;
import static lkst.buffers.ring.BufferMemory.*;
import static lkst.buffers.ring.RecordDescriptor.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import lkst.api.Event;
import lkst.buffers.api.BufferMode;
import lkst.buffers.files.TraceFiles;

/**
 * One recording buffer: a memory-mapped file laid out as {@link BufferDescriptor} says, written by any number of
 * threads without locks.
 *
 * <p>Writing is claim, then commit: {@link #claim} reserves space by a CAS on the position counter (a record
 * never crosses a page: the rest of the page becomes a padding record), the writer fills the record, and the
 * commit is a release store of the record's first word, which turns its size positive. A reader checks that
 * word (size positive and stamp equal to the position it expects) with an acquire load, so it never sees a record
 * half-written, and it never blocks a writer.
 *
 * <p>Every ordered access goes through {@link BufferMemory}, which the readers use too; offsets are the file header
 * plus a position masked to the capacity.
 *
 * <p>Accounting: every record offered is counted once, as written (committed) or lost (refused when full in
 * discard mode, larger than a page, or — overwrite mode — when the page it would reuse still waits for a stalled
 * writer's commit, see {@link #claim}).
 */
public final class RecordBuffer {
    /** {@link #claim} could not reserve: the buffer is full (discard) or hands over to its next (chained). */
    public static final long FULL = -1;
    /**
     * {@link #claim} could not reserve: the oldest page, which overwrite mode would reuse next, still holds a record
     * whose writer has not committed it (a writer stalled while the others went round the whole buffer).
     */
    public static final long BUSY = -2;

    private final Path file;
    /** The whole mapped file, little-endian. */
    private final ByteBuffer buf;
    private final int id;
    private final int cpu;
    private final int capacity;
    private final int mask;
    private final int page;
    private final int pageMask;
    private final int pageShift;
    private final int lapShift;
    /** Per page: bytes committed in it since the buffer was made, over every lap (records, slack and padding). */
    private final long[] committed;
    private volatile boolean discard;
    private volatile int next;
    /**
     * Bit 63 of the header's written counter: the logger sleeps until a record comes ({@link #drainerWaits}). Not part
     * of the count: {@link #written} and {@code BufferHeader} leave it out. A new buffer starts with it set, so that its
     * first record wakes a logger that went to sleep before the buffer existed.
     */
    static final long DRAINER_WAITS = Long.MIN_VALUE;
    /** Wakes the logger; set once, before writers use the buffer. */
    private DrainSignal drained = DrainSignal.NONE;

    private RecordBuffer(Path file, ByteBuffer buf) {
        this.file = file;
        this.buf = buf;
        this.id = buf.getInt(ID_OFFSET);
        this.cpu = buf.getInt(CPU_OFFSET);
        this.capacity = buf.getInt(CAPACITY_OFFSET);
        this.mask = capacity - 1;
        this.page = buf.getInt(PAGE_OFFSET);
        this.pageMask = page - 1;
        this.pageShift = Integer.numberOfTrailingZeros(page);
        this.lapShift = Integer.numberOfTrailingZeros(capacity);
        this.committed = new long[capacity / page];
        this.discard = buf.getInt(MODE_OFFSET) == 1;
        this.next = buf.getInt(NEXT_OFFSET);
    }

    /** Creates (or truncates) {@code file} as an empty buffer and maps it. */
    public static RecordBuffer create(Path file, int cpu, int id, long size, BufferMode mode, int next) {
        int capacity = capacityFor(size);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            TraceFiles.ownerOnly(file);
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) FILE_HEADER_LENGTH + capacity);
            m.order(ByteOrder.LITTLE_ENDIAN);
            m.putInt(VERSION_OFFSET, VERSION);
            m.putInt(HEADER_LENGTH_OFFSET, FILE_HEADER_LENGTH);
            m.putInt(ID_OFFSET, id);
            m.putInt(CPU_OFFSET, cpu);
            m.putInt(CAPACITY_OFFSET, capacity);
            m.putInt(PAGE_OFFSET, pageFor(capacity));
            m.putInt(MODE_OFFSET, mode == BufferMode.DISCARD ? 1 : 0);
            m.putInt(NEXT_OFFSET, next);
            m.putLong(WRITTEN_OFFSET, DRAINER_WAITS);
            soLong(m, MAGIC_OFFSET, MAGIC); // last: a file with a magic is a complete header
            return new RecordBuffer(file, m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create buffer file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The signal that wakes this buffer's consumer (the logger): at a record after {@link #drainerWaits}, and at each quarter. */
    public void drainSignal(DrainSignal signal) { drained = signal; }

    public Path file() { return file; }
    public int id() { return id; }
    public int cpu() { return cpu; }
    public int capacity() { return capacity; }
    public int page() { return page; }
    public BufferMode mode() { return discard ? BufferMode.DISCARD : BufferMode.OVERWRITE; }
    public int next() { return next; }

    /** The whole mapped file (header and data), little-endian; for readers. */
    public ByteBuffer content() { return buf.duplicate().order(ByteOrder.LITTLE_ENDIAN); }

    public void mode(BufferMode mode) {
        discard = mode == BufferMode.DISCARD;
        buf.putInt(MODE_OFFSET, discard ? 1 : 0);
    }

    public void next(int nextId) {
        next = nextId;
        buf.putInt(NEXT_OFFSET, nextId);
    }

    public long lvPosition() { return lvLong(buf, POSITION_OFFSET); }
    public long written() { return lvLong(buf, WRITTEN_OFFSET) & ~DRAINER_WAITS; }
    public long lost() { return lvLong(buf, LOST_OFFSET); }
    public long lvConsumed() { return lvLong(buf, CONSUMED_OFFSET); }

    /**
     * Consumer side (the logger, before it sleeps until a record comes): the writer of the next record here finds the
     * flag in its add to the written counter and wakes it through {@link DrainSignal#signal}. The add is the writer's
     * own, so a record costs no extra load for this (see {@link DrainSignal}).
     */
    public void drainerWaits() {
        for (long w; (w = lvLong(buf, WRITTEN_OFFSET)) >= 0 && !casLong(buf, WRITTEN_OFFSET, w, w | DRAINER_WAITS); ) {
            // a writer added meanwhile: try again
        }
    }

    /** Writer side, when its add found {@link #DRAINER_WAITS}: clears it (once per sleep) and wakes the logger. */
    private void wakeDrainer() {
        for (long w; (w = lvLong(buf, WRITTEN_OFFSET)) < 0 && !casLong(buf, WRITTEN_OFFSET, w, w & ~DRAINER_WAITS); ) {
            // another writer added meanwhile: try again
        }
        drained.signal();
    }

    /** Advances the logger's drain position (single consumer), freeing space for discard mode. */
    public void soConsumed(long position) { soLong(buf, CONSUMED_OFFSET, position); }

    /** Bytes holding records of the last lap (not yet drained, in discard mode). */
    public long used() {
        long p = lvPosition();
        return discard ? Math.min(capacity, p - lvConsumed()) : Math.min(capacity, p);
    }

    public void countLost() { faaLong(buf, LOST_OFFSET, 1L); }

    /**
     * Reserves {@code size} bytes (a multiple of 8, at most a page) for one record.
     *
     * <p>Overwrite mode never reuses a page before every record of it from the previous lap is committed: the
     * writer that opens a page checks the page's committed-bytes counter. So a writer stalled in the middle of a
     * record is never overtaken by a whole lap of other writers, and no record is ever written over one being
     * written; while the stall lasts, records that would reuse its page are lost (and counted).
     *
     * @return the logical position of the record; or {@link #FULL}: discard mode without room, or overwrite mode
     *     with a next buffer at the end of a lap (the rest of the lap is then padded, so that when this buffer
     *     becomes current again it starts a new lap); or {@link #BUSY}
     */
    public long claim(int size) {
        for (;;) {
            long p = lvLong(buf, POSITION_OFFSET);
            int room = page - ((int) p & pageMask);
            long start = size <= room ? p : p + room;
            long end = start + occupied(start, size);
            if (discard) {
                if (end - lvLong(buf, CONSUMED_OFFSET) > capacity) return FULL;
            } else if (next >= 0 && ((p ^ (end - 1)) & ~(long) mask) != 0) {
                long lapEnd = (p | mask) + 1;
                if (casLong(buf, POSITION_OFFSET, p, lapEnd)) {
                    pad(p, (int) (lapEnd - p));
                    return FULL;
                }
                continue;
            }
            if (((int) start & pageMask) == 0 && !discard && !pageFree(start, start > p ? p : -1, room)) return BUSY;
            if (casLong(buf, POSITION_OFFSET, p, end)) {
                if (start > p) pad(p, room);
                return start;
            }
        }
    }

    /**
     * Whether every byte of the page that {@code position} opens was committed in the laps before. The padding
     * this claim itself puts at {@code padAt} (-1: none) is not written yet: when it lies in that same page (a
     * one-page buffer) it is counted as done.
     *
     * <p>Why a counter and not a walk of the previous lap's records in the page: the walk reads one line per record
     * of memory long out of the cache, one load depending on the last, and measured as slow as the counter's
     * atomic add per record (63 ns per event either way, JMH FireBench with 64 MiB buffers).
     */
    private boolean pageFree(long position, long padAt, int padLength) {
        int index = ((int) position & mask) >>> pageShift;
        long needed = (position >>> lapShift) << pageShift; // one page per lap before this one
        if (padAt >= 0 && (((int) padAt & mask) >>> pageShift) == index) needed -= padLength;
        return lvCounter(committed, index) >= needed;
    }

    private void countCommitted(long position, int bytes) {
        faaCounter(committed, ((int) position & mask) >>> pageShift, bytes);
    }

    /**
     * Whether the record claimed at {@code position} fills an overwrite-mode buffer that has a next buffer up to
     * the end of its lap: then the buffer is full and its writer hands the CPU over to the next.
     */
    public boolean fillsLap(long position, int size) {
        return next >= 0 && !discard && ((position + occupied(position, size)) & mask) == 0;
    }

    /** Bytes a record of {@code size} occupies at {@code position}: it takes a leftover of 8 bytes as slack. */
    int occupied(long position, int size) {
        return page - ((int) position & pageMask) - size == ALIGNMENT ? size + ALIGNMENT : size;
    }

    private void pad(long position, int length) {
        int at = FILE_HEADER_LENGTH + ((int) position & mask);
        buf.putInt(at + EVENT_ID_OFFSET, PADDING_ID);
        buf.putInt(at + PAYLOAD_LENGTH_OFFSET, 0);
        soLong(buf, at, word(position, length));
        countCommitted(position, length);
    }

    /** Fills and commits the record claimed at {@code position}. */
    public boolean commit(long position, int size, Event e, int payloadLength) {
        return commit(position, size, e.type().id(), e.timestamp(), e.pid(), e.tid(), e.payload(), e.payloadOffset(), payloadLength);
    }

    /** Fills and commits a record from raw parts (the payload is {@code length} bytes of {@code src} at {@code from}). */
    public boolean commit(long position, int size, int eventId, long timestamp, int pid, int tid,
                          ByteBuffer src, int from, int length) {
        checkPayload(position, size, src, from, length);
        int at = start(position, size);
        // two ints per store (event id and payload length, pid and tid): each checked ByteBuffer access costs
        buf.putLong(at + EVENT_ID_OFFSET, pair(eventId, length));
        buf.putLong(at + TIMESTAMP_OFFSET, timestamp);
        buf.putLong(at + PID_OFFSET, pair(pid, tid));
        if (length > 0) Bytes.copy(src, from, buf, at + HEADER_LENGTH, length);
        return publish(at, position, occupied(position, size));
    }

    /** The little-endian long of two adjacent ints: {@code low} first. */
    private static long pair(int low, int high) { return (low & 0xffffffffL) | ((long) high << 32); }

    /**
     * Refuses a payload that lies outside its buffer before anything is written: the claimed space becomes padding
     * (so the page stays walkable and reusable), the record counts as lost, and the caller gets the exception.
     */
    private void checkPayload(long position, int size, ByteBuffer src, int from, int length) {
        if (length > 0 && (from < 0 || length > src.capacity() - from)) {
            pad(position, occupied(position, size));
            countLost();
            throw new IndexOutOfBoundsException("payload of " + length + " bytes at " + from + " outside its buffer of "
                    + src.capacity());
        }
    }

    /**
     * The offset of the record claimed at {@code position}, whose first word now says "being written" (size
     * negative), ordered before every other store of the record.
     */
    private int start(long position, int size) {
        int at = FILE_HEADER_LENGTH + ((int) position & mask);
        buf.putLong(at, word(position, -occupied(position, size)));
        storeStoreFence();
        return at;
    }

    /**
     * Commits the record: its first word turns positive (a release store), then the counters. The logger is woken
     * when its flag comes back from the written counter's add (it sleeps until a record comes), and by a record that
     * reaches into another quarter of a lap: one that crosses the quarter mark, or begins at it — a quarter begins at a
     * page boundary once the buffer has several pages, and the page before it often ends in padding, which no record
     * crosses (so the quarter is that of the record's last byte against that of the byte before the record).
     */
    private boolean publish(int at, long position, int occupied) {
        soLong(buf, at, word(position, occupied));
        countCommitted(position, occupied);
        if (faaLong(buf, WRITTEN_OFFSET, 1L) < 0) wakeDrainer();
        if ((((position - 1) ^ (position + occupied - 1)) >>> (lapShift - 2)) != 0) drained.filling();
        return true;
    }

    /** Makes the file content durable (msync); for an orderly stop. */
    public void force() {
        if (buf instanceof MappedByteBuffer) ((MappedByteBuffer) buf).force();
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() { return "buffer " + id + " of cpu " + cpu; }
}
