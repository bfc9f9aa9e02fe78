package lkst.buffers.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import lkst.api.KernelFiles;
import lkst.api.LossSource;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.LogStatus;
import lkst.buffers.files.TraceFiles;
import lkst.buffers.record.BufferSet;
import lkst.buffers.ring.BufferHeader;
import lkst.buffers.ring.DrainSignal;
import lkst.buffers.ring.RecordBuffer;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.KernelFolder;
import lkst.buffers.trace.SegmentWriter;
import lkst.buffers.trace.TraceLosses;
import lkst.buffers.trace.TraceMetadata;
import lkst.buffers.trace.TraceReader;

/**
 * LKST's log daemon: one thread drains every buffer into log files, continuously. The log directory is itself a
 * trace directory (metadata plus buffer files, one series of files per CPU, {@code cpuN-logSEQ.lkst}), so
 * {@code print} and {@code recover} read it. Each file holds up to {@code fileSize} bytes of records (rounded up
 * to a power of two); when a CPU has more than {@code files} of them the oldest is deleted.
 *
 * <p>Draining advances each buffer's drain position, which frees space in discard-mode buffers: with the logger
 * running, a discard buffer loses nothing as long as the disk keeps up. In overwrite mode, records overwritten
 * before the logger reached them are counted as overwritten bytes.
 *
 * <p>Scheduling: the logger must keep up with the kernel readers that fill the buffers, also when hundreds of
 * runnable tasks compete for the CPUs. With {@link #realtime(int)} its thread runs SCHED_FIFO at that priority
 * (below the readers', so that kernel pages are read first); under hackbench a logger at nice 0 drained so little
 * that 90 % of the records were refused by full discard buffers (lkst.bench/kernel/README.md).
 */
public final class Logger {
    private static final long GIVE_UP_NANOS = 500_000_000L; // a writer that never finishes its record
    /**
     * Longest nap after a round that found records, before the logger looks again: records then come in batches and
     * writers never pay for waking it, while a real-time thread that woke every few milliseconds showed among the
     * tracer's own context switches. A writer whose record opens another quarter of a buffer's lap wakes it at
     * once ({@link DrainSignal#filling}); a stop wakes it too. Only when a look after a nap finds nothing does it
     * sleep until a writer commits (see {@link DrainSignal}). (Until 2026-12-02 the quarter wake-up looked for a
     * record crossing the quarter mark, which in a buffer of several pages never happens when the page before ends
     * in padding: a 1 s nap then lost records on a syscall storm; LoggerTest has both cases now.)
     * {@code lkst.logger.nap.ms} sets it.
     */
    static final long BATCH_NANOS = 100_000_000L;
    private volatile long napNanos = BATCH_NANOS;

    private final BufferSet set;
    private Thread thread;
    private volatile boolean running;
    private volatile Path dir;
    private volatile long fileSize;
    private volatile int files;
    private volatile long records;
    private volatile long bytes;
    private volatile long overwritten;
    private volatile long torn;
    private volatile String error;
    private final Map<RecordBuffer, Source> sources = new IdentityHashMap<>();
    private final Map<Integer, SegmentWriter> series = new HashMap<>();
    private long metadataVersion = -1;
    private volatile int rtPriority;
    private volatile String scheduling = "normal";
    private volatile Supplier<List<LossSource>> lossSources = List::of;
    private volatile Supplier<List<KernelFiles>> kernelFiles = List::of;
    /** What the buffers and the loss sources had lost when the logger started: {@code trace.lost} holds the rest. */
    private Map<String, long[]> lostAtStart = Map.of();

    public Logger(BufferSet set) {
        this.set = set;
    }

    /** SCHED_FIFO priority of the logger thread from its next start; 0: the normal scheduler. */
    public void realtime(int priority) {
        if (priority < 0 || priority > 99) throw new IllegalArgumentException("real-time priority must be 0-99: " + priority);
        rtPriority = priority;
    }

    /** The longest nap between rounds that found records (default {@link #BATCH_NANOS}); tests make it long. */
    public void napNanos(long nanos) {
        if (nanos <= 0) throw new IllegalArgumentException("the logger's nap must be positive: " + nanos);
        napNanos = nanos;
    }

    /** The sources whose losses {@link #stop} writes into the log's {@code trace.lost}, besides the buffers'. */
    public void lossSources(Supplier<List<LossSource>> sources) { lossSources = sources; }

    /** The sources whose kernel files {@link #start} and {@link #stop} write into the log's kernel/ folder. */
    public void kernelFiles(Supplier<List<KernelFiles>> sources) { kernelFiles = sources; }

    /** How the logger thread is scheduled: "fifo N", "normal", or "normal (fifo N refused: why)". */
    public String scheduling() { return scheduling; }

    public synchronized LogStatus start(Path to, long fileSize, int files) {
        if (running) throw new IllegalArgumentException("the logger already writes to " + dir + ": stop it first");
        if (fileSize < 4096) throw new IllegalArgumentException("log file size must be at least 4096 bytes: " + fileSize);
        if (files < 1) throw new IllegalArgumentException("the logger must keep at least 1 file per cpu: " + files);
        Path abs = to.toAbsolutePath().normalize();
        if (abs.equals(set.directory().toAbsolutePath().normalize())) throw new IllegalArgumentException("the log directory cannot be the trace directory " + abs);
        try {
            TraceFiles.privateDirectory(abs);
            if (!TraceReader.bufferFiles(abs).isEmpty()) throw new IllegalArgumentException("log directory " + abs + " already holds a trace: choose an empty one");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create log directory " + abs + ": " + e.getMessage());
        }
        this.dir = abs;
        this.fileSize = fileSize;
        this.files = files;
        records = bytes = overwritten = torn = 0;
        error = null;
        sources.clear();
        series.clear();
        metadataVersion = -1;
        writeMetadata();
        writeKernelFolder(set.directory()); // there too: recovery after a crash finds it
        writeKernelFolder(abs);
        lostAtStart = lostNow();
        running = true;
        thread = new Thread(this::run, "lkst-logger");
        thread.setDaemon(true);
        thread.start();
        return status();
    }

    public synchronized LogStatus stop() {
        if (!running) return status();
        running = false;
        set.drainSignal().wake(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        List<TraceMetadata.BufferEntry> segments = new java.util.ArrayList<>();
        for (Map.Entry<Integer, SegmentWriter> s : series.entrySet()) {
            s.getValue().close(); // cut to the end of its records: the log takes on disk what it holds
            s.getValue().buffers().forEach((file, ids) -> {
                for (int id : ids) segments.add(segment(s.getKey(), id, file));
            });
        }
        writeMetadata(segments);
        try {
            losses().write(dir);
            writeKernelFolder(dir); // again: saved_cmdlines and saved_tgids now name the tasks that ran
        } catch (UncheckedIOException e) {
            error = e.getMessage();
        }
        return status();
    }

    /** The kernel's files about the trace's tracepoints (every kernel event of its catalog), into {@code to}/kernel. */
    private void writeKernelFolder(Path to) {
        List<String> tracepoints = new java.util.ArrayList<>();
        for (lkst.api.EventType t : set.events()) tracepoints.addAll(t.tracepoints());
        Map<String, byte[]> files = new TreeMap<>();
        for (KernelFiles k : kernelFiles.get()) {
            try {
                files.putAll(k.kernelFiles(tracepoints));
            } catch (RuntimeException e) { // the trace then lacks them: its readers print raw fields
                error = "cannot ask for the kernel's files: " + e;
            }
        }
        KernelFolder.write(to, files);
    }

    /** Per source, events lost on each CPU so far: "buffers" (LKST/J's, summed over each CPU's), then each source's. */
    private Map<String, long[]> lostNow() {
        Map<String, long[]> m = new TreeMap<>();
        long[] buffers = new long[set.cpus()];
        for (RecordBuffer b : set.buffers()) buffers[b.cpu()] += b.lost();
        m.put("buffers", buffers);
        for (LossSource s : lossSources.get()) {
            try {
                m.put(s.name(), s.lostPerCpu().clone());
            } catch (RuntimeException e) { // no figure from it: the log's status says so
                error = "cannot ask " + s.name() + " for the events it lost: " + e;
            }
        }
        return m;
    }

    /** What was lost while the logger ran; a source that restarted (its count fell) counts from its restart. */
    private TraceLosses losses() {
        Map<Integer, Map<String, Long>> per = new TreeMap<>();
        lostNow().forEach((source, now) -> {
            long[] before = lostAtStart.getOrDefault(source, new long[0]);
            for (int cpu = 0; cpu < now.length; cpu++) {
                long b = cpu < before.length ? before[cpu] : 0;
                per.computeIfAbsent(cpu, k -> new TreeMap<>()).put(source, now[cpu] >= b ? now[cpu] - b : now[cpu]);
            }
        });
        return new TraceLosses(per);
    }

    public LogStatus status() {
        Path d = dir;
        List<String> segments = d == null || !Files.isDirectory(d) ? List.of()
                : TraceReader.bufferFiles(d).stream().map(p -> p.getFileName().toString()).toList();
        return new LogStatus(running, d == null ? null : d.toString(), fileSize, files, records, bytes, overwritten, torn, segments, error);
    }

    private void run() {
        int rt = rtPriority;
        if (rt > 0) {
            String refused = Scheduling.fifo(rt);
            scheduling = refused == null ? "fifo " + rt : "normal (fifo " + rt + " refused: " + refused + ")";
        } else {
            scheduling = "normal";
        }
        try {
            boolean busy = false;
            while (true) {
                boolean stopping = !running;
                long seen = written();
                if (drainOnce() > 0) {
                    busy = true;
                    continue;
                }
                if (stopping) return;
                if (busy) {
                    busy = false;
                    set.drainSignal().nap(napNanos, () -> quarterFull() || !running);
                } else {
                    // a record still being written is signalled at its commit; a writer that never commits is given up
                    set.drainSignal().awaitData(pending ? GIVE_UP_NANOS : 0, () -> {
                        for (RecordBuffer b : set.buffers()) b.drainerWaits();
                        return written() != seen || !running;
                    });
                }
            }
        } catch (RuntimeException | Error e) { // a write failed (disk full, file removed): stop, and say why
            error = String.valueOf(e.getMessage() != null ? e.getMessage() : e);
            running = false;
        }
    }

    /**
     * Whether a discard-mode buffer is at least a quarter full (the logger's side of {@link DrainSignal#filling});
     * an overwrite-mode buffer's used() stays full once it wrapped, so it wakes the logger by its writers only.
     */
    private boolean quarterFull() {
        for (RecordBuffer b : set.buffers()) if (b.mode() == BufferMode.DISCARD && b.used() >= b.capacity() / 4) return true;
        return false;
    }

    /** Records committed in every buffer so far (volatile reads: the logger's side of {@link DrainSignal}). */
    private long written() {
        long n = 0;
        for (RecordBuffer b : set.buffers()) n += b.written();
        return n;
    }

    /** Whether the last round met a record still being written. */
    private boolean pending;

    /** One round over every buffer; returns the bytes drained. Only the logger thread calls it. */
    long drainOnce() {
        if (set.metadataVersion() != metadataVersion) writeMetadata();
        long drained = 0;
        pending = false;
        long count = 0;
        List<RecordBuffer> buffers = set.buffers();
        sources.keySet().retainAll(buffers);
        for (RecordBuffer b : buffers) {
            Source s = sources.get(b);
            if (s == null) sources.put(b, s = new Source(b));
            SegmentWriter out = series.get(b.cpu());
            if (out == null) series.put(b.cpu(), out = new SegmentWriter(dir, b.cpu(), "cpu" + b.cpu() + "-log", fileSize, files));
            RecordCursor c = s.cursor.refresh();
            while (c.next()) {
                out.append(c);
                drained += c.occupied();
                count++;
            }
            if (c.pending()) {
                pending = true;
                long now = System.nanoTime();
                if (s.pendingAt != c.resume()) {
                    s.pendingAt = c.resume();
                    s.pendingSince = now;
                } else if (now - s.pendingSince > GIVE_UP_NANOS) {
                    c.skipPending();
                    s.pendingAt = -1;
                }
            }
            if (c.overwritten() != s.overwrittenSeen || c.torn() != s.tornSeen) {
                overwritten += c.overwritten() - s.overwrittenSeen;
                s.overwrittenSeen = c.overwritten();
                torn += c.torn() - s.tornSeen;
                s.tornSeen = c.torn();
            }
            b.soConsumed(c.resume());
        }
        if (count > 0) {
            records += count;
            bytes += drained;
        }
        return drained;
    }

    /** A buffer line of the log's trace.meta at stop: a segment file and a buffer whose records it holds. */
    private TraceMetadata.BufferEntry segment(int cpu, int id, Path file) {
        for (RecordBuffer b : set.buffers()) {
            if (b.cpu() == cpu && b.id() == id) return new TraceMetadata.BufferEntry(cpu, id, b.capacity(), b.mode(), b.next(), file.getFileName().toString());
        }
        return new TraceMetadata.BufferEntry(cpu, id, (int) Math.min(fileSize, 1 << 30), lkst.buffers.api.BufferMode.DISCARD, -1, file.getFileName().toString());
    }

    private void writeMetadata() {
        writeMetadata(List.of());
    }

    /** Writes the log's trace.meta: the catalog, and the buffers each segment holds records of (known at stop). */
    private void writeMetadata(List<TraceMetadata.BufferEntry> segments) {
        Path d = dir;
        if (d == null) return;
        metadataVersion = set.metadataVersion();
        TraceMetadata m = set.metadata();
        try {
            TraceFiles.writeAtomically(d.resolve(TraceMetadata.FILE),
                    new TraceMetadata(m.version(), m.clock(), m.realtimeOffset(), m.cpus(), segments, m.events()).encode());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + d.resolve(TraceMetadata.FILE) + ": " + e.getMessage(), e);
        }
    }

    /** A buffer being drained: its cursor, which waits at records still being written. */
    private static final class Source {
        final RecordCursor cursor;
        long pendingAt = -1;
        long pendingSince;
        long overwrittenSeen;
        long tornSeen;

        Source(RecordBuffer b) {
            var content = b.content();
            BufferHeader h = BufferHeader.read(content, b.file().toString());
            cursor = new RecordCursor(content, h, h.consumed(), RecordCursor.Torn.WAIT);
        }
    }
}
