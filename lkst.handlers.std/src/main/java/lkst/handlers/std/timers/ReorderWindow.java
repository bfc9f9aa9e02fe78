package lkst.handlers.std.timers;

/**
 * Puts events back in timestamp order before a handler acts on them. Each CPU's kernel reader dispatches a page
 * at a time, so two CPUs' events reach a handler interleaved by page, not by time: a free on CPU 1 may arrive
 * before the timer start on CPU 0 that preceded it. This window holds every event until it is {@code window}
 * nanoseconds old (by the events' clock, CLOCK_MONOTONIC, which is {@link System#nanoTime()}), then releases the
 * held events oldest first. An event that arrives after a newer one was released is <em>late</em>: it is
 * released at once and counted. When {@code capacity} events are held, the oldest is released early
 * (<em>forced</em>, counted) to make room: memory stays bounded.
 *
 * <p>Events are held as primitives in parallel arrays under a binary min-heap on the timestamp: no allocation per
 * event. Thread-safe: the readers of all CPUs offer concurrently; the sink runs under the window's lock, so it
 * sees one event at a time, in order.
 */
public final class ReorderWindow {
    /** Receives the released events, in timestamp order. */
    @FunctionalInterface
    public interface Sink {
        void accept(int kind, long timestamp, long address, long size, int pid);
    }

    private final Sink sink;
    private final int capacity;
    private volatile long window;
    private final long[] time;
    private final long[] address;
    private final long[] size;
    private final int[] kind;
    private final int[] pid;
    private final int[] heap; // slots ordered by time[slot]
    private final int[] free; // slots not in the heap
    private int held;
    private long released = Long.MIN_VALUE; // timestamp of the newest event released
    private long late;
    private long forced;

    public ReorderWindow(long windowNanos, int capacity, Sink sink) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.window = windowNanos;
        this.capacity = capacity;
        this.sink = sink;
        time = new long[capacity];
        address = new long[capacity];
        size = new long[capacity];
        kind = new int[capacity];
        pid = new int[capacity];
        heap = new int[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) free[i] = capacity - 1 - i;
    }

    /** Holds one event; releases it at once when it is already older than the newest one released. */
    public synchronized void offer(int k, long timestamp, long addr, long sz, int p) {
        if (held == capacity) {
            forced++;
            releaseOldest();
        }
        if (timestamp < released) {
            late++;
            sink.accept(k, timestamp, addr, sz, p);
            return;
        }
        int slot = free[capacity - 1 - held];
        time[slot] = timestamp;
        address[slot] = addr;
        size[slot] = sz;
        kind[slot] = k;
        pid[slot] = p;
        heap[held] = slot;
        up(held++);
    }

    /** Releases, oldest first, every held event stamped at or before {@code now - window}. */
    public synchronized void drain(long now) {
        long horizon = now - window;
        while (held > 0 && time[heap[0]] <= horizon) releaseOldest();
    }

    /** Releases everything held, oldest first (at the end of a stream). */
    public synchronized void flush() {
        while (held > 0) releaseOldest();
    }

    private void releaseOldest() {
        int slot = heap[0];
        heap[0] = heap[--held];
        if (held > 0) down(0);
        free[capacity - 1 - held] = slot;
        released = Math.max(released, time[slot]);
        sink.accept(kind[slot], time[slot], address[slot], size[slot], pid[slot]);
    }

    private void up(int i) {
        int s = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (time[heap[parent]] <= time[s]) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = s;
    }

    private void down(int i) {
        int s = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= held) break;
            if (child + 1 < held && time[heap[child + 1]] < time[heap[child]]) child++;
            if (time[heap[child]] >= time[s]) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = s;
    }

    public long windowNanos() { return window; }

    public void windowNanos(long nanos) { window = nanos; }

    public synchronized int held() { return held; }

    /** Events that arrived after a newer one had been released: handled out of order. */
    public synchronized long late() { return late; }

    /** Events released before their window was over because the window was full. */
    public synchronized long forced() { return forced; }
}
