package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import lkst.api.HandlerInfo;
import lkst.api.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standard handler 6 {@code timer-free} on the running kernel, in a real framework: the timer and kmem tracepoints
 * bound to it, a TCP workload in a process of its own (sockets are kernel objects with timers inside), and what it
 * tracked read from its parameters.
 */
class TimerFreeKernelTest {
    @TempDir
    Path home;

    @Test
    void tracksKernelObjectsAndTheTimersInsideThemWithinItsMemoryBound() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/sys/kernel/tracing/instances")),
                "needs root and tracefs mounted at /sys/kernel/tracing (kernel events)");
        // LKST/J keeps what its JVM forks out of the trace (the kernel lists a fork of a listed thread in
        // set_event_notrace_pid), so the workload is forked before LKST/J starts, held until tracing runs.
        Process work = new ProcessBuilder("sh", "-c", "read _; exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TcpChurn.class.getName(), "300")
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (Felix felix = Felix.start(home, Map.of())) {
            Tracer tracer = felix.service(Tracer.class);
            tracer.create("kernel-timers");
            for (String e : new String[] {"TIMER_ADD", "TIMER_DEL", "TIMER_RUN", "MEM_MALLOC", "MEM_CACHE_ALLOC", "MEM_FREE", "MEM_CACHE_FREE"}) {
                tracer.set("kernel-timers", e, 6);
            }
            tracer.ctl("timer-free", "capacity", "4096");
            tracer.select("kernel-timers");
            Thread.sleep(300);

            long t0 = System.nanoTime();
            work.getOutputStream().write('\n'); // released
            work.getOutputStream().flush();
            assertTrue(work.waitFor(60, TimeUnit.SECONDS), "the workload ends within 60 s");
            assertEquals(0, work.exitValue());
            Thread.sleep(500); // the window (100 ms) and the 20 ms clock let the last events through
            Map<String, Object> p = handler(tracer).parameters();
            System.out.printf("timer-free after a %d ms TCP workload: %s%n", (System.nanoTime() - t0) / 1_000_000, p);
            assertTrue((Long) p.get("created") > 1000, "allocations tracked: " + p);
            assertTrue((Long) p.get("armings") > 0, "timers started inside tracked objects: " + p);
            assertTrue((Long) p.get("objects") <= 4096, "at most capacity objects: " + p);
            assertTrue((Long) p.get("evictions") >= 0 && (Long) p.get("untracked-frees") > 0, p.toString());
            System.out.println("findings: " + (p.get("findings").toString().isEmpty() ? "none" : p.get("findings")));
        } finally {
            work.destroyForcibly();
        }
    }

    private static HandlerInfo handler(Tracer tracer) {
        return tracer.handlers().stream().filter(h -> h.id() == 6).findFirst().orElseThrow();
    }
}
