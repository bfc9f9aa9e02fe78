package lkst.ship;

import static lkst.buffers.ring.BufferDescriptor.WRITTEN_OFFSET;
import static lkst.buffers.ring.RecordDescriptor.HEADER_LENGTH;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import lkst.buffers.ring.BufferHeader;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.files.TraceFormatException;
import lkst.buffers.trace.TraceReader;

/**
 * Follows one CPU's log segments ({@code cpuN-log-000001.lkst}, …) as the logger writes them, read-only: reads each
 * segment's records up to the position its header says is written, and moves on to the next segment once that one
 * exists (the logger finishes a segment before it starts the next). A segment the logger deleted (it keeps a bounded
 * number) before this follower mapped it is lost to the topic: counted, with its record count when a look at its header
 * saw it. A segment mapped before its deletion is read to its end (the mapping keeps it).
 */
final class CpuFollower {
    private final Path dir;
    final int cpu;
    int segment;
    long position;
    long seq;
    /** Records and segments lost because they were deleted before they were read. */
    long lostRecords;
    long lostSegments;
    private RecordCursor cursor;
    private ByteBuffer content;
    /** Records each later segment held when last seen, for the count of one that is deleted before it is read. */
    private final TreeMap<Integer, Long> seen = new TreeMap<>();

    CpuFollower(Path dir, int cpu, int segment, long position, long seq) {
        this.dir = dir;
        this.cpu = cpu;
        this.segment = Math.max(1, segment);
        this.position = position;
        this.seq = seq;
    }

    Path file(int n) { return dir.resolve(String.format("cpu%d-log-%06d%s", cpu, n, TraceReader.BUFFER_SUFFIX)); }

    /**
     * Reads records into {@code batch} (reset by the caller) until it holds {@code maxBytes} or the written end;
     * segments found lost meanwhile are added to {@code lost}. Returns whether anything was read or lost.
     */
    boolean read(RecordBatch batch, int maxBytes, List<Frame> lost, String host, String trace) {
        boolean progress = false;
        while (batch.bytes() < maxBytes) {
            if (cursor == null && !open(lost, host, trace)) break;
            cursor.refresh();
            boolean any = drain(batch, maxBytes);
            progress |= any;
            if (batch.bytes() >= maxBytes) break;
            if (!laterExists()) break;
            cursor.refresh(); // the logger finished this segment before it made the next: its header is final now
            progress |= drain(batch, maxBytes);
            if (batch.bytes() >= maxBytes) break;
            cursor = null;
            content = null;
            segment++;
            position = 0;
            progress = true;
        }
        batch.endSegment = segment;
        batch.endPosition = position;
        batch.endSeq = seq;
        return progress || batch.count > 0;
    }

    private boolean drain(RecordBatch batch, int maxBytes) {
        boolean any = false;
        while (batch.bytes() < maxBytes && cursor.next()) {
            ByteBuffer r = cursor.record();
            batch.add(cursor.buffer(), cursor.eventId(), cursor.timestamp(), cursor.pid(), cursor.tid(), r, HEADER_LENGTH, cursor.payloadLength());
            position = cursor.resume();
            seq++;
            any = true;
        }
        return any;
    }

    /** Maps the current segment; when it is gone and later ones exist, counts it lost and moves on. */
    private boolean open(List<Frame> lost, String host, String trace) {
        while (true) {
            Path f = file(segment);
            if (Files.exists(f)) {
                try {
                    ByteBuffer c = TraceReader.map(f);
                    BufferHeader h = BufferHeader.readCut(c, f.toString());
                    content = c;
                    cursor = new RecordCursor(c, h, position, RecordCursor.Torn.WAIT);
                    seen.headMap(segment, true).clear();
                    return true;
                } catch (TraceFormatException e) {
                    if (!Files.exists(f) && laterExists()) continue; // deleted meanwhile
                    return false; // being created: its header comes next
                }
            }
            if (!laterExists()) return false;
            Long known = seen.remove(segment);
            long n = known == null ? 0 : known;
            lostSegments++;
            lostRecords += n;
            lost.add(new Frame(Frame.Kind.LOST, host, trace, cpu, seq, n, java.nio.charset.StandardCharsets.UTF_8.encode(
                    "segment " + f.getFileName() + " was deleted by the logger (it keeps a bounded number) before it was shipped"
                            + (known == null ? "; its record count is not known" : ""))));
            seq += n;
            segment++;
            position = 0;
        }
    }

    /** Whether a later segment exists; notes how many records each later one holds (for the count of one deleted unread). */
    private boolean laterExists() {
        String prefix = "cpu" + cpu + "-log-";
        boolean any = false;
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.startsWith(prefix) || !name.endsWith(TraceReader.BUFFER_SUFFIX)) continue;
                int n;
                try {
                    n = Integer.parseInt(name.substring(prefix.length(), name.length() - TraceReader.BUFFER_SUFFIX.length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (n <= segment) continue;
                any = true;
                try (var ch = java.nio.channels.FileChannel.open(f)) {
                    ByteBuffer w = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    if (ch.read(w, WRITTEN_OFFSET) == 8) seen.put(n, w.getLong(0));
                } catch (java.io.IOException e) {
                    // deleted between the two looks: the next round sees it gone
                }
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return any;
    }

    /** Bytes of records written to this CPU's segments and not read yet (what the shipper is behind on disk). */
    long behind() {
        long b = 0;
        for (int n = segment; ; n++) {
            Path f = file(n);
            try (var ch = java.nio.channels.FileChannel.open(f)) {
                ByteBuffer w = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                if (ch.read(w, lkst.buffers.ring.BufferDescriptor.POSITION_OFFSET) == 8) b += w.getLong(0) - (n == segment ? position : 0);
            } catch (java.io.IOException e) {
                return b;
            }
        }
    }
}
