package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import lkst.buffers.api.BufferInfo;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.component.Recording;
import lkst.buffers.record.BufferSet;
import lkst.buffers.trace.TraceMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several buffers per CPU: create, switch, chain (LKST 1.4), modes, delete. */
class ChainingTest {
    @TempDir Path tmp;
    Recording rec;
    final TestEvent e = new TestEvent();

    @BeforeEach
    void open() {
        rec = new Recording(new BufferSet(tmp, 2, 4096, BufferMode.DISCARD, List.of(TestEvent.SEQ)));
    }

    @AfterEach
    void close() {
        rec.close();
    }

    BufferInfo info(int cpu, int id) {
        return rec.list().stream().filter(b -> b.cpu() == cpu && b.id() == id).findFirst().orElseThrow();
    }

    List<Long> seqs(int cpu, int id) {
        return rec.read(cpu, id, 0).stream().map(r -> (Long) r.fields().get("seq")).toList();
    }

    @Test
    void createMakesTheBufferOnEveryCpuWithTheLowestFreeId() {
        List<BufferInfo> made = rec.create(-1, -1, 8192, BufferMode.OVERWRITE);
        assertEquals(2, made.size());
        assertEquals(1, made.get(0).id());
        assertEquals(8192, made.get(0).size());
        assertFalse(made.get(0).current());
        assertEquals(4, rec.list().size());
        assertTrue(TraceMetadata.read(rec.directory()).buffers().stream().anyMatch(b -> b.cpu() == 1 && b.id() == 1 && b.mode() == BufferMode.OVERWRITE));
    }

    @Test
    void aSwitchSendsTheFollowingRecordsToTheNewBuffer() {
        rec.create(0, 3, 4096, BufferMode.DISCARD);
        rec.record(e.seq(0, 0, 1));
        assertTrue(rec.switchTo(0, 3));
        rec.record(e.seq(0, 0, 2));
        assertEquals(List.of(1L), seqs(0, 0));
        assertEquals(List.of(2L), seqs(0, 3));
        assertTrue(info(0, 3).current());
        assertFalse(info(0, 0).current());
        assertTrue(info(1, 0).current(), "the other cpu keeps its buffer");
    }

    @Test
    void switchToAnUnknownBufferIsRefusedCheaply() {
        assertFalse(rec.switchTo(0, 7));
        assertFalse(rec.switchTo(9, 0));
        assertFalse(rec.switchTo(0, -1));
        assertTrue(info(0, 0).current());
    }

    @Test
    void aFullBufferHandsOverToItsNext() {
        rec.create(0, 1, 4096, BufferMode.DISCARD);
        rec.chain(0, 0, 1);
        int offered = 100; // 56 bytes each: a 4 KiB buffer holds 73
        for (int i = 0; i < offered; i++) assertTrue(rec.record(e.seq(0, 0, i)), "record " + i);
        BufferInfo first = info(0, 0);
        BufferInfo second = info(0, 1);
        assertEquals(0, first.lost());
        assertEquals(offered, first.written() + second.written());
        assertTrue(second.current(), "writing moved on to the next buffer");
        List<Long> all = new java.util.ArrayList<>(seqs(0, 0));
        all.addAll(seqs(0, 1));
        assertEquals(java.util.stream.LongStream.range(0, offered).boxed().toList(), all);
    }

    @Test
    void aDiscardChainRefusesOnlyWhenEveryBufferIsFull() {
        rec.create(0, 1, 4096, BufferMode.DISCARD);
        rec.chain(0, 0, 1);
        rec.chain(0, 1, 0); // a ring
        int offered = 1000;
        int ok = 0;
        for (int i = 0; i < offered; i++) if (rec.record(e.seq(0, 0, i))) ok++;
        long written = info(0, 0).written() + info(0, 1).written();
        long lost = info(0, 0).lost() + info(0, 1).lost();
        assertEquals(ok, written);
        assertEquals(offered, written + lost);
        assertEquals(2 * (4096 / 56), written, "both buffers filled");
    }

    @Test
    void anOverwriteRingOfBuffersKeepsTheNewestInTheBufferWrittenLast() {
        rec.create(0, 1, 4096, BufferMode.OVERWRITE);
        rec.create(0, 2, 4096, BufferMode.OVERWRITE);
        rec.chain(0, 1, 2);
        rec.chain(0, 2, 1);
        rec.switchTo(0, 1);
        for (int i = 0; i < 1000; i++) assertTrue(rec.record(e.seq(0, 0, i)));
        assertEquals(1000, info(0, 1).written() + info(0, 2).written());
        List<Long> one = seqs(0, 1);
        List<Long> two = seqs(0, 2);
        List<Long> newest = info(0, 1).current() ? one : two;
        List<Long> older = info(0, 1).current() ? two : one;
        assertEquals(999L, newest.get(newest.size() - 1));
        assertEquals(newest.get(0) - 1, older.get(older.size() - 1), "the ring hands over without a gap");
        for (List<Long> l : List.of(one, two)) {
            for (int i = 1; i < l.size(); i++) assertEquals(l.get(i - 1) + 1, l.get(i));
        }
    }

    @Test
    void aBufferWithoutNextInOverwriteModeWrapsInsteadOfHandingOver() {
        rec.mode(0, 0, BufferMode.OVERWRITE);
        for (int i = 0; i < 1000; i++) assertTrue(rec.record(e.seq(0, 0, i)));
        assertEquals(1000, info(0, 0).written());
        assertEquals(999L, seqs(0, 0).get(seqs(0, 0).size() - 1));
    }

    @Test
    void theCurrentBufferAndOneThatIsANextCannotBeDeleted() {
        rec.create(0, 1, 4096, BufferMode.DISCARD);
        rec.chain(0, 0, 1);
        IllegalArgumentException current = assertThrows(IllegalArgumentException.class, () -> rec.delete(0, 0));
        assertTrue(current.getMessage().contains("current"), current.getMessage());
        IllegalArgumentException next = assertThrows(IllegalArgumentException.class, () -> rec.delete(0, 1));
        assertTrue(next.getMessage().contains("unchain"), next.getMessage());
        rec.chain(0, 0, -1);
        rec.delete(0, 1);
        assertEquals(2, rec.list().size());
        assertFalse(rec.directory().resolve(BufferSet.fileName(0, 1)).toFile().exists());
    }

    @Test
    void badRequestsChangeNothing() {
        assertThrows(IllegalArgumentException.class, () -> rec.create(0, 0, 4096, BufferMode.DISCARD));
        assertThrows(IllegalArgumentException.class, () -> rec.create(5, 1, 4096, BufferMode.DISCARD));
        assertThrows(IllegalArgumentException.class, () -> rec.create(0, 1, 0, BufferMode.DISCARD));
        assertThrows(IllegalArgumentException.class, () -> rec.chain(0, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> rec.select(0, 4));
        assertEquals(2, rec.list().size());
        assertEquals(-1, info(0, 0).next());
    }

    @Test
    void aTraceWithSeveralBuffersPerCpuPrintsAllOfThem() {
        rec.create(-1, 1, 4096, BufferMode.DISCARD);
        rec.record(e.seq(0, 0, 1).time(1));
        rec.select(-1, 1);
        rec.record(e.seq(0, 0, 2).time(2));
        rec.record(e.seq(1, 0, 3).time(3));
        rec.close();
        Tool t = Tool.run("print", rec.directory().toString());
        assertEquals(3, t.out().size(), t.err().toString());
        List<TraceRecord> read = rec.read(-1, -1, 0);
        assertEquals(List.of(0, 1, 1), read.stream().map(TraceRecord::buffer).toList());
    }
}
