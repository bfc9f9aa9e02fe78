package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import lkst.api.Batch;
import lkst.buffers.api.BufferInfo;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.LogStatus;
import lkst.buffers.record.BufferSet;
import lkst.buffers.record.Recording;
import lkst.buffers.ring.RecordBuffer;
import lkst.buffers.trace.BufferHeader;
import lkst.buffers.trace.RecordCursor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events that come in a {@link Batch} (a kernel reader's page) are written through a lane: a block of the CPU's
 * buffer claimed once, records written into it without atomics, counted when the batch ends. Readers must see
 * exactly what the shared path would give them.
 */
class LaneTest {
    static final int RECORD = 56; // align(32-byte header + 20-byte TEST_SEQ payload)

    @TempDir Path tmp;
    Recording rec;

    @AfterEach
    void close() {
        if (rec != null) rec.close();
    }

    BufferSet set(long size, BufferMode mode) {
        BufferSet s = new BufferSet(tmp.resolve("trace"), 1, size, mode, List.of(TestEvent.SEQ));
        rec = new Recording(s);
        return s;
    }

    /** The seq fields of the committed records of {@code b} in buffer order; fails on a torn record. */
    static List<Long> seqs(RecordBuffer b, RecordCursor.Torn torn) {
        var content = b.content();
        RecordCursor c = new RecordCursor(content, BufferHeader.read(content, b.file().toString()), -1, torn);
        List<Long> out = new ArrayList<>();
        while (c.next()) out.add(c.record().getLong(32 + 4));
        return out;
    }

    static List<Long> range(long from, long to) { return LongStream.range(from, to).boxed().toList(); }

    @Test
    void aBatchsRecordsAreCountedWhenItEndsAndItsUnusedRestGoesBackToTheBuffer() {
        BufferSet s = set(64 * 1024, BufferMode.DISCARD);
        Batch batch = new Batch();
        TestEvent e = new TestEvent().in(batch);
        for (int i = 0; i < 100; i++) assertTrue(rec.record(e.seq(0, 7, i)));
        batch.end();
        RecordBuffer b = s.current(0);
        assertEquals(100, b.written());
        assertEquals(0, b.lost());
        assertEquals(range(0, 100), seqs(b, RecordCursor.Torn.FAIL));
        // 100 records of 56 bytes; a record that would leave 8 bytes at a block's end takes them as slack
        assertTrue(b.lvPosition() >= 100 * RECORD && b.lvPosition() <= 100 * RECORD + 8 * 2,
                "nothing but slack between the records: position " + b.lvPosition());
        batch.end(); // a second end is harmless
        assertEquals(100, b.written());
    }

    @Test
    void aReaderWaitsAtTheOpenRestOfABlockAndGoesOnOnceTheBatchEnds() {
        BufferSet s = set(64 * 1024, BufferMode.DISCARD);
        RecordBuffer b = s.current(0);
        Batch batch = new Batch();
        TestEvent e = new TestEvent().in(batch);
        for (int i = 0; i < 3; i++) rec.record(e.seq(0, 7, i));
        var content = b.content();
        RecordCursor c = new RecordCursor(content, BufferHeader.read(content, "buffer"), -1, RecordCursor.Torn.WAIT);
        List<Long> seen = new ArrayList<>();
        while (c.next()) seen.add(c.record().getLong(36));
        assertEquals(range(0, 3), seen, "each record is committed as it is written");
        assertTrue(c.pending(), "the reader waits at the rest of the block, as at a record being written");
        batch.end();
        c.refresh();
        assertFalse(c.next());
        assertFalse(c.pending(), "the block's rest went back to the buffer: nothing to wait for");
        rec.record(new TestEvent().seq(0, 8, 3)); // then a record the shared way lands right after
        c.refresh();
        assertTrue(c.next());
        assertEquals(3, c.record().getLong(36));
        assertEquals(3 * RECORD, c.position());
    }

    @Test
    void aRecordClaimedBehindTheBlockTurnsTheBlocksRestIntoPadding() {
        BufferSet s = set(64 * 1024, BufferMode.OVERWRITE);
        Batch batch = new Batch();
        TestEvent batched = new TestEvent().in(batch);
        TestEvent shared = new TestEvent();
        rec.record(batched.seq(0, 1, 0));
        rec.record(batched.seq(0, 1, 1));
        rec.record(shared.seq(0, 2, 2)); // claimed after the block: the block cannot give its rest back
        rec.record(batched.seq(0, 1, 3));
        batch.end();
        RecordBuffer b = s.current(0);
        assertEquals(4, b.written());
        assertEquals(List.of(0L, 1L, 3L, 2L), seqs(b, RecordCursor.Torn.FAIL), "block first, then the record behind it");
        assertEquals(4096 + RECORD, b.lvPosition());
    }

    @Test
    void switchingTheCpusBufferInTheMiddleOfABatchSendsTheRestToTheNewBuffer() {
        BufferSet s = set(64 * 1024, BufferMode.DISCARD);
        s.create(0, 1, 64 * 1024, BufferMode.DISCARD);
        Batch batch = new Batch();
        TestEvent e = new TestEvent().in(batch);
        for (int i = 0; i < 3; i++) rec.record(e.seq(0, 7, i));
        assertTrue(s.switchTo(0, 1));
        for (int i = 3; i < 5; i++) rec.record(e.seq(0, 7, i));
        batch.end();
        assertEquals(range(0, 3), seqs(s.buffer(0, 0), RecordCursor.Torn.FAIL));
        assertEquals(range(3, 5), seqs(s.buffer(0, 1), RecordCursor.Torn.FAIL));
        assertEquals(3, s.buffer(0, 0).written());
        assertEquals(2, s.buffer(0, 1).written());
        assertEquals(3 * RECORD, s.buffer(0, 0).lvPosition(), "the old buffer's block was closed when the CPU moved on");
    }

    @Test
    void overwriteModeGoesRoundLapAfterLapThroughBlocksAndKeepsTheNewestRecords() {
        for (long size : new long[] {16 * 1024, 256 * 1024}) { // one page; four pages of 64 KiB
            BufferSet s = new BufferSet(tmp.resolve("trace-" + size), 1, size, BufferMode.OVERWRITE, List.of(TestEvent.SEQ));
            Batch batch = new Batch();
            TestEvent e = new TestEvent().in(batch);
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                assertTrue(s.record(e.seq(0, 7, i)), "record " + i);
                if (i % 37 == 36) batch.end();
            }
            batch.end();
            RecordBuffer b = s.current(0);
            assertEquals(n, b.written());
            assertEquals(0, b.lost());
            List<Long> kept = seqs(b, RecordCursor.Torn.FAIL);
            // a reader starts at the oldest whole page still there: in a one-page buffer, the current lap's
            long pages = size / (64 * 1024);
            long least = pages <= 1 ? 1 : (pages - 1) * 64 * 1024 / (RECORD + 8);
            assertTrue(kept.size() >= least, size + ": kept " + kept.size());
            assertEquals(range(n - kept.size(), n), kept, size + ": the newest records, in order, none torn");
            s.close();
        }
    }

    @Test
    void theLoggerDrainsWhatLanesWriteAndDiscardBuffersLoseNothingWhileItKeepsUp() throws Exception {
        set(4096, BufferMode.DISCARD);
        rec.logStart(tmp.resolve("log"), 1 << 20, 4);
        Batch batch = new Batch();
        TestEvent e = new TestEvent().in(batch);
        int offered = 20_000;
        int ok = 0;
        for (int i = 0; i < offered; i++) {
            if (i % 10 == 0) {
                batch.end();
                while (rec.list().get(0).used() > 2048) Thread.onSpinWait(); // a writer no faster than the logger
            }
            if (rec.record(e.seq(0, 0, i))) ok++;
        }
        batch.end();
        LogStatus st = rec.logStop();
        BufferInfo info = rec.list().get(0);
        assertEquals(offered, ok);
        assertEquals(offered, info.written());
        assertEquals(0, info.lost());
        assertEquals(offered, st.records());
        assertEquals(0, st.torn());
        assertEquals(range(0, offered), LoggerTest.seqs(tmp.resolve("log")));
    }
}
