package lkst.ship.fetch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import lkst.buffers.api.BufferMode;
import lkst.buffers.files.TraceFiles;
import lkst.buffers.trace.SegmentWriter;
import lkst.buffers.trace.TraceLosses;
import lkst.buffers.trace.TraceMetadata;
import lkst.ship.Frame;

/**
 * One host's trace as the topic holds it, rebuilt into a trace directory: each CPU's records in sequence order, every
 * record once (a sequence number already written is a duplicate, dropped and counted), a sequence number that never
 * came counted lost (with the shipper's reason when a LOST message gave one); the newest metadata version as
 * {@code trace.meta}; {@code trace.lost} as the host wrote it (END message) plus source {@code fleet}: what the topic
 * lacks.
 */
final class FetchedTrace {
    static final long SEGMENT_BYTES = 256L * 1024 * 1024;

    final String host;
    final String trace;
    final Path dir;
    private byte[] meta;
    int metaVersion;
    long realtimeOffset;
    private byte[] losses;
    boolean ended;
    private final Map<Integer, Cpu> cpus = new TreeMap<>();
    final List<String> reasons = new ArrayList<>();
    long records;
    long duplicates;
    long outOfWindow;

    private static final class Cpu {
        long next;
        long lost;
        SegmentWriter writer;
    }

    FetchedTrace(String host, String trace, Path dir) {
        this.host = host;
        this.trace = trace;
        this.dir = dir;
    }

    void meta(Frame f) {
        if (f.seq() <= metaVersion) return;
        metaVersion = (int) f.seq();
        meta = f.bytes();
        for (String l : f.text().split("\n")) {
            String[] w = l.split("\t");
            if (w[0].equals("clock") && w.length > 2) realtimeOffset = Long.parseLong(w[2].trim());
        }
    }

    boolean hasMeta() { return meta != null; }

    void lost(Frame f) {
        Cpu c = cpu(f.cpu());
        if (f.seq() < c.next) return; // sent twice
        if (f.seq() > c.next) gap(c, f.seq() - c.next);
        c.lost += f.count();
        c.next = f.seq() + f.count();
        String reason = "cpu " + f.cpu() + ": " + f.text();
        if (!reasons.contains(reason)) reasons.add(reason);
    }

    /** Writes the frame's records not written yet; {@code fromNs}/{@code toNs}: the wall-clock window (ns since 1970). */
    void records(Frame f, long fromNs, long toNs) {
        Cpu c = cpu(f.cpu());
        ByteBuffer b = f.body();
        long seq = f.seq();
        if (seq > c.next) gap(c, seq - c.next);
        for (long i = 0; i < f.count(); i++, seq++) {
            int buffer = b.getInt(), event = b.getInt(), length = b.getInt(), pid = b.getInt(), tid = b.getInt();
            long time = b.getLong();
            int payload = b.position();
            b.position(payload + length);
            if (seq < c.next) {
                duplicates++;
                continue;
            }
            c.next = seq + 1;
            long wall = time + realtimeOffset;
            if (wall < fromNs || wall > toNs) {
                outOfWindow++;
                continue;
            }
            if (c.writer == null) {
                try {
                    TraceFiles.privateDirectory(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
                }
                c.writer = new SegmentWriter(dir, f.cpu(), "cpu" + f.cpu() + "-log", SEGMENT_BYTES, 0);
            }
            c.writer.append(buffer, event, time, pid, tid, b, payload, length);
            records++;
        }
    }

    private void gap(Cpu c, long n) {
        c.lost += n;
        String reason = "records missing from the topic (deleted by its retention, or never sent)";
        if (!reasons.contains(reason)) reasons.add(reason);
    }

    void end(Frame f) {
        ended = true;
        losses = f.bytes();
    }

    private Cpu cpu(int cpu) { return cpus.computeIfAbsent(cpu, k -> new Cpu()); }

    long lost() { return cpus.values().stream().mapToLong(c -> c.lost).sum(); }

    /** Closes the segments and writes trace.meta (with the segments' buffers) and trace.lost. */
    void finish() throws IOException {
        TraceFiles.privateDirectory(dir);
        Files.write(dir.resolve(TraceMetadata.FILE), meta);
        TraceMetadata m = TraceMetadata.read(dir);
        List<TraceMetadata.BufferEntry> segments = new ArrayList<>();
        cpus.forEach((cpu, c) -> {
            if (c.writer == null) return;
            c.writer.close();
            c.writer.buffers().forEach((file, ids) -> {
                for (int id : ids) segments.add(entry(m, cpu, id, file.getFileName().toString()));
            });
        });
        TraceFiles.writeAtomically(dir.resolve(TraceMetadata.FILE),
                new TraceMetadata(m.version(), m.clock(), m.realtimeOffset(), m.cpus(), segments, m.events()).encode());
        Map<Integer, Map<String, Long>> per = new TreeMap<>();
        if (losses != null && losses.length > 0) {
            Files.write(dir.resolve(TraceLosses.FILE), losses);
            TraceLosses host = TraceLosses.read(dir);
            if (host != null) host.perCpu().forEach((cpu, m2) -> per.put(cpu, new TreeMap<>(m2)));
        }
        cpus.forEach((cpu, c) -> per.computeIfAbsent(cpu, k -> new TreeMap<>()).put("fleet", c.lost));
        if (ended || lost() > 0) new TraceLosses(per).write(dir);
        else Files.deleteIfExists(dir.resolve(TraceLosses.FILE));
    }

    private static TraceMetadata.BufferEntry entry(TraceMetadata m, int cpu, int id, String file) {
        for (TraceMetadata.BufferEntry b : m.buffers()) {
            if (b.cpu() == cpu && b.id() == id) return new TraceMetadata.BufferEntry(cpu, id, b.capacity(), b.mode(), b.next(), file);
        }
        return new TraceMetadata.BufferEntry(cpu, id, (int) Math.min(SEGMENT_BYTES, 1 << 30), BufferMode.DISCARD, -1, file);
    }

    String cpuList() { return String.valueOf(new TreeSet<>(cpus.keySet())); }
}
