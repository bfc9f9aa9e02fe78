package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hot path allocates nothing: recording a million events leaves the thread's allocation counter where it was. */
class AllocationTest {
    @TempDir Path tmp;

    @Test
    void recordingAllocatesNothingPerRecord() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        try (BufferSet set = new BufferSet(tmp, 2, 64 * 1024, BufferMode.OVERWRITE, List.of(TestEvent.SEQ))) {
            TestEvent e = new TestEvent().seq(1, 1, 1);
            for (int i = 0; i < 200_000; i++) set.record(e); // warm up, learn the event type
            set.switchTo(1, 0);
            long before = mx.getThreadAllocatedBytes(id);
            for (int i = 0; i < 1_000_000; i++) {
                set.record(e);
                set.switchTo(1, 0);
            }
            long allocated = mx.getThreadAllocatedBytes(id) - before;
            assertTrue(allocated < 10_000, "bytes allocated for a million records: " + allocated);
            assertEquals(1_200_000, set.current(1).written());
        }
    }
}
