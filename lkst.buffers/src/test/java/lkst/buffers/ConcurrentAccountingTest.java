package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import lkst.buffers.api.BufferInfo;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.component.Recording;
import lkst.buffers.record.BufferSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several writers on one CPU's buffers, under load: every record offered is counted once, and none is torn. */
class ConcurrentAccountingTest {
    static final int WRITERS = 4;
    static final int PER_WRITER = 200_000;

    @TempDir Path tmp;
    Recording rec;

    @AfterEach
    void close() {
        if (rec != null) rec.close();
    }

    /** Runs WRITERS threads recording TEST_SEQ on cpu 0; returns how many record() calls returned true. */
    long writeConcurrently(Runnable meanwhile) throws Exception {
        CyclicBarrier start = new CyclicBarrier(WRITERS + 1);
        AtomicLong accepted = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                try {
                    TestEvent e = new TestEvent();
                    start.await();
                    long ok = 0;
                    for (long s = 0; s < PER_WRITER; s++) if (rec.record(e.seq(0, writer, s))) ok++;
                    accepted.addAndGet(ok);
                } catch (Throwable x) {
                    failure.set(x);
                }
            });
            t.start();
            threads.add(t);
        }
        start.await();
        meanwhile.run();
        for (Thread t : threads) t.join();
        assertNull(failure.get());
        return accepted.get();
    }

    static void assertIntact(List<TraceRecord> records) {
        Map<Long, Long> lastSeq = new HashMap<>();
        for (TraceRecord r : records) {
            long writer = (Long) r.fields().get("writer");
            long seq = (Long) r.fields().get("seq");
            assertEquals(TestEvent.check((int) writer, seq), r.fields().get("check"), "torn record " + r);
            assertEquals(writer, r.tid());
            Long before = lastSeq.put(writer, seq);
            assertTrue(before == null || before < seq, "writer " + writer + " out of order: " + before + " then " + seq);
        }
    }

    long total(List<BufferInfo> list, boolean written) {
        return list.stream().mapToLong(b -> written ? b.written() : b.lost()).sum();
    }

    @Test
    void overwriteModeCountsEveryRecordOnceAndAReaderNeverSeesOneHalfWritten() throws Exception {
        rec = new Recording(new BufferSet(tmp, 1, 64 * 1024, BufferMode.OVERWRITE, List.of(TestEvent.SEQ)));
        long accepted = writeConcurrently(() -> {
            for (int i = 0; i < 50; i++) {
                List<TraceRecord> snapshot = rec.read(0, 0, 0);
                for (TraceRecord r : snapshot) {
                    assertEquals(TestEvent.check((int) (long) (Long) r.fields().get("writer"), (Long) r.fields().get("seq")), r.fields().get("check"));
                }
            }
        });
        BufferInfo b = rec.list().get(0);
        assertEquals((long) WRITERS * PER_WRITER, b.written() + b.lost());
        assertEquals(accepted, b.written());
        assertIntact(rec.read(0, 0, 0));
    }

    @Test
    void discardModeCountsEveryRecordOnceAndKeepsTheFirstOnes() throws Exception {
        rec = new Recording(new BufferSet(tmp, 1, 1 << 20, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        long accepted = writeConcurrently(() -> { });
        BufferInfo b = rec.list().get(0);
        assertEquals((long) WRITERS * PER_WRITER, b.written() + b.lost());
        assertEquals(accepted, b.written());
        assertTrue(b.lost() > 0, "the buffer should have filled");
        List<TraceRecord> all = rec.read(0, 0, 0);
        assertEquals(b.written(), all.size());
        assertIntact(all);
        Map<Long, Long> count = new HashMap<>();
        Map<Long, Long> max = new HashMap<>();
        for (TraceRecord r : all) {
            count.merge((Long) r.fields().get("writer"), 1L, Long::sum);
            max.merge((Long) r.fields().get("writer"), (Long) r.fields().get("seq"), Math::max);
        }
        count.forEach((w, n) -> assertEquals(n - 1, max.get(w), "writer " + w + " kept a prefix of its records"));
    }

    @Test
    void switchingAndChainingUnderLoadCountEveryRecordOnceOverAllBuffers() throws Exception {
        rec = new Recording(new BufferSet(tmp, 1, 16 * 1024, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
        rec.create(0, 1, 16 * 1024, BufferMode.OVERWRITE);
        rec.create(0, 2, 16 * 1024, BufferMode.OVERWRITE);
        rec.chain(0, 1, 2);
        rec.chain(0, 2, 1);
        long accepted = writeConcurrently(() -> {
            for (int i = 0; i < 20_000; i++) assertTrue(rec.switchTo(0, i % 3));
        });
        List<BufferInfo> list = rec.list();
        assertEquals((long) WRITERS * PER_WRITER, total(list, true) + total(list, false));
        assertEquals(accepted, total(list, true));
        for (BufferInfo b : list) assertIntact(rec.read(0, b.id(), 0));
    }
}
