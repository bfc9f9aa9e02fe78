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

/**
 * Reads a trace directory written by another process, maybe on another machine: {@value TraceMetadata#FILE}
 * and every buffer file ({@code *.lkst}), merged in time order.
 */
public final class TraceReader {
    public static final String BUFFER_SUFFIX = ".lkst";

    /** One buffer file, mapped read-only, with its checked header. */
    public record Input(Path path, ByteBuffer content, BufferHeader header) {}

    private final Path dir;
    private final TraceMetadata metadata;
    private final List<Input> inputs;

    private TraceReader(Path dir, TraceMetadata metadata, List<Input> inputs) {
        this.dir = dir;
        this.metadata = metadata;
        this.inputs = inputs;
    }

    /** Opens {@code dir}; every problem (missing, empty, truncated, corrupt header) is a {@link TraceFormatException}. */
    public static TraceReader open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new TraceFormatException(dir.toString(), Files.exists(dir) ? "not a directory" : "no such directory");
        }
        TraceMetadata meta = TraceMetadata.read(dir);
        List<Input> inputs = new ArrayList<>();
        for (Path p : bufferFiles(dir)) {
            ByteBuffer content = map(p);
            BufferHeader h = BufferHeader.read(content, p.toString());
            if (h.cpu() >= meta.cpus()) {
                throw new TraceFormatException(p.toString(), lkst.buffers.ring.BufferDescriptor.CPU_OFFSET,
                        "cpu " + h.cpu() + " but the trace has " + meta.cpus() + " cpus");
            }
            inputs.add(new Input(p, content, h));
        }
        return new TraceReader(dir, meta, inputs);
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

    /** Every record, oldest first (merged over buffers by time); torn records are handled as {@code torn} says. */
    public void forEach(RecordCursor.Torn torn, Consumer<TraceRecord> sink) {
        RecordDecoder decoder = new RecordDecoder(metadata.events());
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong((Head h) -> h.record.time()));
        for (Input in : inputs) {
            Head h = new Head(new RecordCursor(in.content(), in.header(), -1, torn), in.header(), decoder);
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
        TraceRecord record;

        Head(RecordCursor cursor, BufferHeader header, RecordDecoder decoder) {
            this.cursor = cursor;
            this.header = header;
            this.decoder = decoder;
        }

        boolean advance() {
            if (!cursor.next()) return false;
            record = decoder.decode(cursor, header.cpu(), header.id(), cursor.offset());
            return true;
        }
    }
}
