package lkst.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command of {@code ./lkst record}, started stopped: LKST/J keeps the processes its JVM starts out of the kernel
 * trace, so the command must be named for tracing (lkst:traceprocess) before it execs, and that is best done before
 * tracing starts. Its shell stops itself (SIGSTOP) and execs the command once continued, so the command keeps the
 * terminal's stdin, and its pid and exit status are the command's.
 */
final class HeldCommand {
    private final Process process;

    private HeldCommand(Process process) {
        this.process = process;
    }

    /** Starts {@code command} stopped; returns once it is stopped (or has ended: then {@link #release} only waits). */
    static HeldCommand start(List<String> command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "kill -STOP $$ && exec \"$@\"", "lkst-record"));
        argv.addAll(command);
        HeldCommand h = new HeldCommand(new ProcessBuilder(argv).inheritIO().start());
        // no wait-for-stop call in Java: look at its state, a few times within the first milliseconds
        Path stat = Path.of("/proc/" + h.process.pid() + "/stat");
        while (h.process.isAlive() && !stopped(stat)) Thread.sleep(1);
        return h;
    }

    private static boolean stopped(Path stat) throws IOException {
        try {
            String s = Files.readString(stat);
            return s.charAt(s.lastIndexOf(')') + 2) == 'T';
        } catch (java.nio.file.NoSuchFileException e) {
            return true; // ended
        }
    }

    long pid() { return process.pid(); }

    Process process() { return process; }

    /** Lets the command run (SIGCONT). */
    void release() throws IOException, InterruptedException {
        if (!process.isAlive()) return;
        Process kill = new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new IOException("cannot continue the command (kill -CONT " + process.pid() + ")");
    }
}
