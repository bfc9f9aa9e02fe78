package lkst.buffers.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.files.IoErrors;
import lkst.buffers.files.TraceFormatException;
import lkst.buffers.ring.BufferHeader;
import lkst.buffers.ring.RecordCursor;

/**
 * Reads a trace directory written by another process, maybe on another machine: {@value TraceMetadata#FILE}
 * and every buffer file ({@code *.lkst}), merged in time order.
 *
 * <p>A damaged trace is read as far as it goes, each file on its own: a buffer file that cannot be read, or a
 * record that cannot, stops only that file (the records of every other file are read); a file cut short yields
 * the records before the cut; a truncated {@code trace.meta} still describes the events before the cut. Each
 * problem is one line in {@link #damage()}; only a directory without readable metadata is an error of
 * {@link #open}.
 */
public final class TraceReader {
    public static final String BUFFER_SUFFIX = ".lkst";

    /** One buffer file, mapped read-only, with its checked header. */
    public record Input(Path path, ByteBuffer content, BufferHeader header) {}

    private final Path dir;
    private final TraceMetadata metadata;
    private final List<Input> inputs;
    private final TraceDamage damage;

    private TraceReader(Path dir, TraceMetadata metadata, List<Input> inputs, TraceDamage damage) {
        this.dir = dir;
        this.metadata = metadata;
        this.inputs = inputs;
        this.damage = damage;
    }

    /**
     * Opens {@code dir}. No directory, or no readable {@code trace.meta}, is a {@link TraceFormatException}; a
     * buffer file that cannot be read is left out and named in {@link #damage()}, as is one cut short (its
     * records before the cut are read).
     */
    public static TraceReader open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new TraceFormatException(dir.toString(), Files.exists(dir) ? "not a directory" : "no such directory");
        }
        TraceDamage damage = new TraceDamage();
        TraceMetadata meta = TraceMetadata.read(dir, damage);
        List<Input> inputs = new ArrayList<>();
        for (Path p : bufferFiles(dir)) {
            try {
                ByteBuffer content = map(p);
                BufferHeader h = BufferHeader.readCut(content, p.toString());
                if (h.cpu() >= meta.cpus()) {
                    throw new TraceFormatException(p.toString(), lkst.buffers.ring.BufferDescriptor.CPU_OFFSET,
                            "cpu " + h.cpu() + " but the trace has " + meta.cpus() + " cpus");
                }
                long missing = h.missing(content.capacity());
                if (missing > 0) {
                    damage.add(new TraceFormatException(p.toString(), content.capacity(), "truncated: " + content.capacity()
                            + " bytes, its records need " + h.contentEnd() + " (the records before the cut are read)"));
                }
                inputs.add(new Input(p, content, h));
            } catch (TraceFormatException e) {
                damage.add(e);
            }
        }
        return new TraceReader(dir, meta, inputs, damage);
    }

    /** What could not be read so far: grows as {@link #forEach} reads records. */
    public TraceDamage damage() { return damage; }

    /**
     * The losses {@code trace.lost} records, or null when it is absent or damaged (then a warning in
     * {@link #damage()}: the records are read all the same).
     */
    public TraceLosses losses() {
        try {
            return TraceLosses.read(dir);
        } catch (TraceFormatException | java.io.UncheckedIOException e) {
            damage.warn(e.getMessage() + "; events lost while logging are not known");
            return null;
        }
    }

    public static List<Path> bufferFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(BUFFER_SUFFIX) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new TraceFormatException(dir.toString(), "cannot list: " + IoErrors.text(e));
        }
    }

    /** True when {@code dir} has no entries. */
    public static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    public static ByteBuffer map(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) throw new TraceFormatException(p.toString(), Integer.MAX_VALUE, "file larger than 2 GiB, not a buffer file");
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new TraceFormatException(p.toString(), "cannot read: " + IoErrors.text(e));
        }
    }

    public Path dir() { return dir; }
    public TraceMetadata metadata() { return metadata; }
    public List<Input> inputs() { return inputs; }

    /**
     * Every record, oldest first (merged over buffers by time); torn records are handled as {@code torn} says. With
     * FAIL, a torn or corrupt record ends the reading of its file (named in {@link #damage()}), not of the others.
     */
    public void forEach(RecordCursor.Torn torn, Consumer<TraceRecord> sink) {
        RecordDecoder decoder = new RecordDecoder(metadata.events());
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong((Head h) -> h.record.time()));
        for (Input in : inputs) {
            Head h = new Head(new RecordCursor(in.content(), in.header(), -1, torn), in.header(), decoder, damage);
            if (h.advance()) heads.add(h);
        }
        while (!heads.isEmpty()) {
            Head h = heads.poll();
            sink.accept(h.record);
            if (h.advance()) heads.add(h);
        }
    }

    private static final class Head {
        final RecordCursor cursor;
        final BufferHeader header;
        final RecordDecoder decoder;
        final TraceDamage damage;
        TraceRecord record;

        Head(RecordCursor cursor, BufferHeader header, RecordDecoder decoder, TraceDamage damage) {
            this.cursor = cursor;
            this.header = header;
            this.decoder = decoder;
            this.damage = damage;
        }

        /** The next record of this file; false at its end or at a record that cannot be read (then damaged). */
        boolean advance() {
            try {
                while (cursor.next()) {
                    if (decoder.type(cursor.eventId()) == null) {
                        damage.undescribed(cursor.eventId(), cursor.file(), cursor.offset());
                        continue;
                    }
                    record = decoder.decode(cursor, header.cpu(), header.id(), cursor.offset());
                    return true;
                }
                return false;
            } catch (TraceFormatException e) {
                damage.add(e);
                return false;
            }
        }
    }
}
