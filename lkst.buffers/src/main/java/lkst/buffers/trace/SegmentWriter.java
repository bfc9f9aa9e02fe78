package lkst.buffers.trace;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import lkst.buffers.api.BufferMode;
import lkst.buffers.ring.RecordBuffer;
import lkst.buffers.ring.RecordDescriptor;

/**
 * Writes the records of one CPU into a series of buffer files ({@code PREFIX-SEQ.lkst}, discard mode), opening
 * the next file when one is full and deleting the oldest beyond {@code keep}. The logger and recovery write
 * through it, so what they write is a trace directory that {@code print} reads.
 */
public final class SegmentWriter {
    private final Path dir;
    private final int cpu;
    private final String prefix;
    private final long fileSize;
    private final int keep;
    private final ArrayDeque<RecordBuffer> kept = new ArrayDeque<>();
    private int seq;
    private RecordBuffer file;
    private long records;
    private long bytes;

    /** @param keep how many files to keep, or 0 for all */
    public SegmentWriter(Path dir, int cpu, String prefix, long fileSize, int keep) {
        this.dir = dir;
        this.cpu = cpu;
        this.prefix = prefix;
        this.fileSize = fileSize;
        this.keep = keep;
    }

    /** Copies the cursor's current record. */
    public void append(RecordCursor c) {
        int length = c.payloadLength();
        int size = RecordDescriptor.align(RecordDescriptor.HEADER_LENGTH + length);
        for (int attempt = 0; ; attempt++) {
            if (file == null) roll();
            long p = size <= file.page() ? file.claim(size) : RecordBuffer.FULL;
            if (p >= 0) {
                file.commit(p, size, c.eventId(), c.timestamp(), c.pid(), c.tid(), c.record(), RecordDescriptor.HEADER_LENGTH, length);
                records++;
                bytes += size;
                return;
            }
            if (attempt > 0) throw new IllegalStateException("a record of " + size + " bytes does not fit an empty file of " + fileSize);
            file.force();
            file = null;
        }
    }

    private void roll() {
        seq++;
        file = RecordBuffer.create(dir.resolve(String.format("%s-%06d%s", prefix, seq, TraceReader.BUFFER_SUFFIX)),
                cpu, seq, fileSize, BufferMode.DISCARD, -1);
        kept.add(file);
        while (keep > 0 && kept.size() > keep) kept.removeFirst().delete();
    }

    public void force() {
        if (file != null) file.force();
    }

    public long records() { return records; }

    public long bytes() { return bytes; }

    public List<Path> files() { return kept.stream().map(RecordBuffer::file).toList(); }
}
