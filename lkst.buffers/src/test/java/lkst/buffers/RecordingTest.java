package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import lkst.buffers.api.BufferInfo;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.component.Recording;
import lkst.buffers.record.BufferSet;
import lkst.buffers.trace.TraceMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingTest {
    @TempDir Path tmp;
    Recording rec;

    Recording open(int cpus, long size, BufferMode mode) {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), cpus, size, mode, List.of(TestEvent.SEQ)));
        return rec;
    }

    @AfterEach
    void close() {
        if (rec != null) rec.close();
    }

    @Test
    void recordedEventsReadBackAsDataWithTheirFields() {
        open(2, 64 * 1024, BufferMode.OVERWRITE);
        TestEvent e = new TestEvent();
        assertTrue(rec.record(e.named(1, 5_000_000_123L, 7, "hello")));
        assertTrue(rec.record(e.seq(0, 3, 99).time(4_000_000_000L)));
        List<TraceRecord> all = rec.read(-1, -1, 0);
        assertEquals(2, all.size());
        TraceRecord first = all.get(0);
        assertEquals("TEST_SEQ", first.event());
        assertEquals(0, first.cpu());
        assertEquals(3L, first.fields().get("writer"));
        assertEquals(99L, first.fields().get("seq"));
        TraceRecord second = all.get(1);
        assertEquals("5.000000123 [1] 42/7 TEST_NAMED n=7 name=hello", second.text());
        rec.record(e.named(0, 6_000_000_000L, 8, "C1 CompilerThre"));
        rec.record(e.named(0, 7_000_000_000L, 9, ""));
        List<TraceRecord> quoted = rec.read(0, -1, 2);
        assertEquals("6.000000000 [0] 42/8 TEST_NAMED n=8 name=\"C1 CompilerThre\"", quoted.get(0).text());
        assertEquals("7.000000000 [0] 42/9 TEST_NAMED n=9 name=\"\"", quoted.get(1).text());
        assertEquals("{\"time\":5000000123,\"cpu\":1,\"buffer\":0,\"pid\":42,\"tid\":7,\"event\":\"TEST_NAMED\",\"fields\":{\"n\":7,\"name\":\"hello\"}}",
                second.json());
    }

    @Test
    void eachCpuHasOneCurrentBufferAndCountsWhatItWrote() {
        open(2, 64 * 1024, BufferMode.OVERWRITE);
        TestEvent e = new TestEvent();
        for (int i = 0; i < 5; i++) rec.record(e.seq(1, 0, i));
        List<BufferInfo> list = rec.list();
        assertEquals(2, list.size());
        BufferInfo cpu1 = list.get(1);
        assertEquals(1, cpu1.cpu());
        assertEquals(0, cpu1.id());
        assertTrue(cpu1.current());
        assertEquals(5, cpu1.written());
        assertEquals(0, cpu1.lost());
        assertEquals(5 * 56, cpu1.used());
        assertEquals(0, list.get(0).written());
    }

    @Test
    void aNewEventTypeIsInTheMetadataBeforeItsRecord() throws Exception {
        open(1, 4096, BufferMode.OVERWRITE);
        assertTrue(TraceMetadata.read(rec.directory()).events().stream().noneMatch(t -> t.name().equals("TEST_NAMED")));
        rec.record(new TestEvent().named(0, 1, 1, "x"));
        TraceMetadata m = TraceMetadata.read(rec.directory());
        assertEquals(TestEvent.NAMED, m.events().stream().filter(t -> t.id() == 1002).findFirst().orElseThrow());
        assertEquals("mono", m.clock());
        assertEquals(1, m.cpus());
    }

    @Test
    void traceFilesArePrivateToTheirOwner() throws Exception {
        open(1, 4096, BufferMode.OVERWRITE);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rec.directory())));
        for (Path p : Files.list(rec.directory()).toList()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
    }

    @Test
    void overwriteModeKeepsTheNewestRecords() {
        open(1, 4096, BufferMode.OVERWRITE);
        TestEvent e = new TestEvent();
        for (int i = 0; i < 1000; i++) assertTrue(rec.record(e.seq(0, 0, i)));
        List<TraceRecord> all = rec.read(0, 0, 0);
        assertFalse(all.isEmpty());
        assertTrue(all.size() < 1000);
        assertEquals(999L, all.get(all.size() - 1).fields().get("seq"));
        for (int i = 1; i < all.size(); i++) {
            assertEquals((long) all.get(i - 1).fields().get("seq") + 1, all.get(i).fields().get("seq"));
        }
        assertEquals(1000, rec.list().get(0).written());
        assertEquals(0, rec.list().get(0).lost());
    }

    @Test
    void discardModeRefusesWhenFullAndCountsTheLoss() {
        open(1, 4096, BufferMode.DISCARD);
        TestEvent e = new TestEvent();
        int ok = 0;
        for (int i = 0; i < 1000; i++) if (rec.record(e.seq(0, 0, i))) ok++;
        BufferInfo b = rec.list().get(0);
        assertEquals(ok, b.written());
        assertEquals(1000 - ok, b.lost());
        List<TraceRecord> all = rec.read(0, 0, 0);
        assertEquals(ok, all.size());
        assertEquals(0L, all.get(0).fields().get("seq"));
    }

    @Test
    void aRecordLargerThanAPageIsLostNotSplit() {
        open(1, 4096, BufferMode.OVERWRITE);
        assertFalse(rec.record(new TestEvent().sized(0, 4096)));
        assertEquals(1, rec.list().get(0).lost());
        assertEquals(0, rec.read(-1, -1, 0).size());
    }

    @Test
    void readReturnsTheNewestRecordsOldestFirst() {
        open(1, 64 * 1024, BufferMode.OVERWRITE);
        TestEvent e = new TestEvent();
        for (int i = 0; i < 10; i++) rec.record(e.seq(0, 0, i));
        List<TraceRecord> last = rec.read(-1, -1, 3);
        assertEquals(List.of(7L, 8L, 9L), last.stream().map(r -> r.fields().get("seq")).toList());
    }

    @Test
    void anEventOfAnUnknownCpuIsRefusedAndCounted() {
        open(1, 4096, BufferMode.OVERWRITE);
        assertFalse(rec.record(new TestEvent().seq(5, 0, 0)));
        assertEquals(1, rec.bufferSet().unroutable());
        assertTrue(rec.status().contains("bad cpu 1"));
    }
}
