package lkst.buffers.recover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.files.IoErrors;
import lkst.buffers.files.TraceFiles;
import lkst.buffers.files.TraceFormatException;
import lkst.buffers.ring.BufferHeader;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.RecordDecoder;
import lkst.buffers.trace.SegmentWriter;
import lkst.buffers.trace.KernelFolder;
import lkst.buffers.trace.TraceDirectory;
import lkst.buffers.trace.TraceMetadata;
import lkst.buffers.trace.TraceReader;

/**
 * LKST's crash-dump extraction, done the way lttng-crash does it: the buffer files of a process that died
 * mid-recording are still on disk (the page cache keeps a killed process's writes to a mapped file), so every
 * committed record is there. Recovery walks each buffer's last lap, keeps the records that are committed and
 * decode with the trace's catalog, skips and counts the torn ones (a writer was in the middle of them), and writes
 * them into a normal trace directory.
 */
public final class Recovery {
    private Recovery() {}

    /** What was recovered on one CPU. */
    public record CpuReport(int cpu, long records, long torn, long first, long last, long written, long lost) {
        public String text() {
            return "cpu " + cpu + ": " + records + " records" + (torn > 0 ? ", " + torn + " torn skipped" : "")
                    + (records > 0 ? ", " + TraceRecord.seconds(first) + " .. " + TraceRecord.seconds(last)
                    + " (" + TraceRecord.seconds(last - first) + " s)" : "")
                    + "; the buffers counted " + written + " written, " + lost + " lost";
        }
    }

    /** @param damage what could not be read (one line each: a damaged file, records trace.meta does not describe) */
    public record Report(Path from, Path to, List<CpuReport> cpus, List<String> damage) {
        public long records() { return cpus.stream().mapToLong(CpuReport::records).sum(); }

        public long torn() { return cpus.stream().mapToLong(CpuReport::torn).sum(); }

        public List<String> lines() {
            List<String> l = new ArrayList<>();
            l.add("recovered " + records() + " records" + (torn() > 0 ? " (" + torn() + " torn records skipped)" : "") + " from " + from + " into " + to);
            for (CpuReport c : cpus) l.add(c.text());
            return l;
        }
    }

    /**
     * The IDs of the buffers whose records {@code input} holds: as {@code trace.meta} lists them for its file (a log
     * segment may hold several), else the ID in its header.
     */
    public static SortedSet<Integer> buffersOf(TraceMetadata meta, TraceReader.Input input) {
        String name = input.path().getFileName().toString();
        SortedSet<Integer> ids = new TreeSet<>();
        for (TraceMetadata.BufferEntry b : meta.buffers()) if (b.file().equals(name) && b.cpu() == input.header().cpu()) ids.add(b.id());
        if (ids.isEmpty()) ids.add(input.header().id());
        return ids;
    }

    /** The default output directory: {@code DIR.recovered} next to {@code DIR}. */
    public static Path defaultOutput(Path in) {
        return TraceDirectory.sibling(in, TraceDirectory.RECOVERED);
    }

    /**
     * Recovers {@code in} into {@code out} (created; it must not exist or be an empty directory).
     *
     * @throws TraceFormatException when {@code in} is not a trace directory or {@code out} cannot take the result
     */
    public static Report recover(Path in, Path out) {
        TraceReader reader = TraceReader.open(in);
        try {
            if (Files.exists(out.resolve(TraceMetadata.FILE))) {
                throw new TraceFormatException(out.toString(), "already holds a trace: choose another output directory");
            }
            if (Files.exists(out) && (!Files.isDirectory(out) || !TraceReader.isEmpty(out))) {
                throw new TraceFormatException(out.toString(), "exists and is not an empty directory: choose another output directory");
            }
            TraceFiles.privateDirectory(out);
        } catch (IOException e) {
            throw new TraceFormatException(out.toString(), "cannot create: " + IoErrors.text(e));
        }
        return recover(reader, out);
    }

    /** Recovers the trace {@code reader} reads into the directory {@code out}, which exists and is empty. */
    public static Report recover(TraceReader reader, Path out) {
        Path in = reader.dir();
        TraceMetadata meta = reader.metadata();
        RecordDecoder decoder = new RecordDecoder(meta.events());
        Map<Integer, long[]> perCpu = new TreeMap<>(); // records, torn, first, last, written, lost
        List<TraceMetadata.BufferEntry> entries = new ArrayList<>();
        for (TraceReader.Input input : reader.inputs()) {
            BufferHeader h = input.header();
            long[] s = perCpu.computeIfAbsent(h.cpu(), k -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0});
            s[4] += h.written();
            s[5] += h.lost();
            RecordCursor c = new RecordCursor(input.content(), h, -1, RecordCursor.Torn.SKIP);
            String name = input.path().getFileName().toString();
            String prefix = name.substring(0, name.length() - TraceReader.BUFFER_SUFFIX.length());
            SegmentWriter w = new SegmentWriter(out, h.cpu(), prefix, h.capacity(), 0);
            long corrupt = 0;
            while (c.next()) {
                if (decoder.type(c.eventId()) == null) { // not torn: committed, but trace.meta does not describe it
                    reader.damage().undescribed(c.eventId(), c.file(), c.offset());
                    continue;
                }
                try {
                    decoder.decode(c, h.cpu(), h.id(), c.offset()); // a record that does not decode is not kept
                } catch (TraceFormatException e) {
                    corrupt++;
                    continue;
                }
                w.append(c);
                s[0]++;
                s[2] = Math.min(s[2], c.timestamp());
                s[3] = Math.max(s[3], c.timestamp());
            }
            w.close();
            s[1] += c.torn() + corrupt;
            for (Path f : w.files()) {
                for (int id : buffersOf(meta, input)) {
                    entries.add(new TraceMetadata.BufferEntry(h.cpu(), id, h.capacity(), h.mode(), -1, f.getFileName().toString()));
                }
            }
        }
        try {
            TraceFiles.writeAtomically(out.resolve(TraceMetadata.FILE),
                    new TraceMetadata(meta.version(), meta.clock(), meta.realtimeOffset(), meta.cpus(), entries, meta.events()).encode());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(TraceMetadata.FILE) + ": " + IoErrors.text(e), e);
        }
        KernelFolder.copy(in, out);
        List<CpuReport> cpus = new ArrayList<>();
        perCpu.forEach((cpu, s) -> cpus.add(new CpuReport(cpu, s[0], s[1], s[0] > 0 ? s[2] : 0, s[0] > 0 ? s[3] : 0, s[4], s[5])));
        return new Report(in, out, cpus, reader.damage().problems());
    }
}
