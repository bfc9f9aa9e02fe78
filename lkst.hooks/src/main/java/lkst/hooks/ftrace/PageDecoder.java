package lkst.hooks.ftrace;

import java.nio.ByteBuffer;
import lkst.api.Dispatcher;

/**
 * Decodes one CPU's ring-buffer sub-buffers (pages, laid out as {@link PageLayout} says) into events and hands each to
 * the dispatcher through one reused {@link KernelEvent}. A page may be decoded in several steps while the kernel is
 * still appending to it (the mmap reader's page can be the writer's page): {@link #decode} resumes where the last
 * call on the same page stopped, with the running timestamp it had reached.
 *
 * <p>Not thread-safe: one decoder per CPU, used by that CPU's reader thread only; the counters may be read by others.
 */
public final class PageDecoder {
    /** An absolute time stamp carries 59 bits; the top 5 bits come from the running time (kernel TS_MSB). */
    private static final long TS_MSB = 0xf8L << 56;

    private final PageLayout layout;
    private final KernelTypes types;
    private final Dispatcher sink;
    private final KernelEvent event;
    private final long typeLenMask;

    // resume state for the page decoded last
    private ByteBuffer lastBuf;
    private int lastBase = -1;
    private long lastPageTs;
    private int lastPos;
    private long lastTs;

    /** counted per event by the reader thread alone; published once per page through {@link #published} */
    private long events;
    private volatile long published;
    private volatile long missedEvents;
    private volatile long missedUnknown;
    private volatile long unknownTypes;
    private volatile long malformed;
    private volatile long pages;

    public PageDecoder(PageLayout layout, KernelTypes types, int cpu, Dispatcher sink) {
        this.layout = layout;
        this.types = types;
        this.sink = sink;
        this.event = new KernelEvent(cpu);
        this.typeLenMask = (1L << layout.typeLenBits()) - 1;
    }

    /** Commit length (bytes of event data) of the page at {@code base}. */
    public int commitLength(ByteBuffer buf, int base) {
        return (int) (commitWord(buf, base) & PageLayout.COMMIT_MASK);
    }

    private long commitWord(ByteBuffer buf, int base) {
        int at = base + layout.commitOffset();
        return layout.commitSize() == 8 ? buf.getLong(at) : Integer.toUnsignedLong(buf.getInt(at));
    }

    /**
     * Dispatches the events of the page at {@code base} whose data position is at least {@code from} (0 = a page not
     * seen before) up to the page's commit; returns the data position reached, to pass as {@code from} next time.
     * {@code buf} must be little-endian and is read with absolute indexes only.
     */
    public int decode(ByteBuffer buf, int base, int from) {
        long commit = commitWord(buf, base);
        int end = (int) (commit & PageLayout.COMMIT_MASK);
        long pageTs = buf.getLong(base + layout.timestampOffset());
        if (end > layout.dataSize()) {
            malformed++;
            return from;
        }
        int pos;
        long ts;
        boolean same = buf == lastBuf && base == lastBase && pageTs == lastPageTs;
        if (from > 0 && same && from == lastPos) {
            pos = lastPos;
            ts = lastTs;
        } else {
            pos = 0;
            ts = pageTs;
            if (from == 0) {
                pages++;
                countMissed(buf, base, commit, end);
            }
        }
        int data = base + layout.dataOffset();
        while (pos < end) {
            int at = data + pos;
            if (pos + 4 > end) { malformed++; pos = end; break; }
            int header = buf.getInt(at);
            int typeLen = (int) (header & typeLenMask);
            long delta = Integer.toUnsignedLong(header) >>> layout.typeLenBits();
            int size;
            if (typeLen == layout.paddingType()) {
                if (delta == 0) { pos = end; break; } // the rest of the page is empty
                size = 4 + buf.getInt(at + 4); // a discarded event: skipped, its delta is not added
            } else if (typeLen == layout.timeExtendType()) {
                ts += (Integer.toUnsignedLong(buf.getInt(at + 4)) << layout.timeDeltaBits()) + delta;
                size = 8;
            } else if (typeLen == layout.timeStampType()) {
                long abs = (Integer.toUnsignedLong(buf.getInt(at + 4)) << layout.timeDeltaBits()) + delta;
                if ((ts & TS_MSB) != 0) {
                    abs |= ts & TS_MSB;
                    if (Long.compareUnsigned(abs, ts) < 0) abs += 1L << 59;
                }
                ts = abs;
                size = 8;
            } else {
                int payload;
                int length;
                if (typeLen == 0) {
                    length = buf.getInt(at + 4) - 4; // array[0] counts itself
                    payload = at + 8;
                    size = 8 + length;
                } else {
                    length = typeLen * 4;
                    payload = at + 4;
                    size = 4 + length;
                }
                ts += delta;
                if (length < 0 || pos + size > end) { malformed++; pos = end; break; }
                if (pos >= from) emit(buf, payload, length, ts);
            }
            if (size <= 0) { malformed++; pos = end; break; }
            pos += size;
        }
        lastBuf = buf;
        lastBase = base;
        lastPageTs = pageTs;
        lastPos = pos;
        lastTs = ts;
        published = events;
        return pos;
    }

    private void countMissed(ByteBuffer buf, int base, long commit, int end) {
        if ((commit & PageLayout.MISSED_EVENTS) == 0) return;
        if ((commit & PageLayout.MISSED_STORED) != 0) {
            missedEvents += buf.getLong(base + layout.dataOffset() + end);
        } else {
            missedUnknown++;
        }
    }

    /** The record's common_type is a u16 at offset 0 of every event's common header. */
    private void emit(ByteBuffer buf, int payload, int length, long ts) {
        int kernelId = Short.toUnsignedInt(buf.getShort(payload));
        KernelTypes.Entry e = types.get(kernelId);
        if (e == null) {
            unknownTypes++;
            return;
        }
        event.set(e.type(), ts, buf.getInt(payload + e.format().pidOffset()), buf, payload, length);
        events++;
        sink.dispatch(event);
    }

    /** Forgets the resume state: the next {@link #decode} of any page starts at its beginning. */
    public void reset() {
        lastBuf = null;
        lastBase = -1;
    }

    /** Events dispatched, as of the end of the last page decoded. */
    public long events() { return published; }

    /** Events the kernel reported lost with their number (stored after a page's data). */
    public long missedEvents() { return missedEvents; }

    /** Pages flagged "events missed before this page" without the number. */
    public long missedUnknown() { return missedUnknown; }

    public long unknownTypes() { return unknownTypes; }

    public long malformed() { return malformed; }

    public long pages() { return pages; }
}
