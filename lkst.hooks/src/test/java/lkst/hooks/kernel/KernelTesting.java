package lkst.hooks.kernel;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests that trace the real kernel need: root and a mounted, writable tracefs (mounted here when absent). */
public final class KernelTesting {
    private KernelTesting() {}

    /** The tracefs root, or aborts the test with the reason it cannot run here. */
    public static Path tracefs() {
        Path root = Tracefs.DEFAULT_ROOT;
        if (!Tracefs.isRoot()) abort("needs root to use tracefs (run the build as root, as CI does)");
        if (!Files.exists(root.resolve("events/header_page")) && Files.isDirectory(root)) {
            try {
                Process p = new ProcessBuilder("mount", "-t", "tracefs", "nodev", root.toString()).inheritIO().start();
                p.waitFor();
            } catch (IOException e) {
                abort("tracefs not mounted and mount failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort("interrupted while mounting tracefs");
            }
        }
        String why = Tracefs.unusableReason(root);
        if (why != null) abort(why);
        return root;
    }

    /**
     * Runs a shell command to its end as a process the bridge traces: LKST/J keeps the processes its JVM starts out
     * of the trace, so the command is held (see {@link Held}) until the bridge has taken its pid out of the notrace
     * list. Naming it while tracing runs lets the JVM's threads be traced for that moment: for workloads only.
     * Returns the pid of the command's process.
     */
    static long shTraced(KernelBridge bridge, String command) throws IOException, InterruptedException {
        Held h = Held.start(command);
        bridge.traceProcess((int) h.pid());
        return h.release();
    }

    /** A shell command started waiting on its stdin: it runs (execs) only when released. */
    record Held(Process process) {
        static Held start(String command) throws IOException {
            return new Held(new ProcessBuilder("sh", "-c", "read _ && exec sh -c \"$0\"", command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }

        long pid() { return process.pid(); }

        /** Lets the command run and waits for its end; returns its pid. */
        long release() throws IOException, InterruptedException {
            process.getOutputStream().write('\n');
            process.getOutputStream().close();
            process.waitFor();
            return process.pid();
        }
    }

    /** This thread's kernel task ID. */
    static int tid() throws IOException {
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    /** Runs a shell command to its end (workload generation), ignoring its exit status. */
    static void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
    }
}
