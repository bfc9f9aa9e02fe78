package lkst.hooks.kernel;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests that trace the real kernel need: root and a mounted, writable tracefs (mounted here when absent). */
final class KernelTesting {
    private KernelTesting() {}

    /** The tracefs root, or aborts the test with the reason it cannot run here. */
    static Path tracefs() {
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

    /** Runs a shell command to its end (workload generation), ignoring its exit status. */
    static void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
    }
}
