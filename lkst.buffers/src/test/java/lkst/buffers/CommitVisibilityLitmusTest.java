package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import lkst.api.Payload;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.ring.BufferHeader;
import lkst.buffers.ring.RecordBuffer;
import lkst.buffers.ring.RecordCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jcstress-style litmus test of claim/commit (plain JUnit: jcstress is not in the build). Two writers record
 * into one small overwrite buffer while a reader follows right behind them on the live mapping. Allowed outcomes
 * for each record the reader meets: not yet committed (it waits), or complete and consistent. Forbidden: a record
 * seen half-written, or one that a later lap overwrote while it was being copied.
 */
class CommitVisibilityLitmusTest {
    @TempDir Path tmp;

    @Test
    void aReaderAtTheTailSeesWholeRecordsOrNothing() throws Exception {
        BufferSet set = new BufferSet(tmp, 1, 256 * 1024, BufferMode.OVERWRITE, List.of(TestEvent.SEQ));
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                TestEvent e = new TestEvent();
                for (long s = 0; s < 3_000_000; s++) set.record(e.seq(0, writer, s));
            });
            writers.add(t);
        }
        RecordBuffer b = set.current(0);
        RecordCursor c = new RecordCursor(b.content(), BufferHeader.read(b.content(), "litmus"), 0, RecordCursor.Torn.WAIT);
        AtomicLong seen = new AtomicLong();
        long waited = 0;
        List<String> forbidden = new ArrayList<>();
        writers.forEach(Thread::start);
        try {
            boolean writing = true;
            while (writing && forbidden.size() < 10) {
                writing = writers.stream().anyMatch(Thread::isAlive); // then one more round: the rest
                c.refresh();
                while (c.next()) {
                    long writer = Payload.number(TestEvent.SEQ.fields(), c.record(), 32, 0);
                    long seq = Payload.number(TestEvent.SEQ.fields(), c.record(), 32, 1);
                    long check = Payload.number(TestEvent.SEQ.fields(), c.record(), 32, 2);
                    if (c.eventId() != TestEvent.SEQ.id() || c.payloadLength() != 20 || c.tid() != writer
                            || check != TestEvent.check((int) writer, seq)) {
                        forbidden.add("at " + c.position() + ": id " + c.eventId() + " writer " + writer + " seq " + seq + " check " + check);
                    }
                    seen.incrementAndGet();
                }
                if (c.pending()) waited++;
            }
        } finally {
            for (Thread t : writers) t.join();
            set.close();
        }
        assertEquals(List.of(), forbidden);
        assertTrue(seen.get() > 0, "the reader kept up with some records");
        System.out.printf("litmus: %d records read at the tail, %d times a record was still being written, %d bytes overwritten before read%n",
                seen.get(), waited, c.overwritten());
    }
}
