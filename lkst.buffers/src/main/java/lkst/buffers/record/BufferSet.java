package lkst.buffers.record;

import static lkst.buffers.ring.RecordDescriptor.HEADER_LENGTH;
import static lkst.buffers.ring.RecordDescriptor.align;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import lkst.api.Event;
import lkst.api.EventType;
import lkst.api.Recorder;
import lkst.buffers.api.BufferInfo;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.files.TraceFiles;
import lkst.buffers.ring.BufferDescriptor;
import lkst.buffers.ring.BufferHeader;
import lkst.buffers.ring.DrainSignal;
import lkst.buffers.ring.RecordBuffer;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.RecordDecoder;
import lkst.buffers.trace.TraceMetadata;
import lkst.buffers.trace.TraceReader;

/**
 * The per-CPU buffer sets of one trace directory, and the {@link Recorder} that writes into them. Plain Java: a
 * benchmark or a test builds one on a temporary directory.
 *
 * <p>Hot path ({@link #record}): the CPU's current buffer (one volatile load), a check that the event type is
 * already in the metadata (one array load), claim, fill, commit. No allocation, no lock. The first record of an
 * event type not yet described takes the slow path: the metadata file is rewritten before the record is
 * written, so a trace directory describes every record in it even after a crash.
 */
public final class BufferSet implements Recorder, AutoCloseable {
    /** Buffer IDs per CPU are 0 … MAX_IDS-1. */
    public static final int MAX_IDS = 256;
    private static final int KNOWN_LIMIT = 1 << 16;

    private final Path dir;
    private final int cpus;
    private final AtomicReferenceArray<RecordBuffer> current;
    private final List<AtomicReferenceArray<RecordBuffer>> byId = new ArrayList<>();
    private final Map<Integer, EventType> catalog = new TreeMap<>();
    private final AtomicLong unroutable = new AtomicLong();
    /** CLOCK_REALTIME − CLOCK_MONOTONIC when the trace was made: lets readers show wall-clock times. */
    private final long realtimeOffset = TraceMetadata.realtimeOffsetNow();
    private volatile EventType[] known = new EventType[0];
    /** Wakes the logger when a record is committed in any buffer of the set. */
    private final DrainSignal drainSignal = new DrainSignal();

    /**
     * Creates a fresh trace in {@code dir} (made 0700; a trace already there is replaced) with one buffer,
     * ID 0, per CPU.
     */
    public BufferSet(Path dir, int cpus, long size, BufferMode mode, Collection<EventType> events) {
        if (cpus <= 0) throw new IllegalArgumentException("cpu count must be positive: " + cpus);
        this.dir = dir;
        this.cpus = cpus;
        this.current = new AtomicReferenceArray<>(cpus);
        try {
            TraceFiles.privateDirectory(dir);
            for (Path old : TraceReader.bufferFiles(dir)) Files.delete(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare trace directory " + dir + ": " + e.getMessage(), e);
        }
        for (int c = 0; c < cpus; c++) byId.add(new AtomicReferenceArray<>(MAX_IDS));
        synchronized (this) {
            for (EventType t : events) catalog.put(t.id(), t);
            rebuildKnown();
            for (int c = 0; c < cpus; c++) {
                RecordBuffer b = newBuffer(c, 0, size, mode);
                current.set(c, b);
            }
            writeMetadata();
        }
    }

    public Path directory() { return dir; }

    /** What the logger waits on: signalled after every commit while the logger sleeps. */
    public DrainSignal drainSignal() { return drainSignal; }

    public int cpus() { return cpus; }

    /** Records dropped because their CPU number was outside 0 … cpus-1. */
    public long unroutable() { return unroutable.get(); }

    @Override
    public boolean record(Event e) {
        int cpu = e.cpu();
        if (cpu < 0 || cpu >= cpus) {
            unroutable.incrementAndGet();
            return false;
        }
        RecordBuffer b = current.get(cpu);
        EventType t = e.type();
        int id = t.id();
        EventType[] k = known;
        if (id >= k.length || k[id] != t) learn(t);
        int length = e.payloadLength();
        int size = align(HEADER_LENGTH + length);
        for (int hop = 0; ; hop++) {
            if (size > b.page()) { // a record never spans pages: too large for this buffer
                b.countLost();
                return false;
            }
            long p = b.claim(size);
            if (p == RecordBuffer.BUSY) {
                b.countLost();
                return false;
            }
            if (p >= 0) {
                boolean written = b.commit(p, size, e, length);
                if (b.fillsLap(p, size)) handOver(cpu, b);
                return written;
            }
            RecordBuffer n = hop < MAX_IDS ? nextOf(b) : null;
            if (n == null) {
                b.countLost();
                return false;
            }
            current.compareAndSet(cpu, b, n); // the CPU moves on to the next buffer (maybe another writer did)
            b = n;
        }
    }

    private void handOver(int cpu, RecordBuffer b) {
        RecordBuffer n = nextOf(b);
        if (n != null) current.compareAndSet(cpu, b, n);
    }

    private RecordBuffer nextOf(RecordBuffer b) {
        int next = b.next();
        return next < 0 ? null : byId.get(b.cpu()).get(next);
    }

    /** Slow path: the event type is new, or its schema changed. The metadata is on disk before the record. */
    private synchronized void learn(EventType t) {
        if (catalog.get(t.id()) == t) return;
        catalog.put(t.id(), t);
        rebuildKnown();
        writeMetadata();
    }

    private void rebuildKnown() {
        int max = 0;
        for (int id : catalog.keySet()) if (id < KNOWN_LIMIT) max = Math.max(max, id);
        EventType[] k = new EventType[max + 1];
        catalog.forEach((id, t) -> { if (id < KNOWN_LIMIT) k[id] = t; });
        known = k;
    }

    /** Adds event types to the metadata (the catalog as the tracer knows it). */
    public synchronized void describe(Collection<EventType> events) {
        for (EventType t : events) catalog.put(t.id(), t);
        rebuildKnown();
        writeMetadata();
    }

    public synchronized List<EventType> events() { return List.copyOf(catalog.values()); }

    // ---------------------------------------------------------------- buffers

    public boolean switchTo(int cpu, int bufferId) {
        if (cpu < 0 || cpu >= cpus || bufferId < 0 || bufferId >= MAX_IDS) return false;
        RecordBuffer b = byId.get(cpu).get(bufferId);
        if (b == null) return false;
        current.set(cpu, b);
        return true;
    }

    public RecordBuffer current(int cpu) {
        return current.get(checkCpu(cpu));
    }

    /** The buffer, or null. */
    public RecordBuffer buffer(int cpu, int id) {
        return id < 0 || id >= MAX_IDS ? null : byId.get(checkCpu(cpu)).get(id);
    }

    private RecordBuffer existing(int cpu, int id) {
        RecordBuffer b = buffer(cpu, id);
        if (b == null) throw new IllegalArgumentException("cpu " + cpu + " has no buffer " + id);
        return b;
    }

    private int checkCpu(int cpu) {
        if (cpu < 0 || cpu >= cpus) throw new IllegalArgumentException("no cpu " + cpu + " (cpus are 0.." + (cpus - 1) + ")");
        return cpu;
    }

    private List<Integer> cpusOf(int cpu) {
        if (cpu == -1) {
            List<Integer> all = new ArrayList<>();
            for (int c = 0; c < cpus; c++) all.add(c);
            return all;
        }
        return List.of(checkCpu(cpu));
    }

    public synchronized List<RecordBuffer> buffers() {
        List<RecordBuffer> all = new ArrayList<>();
        for (AtomicReferenceArray<RecordBuffer> t : byId) {
            for (int i = 0; i < MAX_IDS; i++) if (t.get(i) != null) all.add(t.get(i));
        }
        return all;
    }

    public List<BufferInfo> list() {
        List<BufferInfo> out = new ArrayList<>();
        for (RecordBuffer b : buffers()) out.add(info(b));
        return out;
    }

    public BufferInfo info(RecordBuffer b) {
        return new BufferInfo(b.cpu(), b.id(), b.capacity(), b.mode(), b.next(), current.get(b.cpu()) == b,
                b.written(), b.lost(), b.used(), b.file().getFileName().toString());
    }

    public synchronized List<BufferInfo> create(int cpu, int id, long size, BufferMode mode) {
        List<Integer> targets = cpusOf(cpu);
        BufferDescriptor.capacityFor(size); // validates before anything changes
        if (mode == null) throw new IllegalArgumentException("buffer mode missing (overwrite or discard)");
        if (id < -1 || id >= MAX_IDS) throw new IllegalArgumentException("bad buffer id " + id + " (0.." + (MAX_IDS - 1) + ")");
        if (id == -1) {
            id = 0;
            while (id < MAX_IDS && taken(targets, id)) id++;
            if (id == MAX_IDS) throw new IllegalArgumentException("no free buffer id");
        } else if (taken(targets, id)) {
            throw new IllegalArgumentException("buffer " + id + " already exists" + (cpu == -1 ? " on some cpu" : " on cpu " + cpu));
        }
        List<BufferInfo> made = new ArrayList<>();
        for (int c : targets) made.add(info(newBuffer(c, id, size, mode)));
        writeMetadata();
        return made;
    }

    private boolean taken(List<Integer> targets, int id) {
        for (int c : targets) if (byId.get(c).get(id) != null) return true;
        return false;
    }

    private RecordBuffer newBuffer(int cpu, int id, long size, BufferMode mode) {
        RecordBuffer b = RecordBuffer.create(dir.resolve(fileName(cpu, id)), cpu, id, size, mode, -1);
        b.drainSignal(drainSignal);
        byId.get(cpu).set(id, b);
        return b;
    }

    public static String fileName(int cpu, int id) {
        return "cpu" + cpu + "-buffer" + id + TraceReader.BUFFER_SUFFIX;
    }

    public synchronized void delete(int cpu, int id) {
        List<RecordBuffer> doomed = targets(cpu, id);
        for (RecordBuffer b : doomed) {
            int c = b.cpu();
            if (current.get(c) == b) throw new IllegalArgumentException("buffer " + id + " is the current buffer of cpu " + c + ": switch to another first");
            for (int i = 0; i < MAX_IDS; i++) {
                RecordBuffer o = byId.get(c).get(i);
                if (o != null && o != b && o.next() == id) {
                    throw new IllegalArgumentException("buffer " + id + " of cpu " + c + " is the next of buffer " + i + ": unchain it first");
                }
            }
        }
        for (RecordBuffer b : doomed) {
            byId.get(b.cpu()).set(b.id(), null);
            b.delete(); // writers that still hold it finish into the unlinked mapping
        }
        writeMetadata();
    }

    public synchronized List<BufferInfo> select(int cpu, int id) {
        for (RecordBuffer b : targets(cpu, id)) switchTo(b.cpu(), b.id());
        return list().stream().filter(i -> i.id() == id && (cpu == -1 || i.cpu() == cpu)).toList();
    }

    public synchronized List<BufferInfo> chain(int cpu, int id, int next) {
        List<RecordBuffer> targets = targets(cpu, id);
        for (RecordBuffer b : targets) {
            if (next != -1 && buffer(b.cpu(), next) == null) {
                throw new IllegalArgumentException("cpu " + b.cpu() + " has no buffer " + next + " to chain to");
            }
        }
        for (RecordBuffer b : targets) b.next(next);
        return changed(targets);
    }

    public synchronized List<BufferInfo> mode(int cpu, int id, BufferMode mode) {
        List<RecordBuffer> targets = targets(cpu, id);
        for (RecordBuffer b : targets) b.mode(mode);
        return changed(targets);
    }

    /**
     * Buffer {@code id} of CPU {@code cpu}, which must have it, or of every CPU that has one ({@code cpu} -1); at
     * least one. Commands check all of them before they change any.
     */
    private List<RecordBuffer> targets(int cpu, int id) {
        List<RecordBuffer> out = new ArrayList<>();
        for (int c : cpusOf(cpu)) {
            RecordBuffer b = cpu == -1 ? buffer(c, id) : existing(c, id);
            if (b != null) out.add(b);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no cpu has a buffer " + id);
        return out;
    }

    /** Records the change in the metadata; the changed buffers as they are now. */
    private List<BufferInfo> changed(List<RecordBuffer> buffers) {
        writeMetadata();
        return buffers.stream().map(this::info).toList();
    }

    // ---------------------------------------------------------------- reading

    /** The newest {@code max} records (all when max &lt;= 0) of the buffers selected (-1 = all), oldest first. */
    public List<TraceRecord> read(int cpu, int id, int max) {
        if (cpu != -1) checkCpu(cpu);
        RecordDecoder decoder = new RecordDecoder(events());
        List<TraceRecord> all = new ArrayList<>();
        for (RecordBuffer b : buffers()) {
            if (cpu != -1 && b.cpu() != cpu || id != -1 && b.id() != id) continue;
            var content = b.content();
            BufferHeader h = BufferHeader.read(content, b.file().toString());
            long skip = 0;
            if (max > 0) { // decode only the newest max of each buffer: count first
                RecordCursor count = new RecordCursor(content, h, -1, RecordCursor.Torn.SKIP);
                while (count.next()) skip++;
                skip -= max;
            }
            RecordCursor c = new RecordCursor(content, h, -1, RecordCursor.Torn.SKIP);
            while (c.next()) {
                if (skip-- > 0) continue;
                if (decoder.type(c.eventId()) != null) all.add(decoder.decode(c, b.cpu(), b.id(), c.offset()));
            }
        }
        all.sort(Comparator.comparingLong(TraceRecord::time));
        return max > 0 && all.size() > max ? List.copyOf(all.subList(all.size() - max, all.size())) : all;
    }

    // ---------------------------------------------------------------- metadata

    public synchronized TraceMetadata metadata() {
        List<TraceMetadata.BufferEntry> entries = new ArrayList<>();
        for (RecordBuffer b : buffers()) {
            entries.add(new TraceMetadata.BufferEntry(b.cpu(), b.id(), b.capacity(), b.mode(), b.next(), b.file().getFileName().toString()));
        }
        return new TraceMetadata(TraceMetadata.VERSION, TraceMetadata.CLOCK, realtimeOffset, cpus, entries,
                List.copyOf(catalog.values()));
    }

    private final AtomicLong metadataVersion = new AtomicLong();

    /** Changes each time the metadata file is rewritten (the logger copies it then). */
    public long metadataVersion() { return metadataVersion.get(); }

    private void writeMetadata() {
        try {
            TraceFiles.writeAtomically(dir.resolve(TraceMetadata.FILE), metadata().encode());
            metadataVersion.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(TraceMetadata.FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Flushes every buffer to disk. The files stay: they are the trace. */
    @Override
    public synchronized void close() {
        writeMetadata();
        for (RecordBuffer b : buffers()) b.force();
    }
}
