package lkst.hooks.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lkst.api.Dispatcher;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.hooks.ftrace.EventFormat;
import lkst.hooks.ftrace.FormatParser;
import lkst.hooks.ftrace.KernelTypes;
import lkst.hooks.ftrace.PageDecoder;
import lkst.hooks.ftrace.PageLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Readers running while the kernel writes: pages are taken while the writer is still on them and decoded in steps.
 * Nothing may be read twice or skipped: per CPU, the events decoded equal the events the kernel counts as written
 * as read (its stats after the buffers are empty), the losses it counts are the losses reported on the pages, and
 * timestamps never go backwards.
 */
class LiveReadingTest {
    @ParameterizedTest(name = "mmap reader: {0}")
    @ValueSource(booleans = {true, false})
    void readersKeepUpWithTheWriterWithoutDuplicatesOrGaps(boolean mmap) throws Exception {
        Path root = KernelTesting.tracefs();
        try (TraceInstance t = TraceInstance.create(root, 4096)) {
            KernelTypes types = new KernelTypes();
            int id = 1000;
            List<String> tps = List.of("raw_syscalls:sys_enter", "raw_syscalls:sys_exit", "sched:sched_switch", "kmem:kfree");
            for (String tp : tps) {
                int c = tp.indexOf(':');
                EventFormat f = FormatParser.event(t.events(), tp.substring(0, c), tp.substring(c + 1));
                types.put(new EventType(id++, tp, tp.startsWith("raw_syscalls") ? "syscall" : "other", EventSource.KERNEL, false, List.of(), List.of(), f.fields(), null), f);
            }
            PageLayout layout = FormatParser.pageLayout(root);
            if (System.getProperty("lkst.percent") != null) t.bufferPercent(Integer.getInteger("lkst.percent"));
            List<CpuReader> readers = new ArrayList<>();
            List<Order> orders = new ArrayList<>();
            try {
                for (int cpu : t.cpus()) {
                    Order o = new Order();
                    orders.add(o);
                    CpuReader r = new CpuReader(t, cpu, layout, types, o, mmap);
                    readers.add(r);
                    r.start();
                }
                t.enableExactly(tps);
                KernelTesting.sh("dd if=/dev/zero of=/dev/null bs=1 count=100000; for i in 1 2 3 4 5; do ls / > /dev/null; done");
                t.tracingOn(false);
                long allocated = allocatedByReaders();
                // the readers empty the buffers on their own; wait until the kernel says nothing is left unread
                long giveUp = System.nanoTime() + 120_000_000_000L; // a safety net against a dead reader, not a timing
                for (boolean left = true; left; ) {
                    left = false;
                    for (CpuReader r : readers) {
                        left |= r.stats().entries() > 0;
                        assertEquals(null, r.failure(), "reader failed");
                    }
                    if (left) Thread.sleep(20);
                    assertTrue(System.nanoTime() < giveUp, "the readers did not empty the buffers");
                }
                for (CpuReader r : readers) r.stop();
                for (CpuReader r : readers) r.drain();
                long total = 0;
                for (int i = 0; i < readers.size(); i++) {
                    CpuReader r = readers.get(i);
                    CpuStats s = r.stats();
                    PageDecoder d = r.decoder();
                    String where = "cpu" + r.cpu() + " " + s + " decoded " + d.events();
                    assertEquals(0, d.malformed() + d.unknownTypes(), where);
                    assertEquals(0, orders.get(i).backwards, where + ": timestamps went backwards");
                    assertEquals(s.read(), d.events(), where + ": every event the kernel handed over, once");
                    // losses (the readers may fall behind on a busy machine) are reported on the pages too
                    assertTrue(d.missedEvents() == s.overrun() || d.missedUnknown() > 0, where + ": missed " + d.missedEvents());
                    total += d.events() + s.lost();
                }
                long lost = 0;
                for (CpuReader r : readers) lost += r.stats().lost();
                int dd = 0;
                for (int pid = 0; pid <= PID_MAX; pid++) {
                    int n = 0;
                    for (Order o : orders) n += o.syscallsByPid[pid];
                    dd = Math.max(dd, n);
                }
                System.out.printf("%s reader, live: %d events, %d lost (%.1f %%), busiest process %d syscall events,"
                                + " readers allocated %d bytes%n",
                        mmap ? "mmap" : "read", total, lost, 100.0 * lost / Math.max(1, total), dd, allocated);
                // no allocation per event: what the threads allocate (start-up, EAGAIN exceptions) is far below 1 B/event
                if (allocated >= 0) assertTrue(allocated < total / 4, "readers allocated " + allocated + " bytes for " + total + " events");
                // dd bs=1 count=100000: a read and a write per byte, each an entry and an exit
                // ... and what is not in the trace is counted lost: nothing vanishes silently
                assertTrue(dd + lost >= 400_000, "dd made " + dd + " syscall events in the trace and " + lost
                        + " were counted lost; expected 400000 or more together");
                assertTrue(total > 200_000, "the workload made only " + total + " events (read and lost)");
            } finally {
                for (CpuReader r : readers) r.close();
            }
        }
    }

    static final int PID_MAX = pidMax();

    private static int pidMax() {
        try {
            return Integer.parseInt(Tracefs.read(Path.of("/proc/sys/kernel/pid_max")).trim());
        } catch (java.io.IOException | NumberFormatException e) {
            return 1 << 22;
        }
    }

    /** Bytes allocated so far by the reader threads (by their names), or -1 when the JVM cannot tell. */
    static long allocatedByReaders() {
        if (!(java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) return -1;
        long sum = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("lkst-kernel-cpu")) sum += mx.getThreadAllocatedBytes(th.getId());
        }
        return sum;
    }

    /** Counts timestamps that go backwards on one CPU. */
    static final class Order implements Dispatcher {
        long last;
        long backwards;
        /** syscall events by pid; an array, so that this handler allocates nothing per event either */
        final int[] syscallsByPid = new int[PID_MAX + 1];

        @Override
        public void dispatch(Event e) {
            if (e.timestamp() < last) backwards++;
            last = e.timestamp();
            if ("syscall".equals(e.type().category()) && e.pid() >= 0 && e.pid() <= PID_MAX) syscallsByPid[e.pid()]++;
        }
        @Override public boolean enabled(int eventId) { return true; }
        @Override public EventHandler handlerFor(int eventId) { return null; }
        @Override public void addListener(Runnable r) { }
        @Override public void removeListener(Runnable r) { }
    }
}
