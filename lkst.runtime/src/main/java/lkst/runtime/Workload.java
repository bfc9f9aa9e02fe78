package lkst.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What ./lkst record traces while it runs: COMMAND ARGS (found on PATH first, as a shell finds it), or -d SECONDS
 * of waiting. A command can start held — its process exists, so that its pid can be given to the kernel, but it
 * waits on a FIFO before it executes the program — and is released once tracing runs (-F).
 */
final class Workload {
    /** How long a command may take to end after it got the signal that stops the recording, before it is killed. */
    static final long GRACE_MS = 5_000;

    /** How long a command that died of SIGINT or SIGTERM may precede the same signal's arrival at this JVM. */
    static final long SIGNAL_RACE_MS = 500;

    private final List<String> command;
    private final double seconds;
    private Process process;
    private Path fifoDir;
    private String end = "";

    Workload(List<String> command, double seconds) {
        this.command = command;
        this.seconds = seconds;
    }

    /** Refuses a command that a shell would not run: 127 when it is not found, 126 when it cannot be executed. */
    static void check(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            if (!Files.exists(p)) throw new Refused(127, "no such command: " + name);
            if (Files.isDirectory(p)) throw new Refused(126, "cannot run " + name + ": is a directory");
            if (!Files.isExecutable(p)) throw new Refused(126, "cannot run " + name + ": permission denied");
            return;
        }
        if (name.isEmpty()) throw new Refused(127, "no such command: ''");
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        Path notExecutable = null;
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p)) {
                if (Files.isExecutable(p)) return;
                if (notExecutable == null) notExecutable = p;
            }
        }
        if (notExecutable != null) throw new Refused(126, "cannot run " + name + " (" + notExecutable + "): permission denied");
        throw new Refused(127, "no such command: " + name);
    }

    /** Starts the command, held before its exec when {@code held}; its pid. Nothing to start for -d alone: -1. */
    long start(boolean held) throws IOException, InterruptedException {
        if (command.isEmpty()) return -1;
        List<String> argv = command;
        if (held) {
            fifoDir = Files.createTempDirectory("lkst-held-");
            Path fifo = fifoDir.resolve("go");
            if (new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() != 0) {
                throw new IOException("cannot make a FIFO in " + fifoDir);
            }
            argv = new ArrayList<>(List.of("/bin/sh", "-c", "read _ < \"$0\"; exec \"$@\"", fifo.toString()));
            argv.addAll(command);
        }
        process = new ProcessBuilder(argv).inheritIO().start();
        return process.pid();
    }

    /** Lets a held command execute its program. */
    void release() throws IOException {
        if (fifoDir == null) return;
        try (OutputStream o = Files.newOutputStream(fifoDir.resolve("go"))) {
            o.write('\n');
        } finally {
            Files.deleteIfExists(fifoDir.resolve("go"));
            Files.deleteIfExists(fifoDir);
            fifoDir = null;
        }
    }

    /**
     * Waits until the command ends, -d SECONDS pass or {@code interrupt} brings a signal (which the command gets
     * too); returns the command's exit status (0 for -d alone).
     */
    int await(Interrupt interrupt) throws InterruptedException {
        long deadline = seconds < 0 ? Long.MAX_VALUE : System.nanoTime() + (long) (seconds * 1e9);
        CountDownLatch signalled = new CountDownLatch(1);
        Semaphore wake = new Semaphore(0); // a signal or the command's end: the loop below sleeps until one, or a deadline
        interrupt.onSignal(() -> {
            signalled.countDown();
            wake.release();
            if (process != null && process.isAlive()) forward(interrupt.signal(), process.pid());
        });
        if (process == null) {
            signalled.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            end = interrupt.signal() != null ? "stopped by " + interrupt.signal() : "stopped after " + fmt(seconds) + " s (-d)";
            return 0;
        }
        // no polling: the JVM's process reaper releases the wake when the command ends (it looked every 100 ms until
        // 2026-12-02, twenty context switches a second of LKST/J's main thread in the trace: selfcost.sh)
        process.onExit().thenRun(wake::release);
        long killAt = Long.MAX_VALUE;
        while (process.isAlive()) {
            long now = System.nanoTime();
            if (interrupt.signal() != null && killAt == Long.MAX_VALUE) killAt = now + GRACE_MS * 1_000_000;
            if (now >= deadline && end.isEmpty()) {
                end = "stopped after " + fmt(seconds) + " s (-d)";
                process.destroy();
                killAt = Math.min(killAt, now + GRACE_MS * 1_000_000);
            }
            if (now >= killAt) {
                process.destroyForcibly();
                killAt = Long.MAX_VALUE - 1; // killed: now wait for its end only
            }
            long until = Math.min(end.isEmpty() ? deadline : Long.MAX_VALUE, killAt == Long.MAX_VALUE - 1 ? Long.MAX_VALUE : killAt);
            if (until == Long.MAX_VALUE) wake.acquire();
            else wake.tryAcquire(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        process.waitFor();
        if (interrupt.signal() == null && (process.exitValue() == 128 + 2 || process.exitValue() == 128 + 15)) {
            // Ctrl-C reaches the whole process group: the command may die of it before the JVM's handler has run
            signalled.await(SIGNAL_RACE_MS, TimeUnit.MILLISECONDS);
        }
        if (interrupt.signal() != null) end = "stopped by " + interrupt.signal();
        else if (end.isEmpty()) end = "command exited with status " + process.exitValue();
        return end.startsWith("command") ? process.exitValue() : 0;
    }

    /** Ends a command started but never released (the run was refused or interrupted before tracing). */
    void abandon() {
        if (process != null && process.isAlive()) process.destroyForcibly();
        try {
            if (fifoDir != null) {
                Files.deleteIfExists(fifoDir.resolve("go"));
                Files.deleteIfExists(fifoDir);
            }
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    /** How the workload ended, for the summary: "command exited with status N", "stopped by SIGINT", … */
    String end() { return end; }

    private static void forward(String signal, long pid) {
        try {
            new ProcessBuilder("kill", "-s", signal.substring(3), Long.toString(pid)).inheritIO().start();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    private static String fmt(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
