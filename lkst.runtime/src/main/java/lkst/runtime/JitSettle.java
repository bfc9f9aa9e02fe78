package lkst.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets the JIT compilers finish what start-up gave them before tracing starts: `record` then traces with compiler
 * threads that sleep, instead of compiling start-up code (Felix, the shell, regular expressions) among the events of
 * the recording. On a 2-CPU VM their context switches were most of LKST/J's own in a traced second
 * (lkst.bench/kernel/selfcost.sh, README there).
 *
 * <p>Settled means: the compiler threads ({@code C1 CompilerThread*}, {@code C2 CompilerThread*} in
 * {@code /proc/self/task}) used less than {@link #BUSY_NS} of CPU in the last {@link #QUIET_MS}. Their CPU time, not
 * the JVM's compilation counters, because those grow only when a compilation ends, and one C2 compilation of a large
 * method ran for hundreds of milliseconds here. Without /proc it does not wait.
 */
final class JitSettle {
    /** How long the compilers must stay idle to count as settled. */
    static final long QUIET_MS = 60;
    /** CPU time of the compiler threads within {@link #QUIET_MS} that still counts as idle. */
    static final long BUSY_NS = 2_000_000;
    private static final Path TASKS = Path.of("/proc/self/task");

    private JitSettle() {}

    /** Waits until the JIT has been idle for {@link #QUIET_MS}, at most {@code maxMs}; returns the ms waited. */
    static long await(long maxMs) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + maxMs * 1_000_000L;
        long last = compilerCpuNs();
        if (last < 0) return 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(QUIET_MS);
            long now = compilerCpuNs();
            if (now < 0 || now - last < BUSY_NS) break;
            last = now;
        }
        return (System.nanoTime() - start) / 1_000_000L;
    }

    /** CPU nanoseconds the JIT compiler threads have used (schedstat's first figure), or -1 without /proc. */
    static long compilerCpuNs() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path t : tasks) {
                try {
                    String comm = Files.readString(t.resolve("comm"));
                    if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) continue;
                    String s = Files.readString(t.resolve("schedstat"));
                    sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
                } catch (IOException | RuntimeException e) {
                    // a compiler thread that ended meanwhile (the JVM starts and stops them as work comes and goes)
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }
}
