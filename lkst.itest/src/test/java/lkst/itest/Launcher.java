package lkst.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The ./lkst launcher run as a user runs it: lkst.jar in a process of its own, with its own LKST_HOME. */
final class Launcher {
    record Run(int exit, String out, String err) {
        /** The lines of standard error that are not blank. */
        List<String> errLines() { return err.lines().filter(l -> !l.isBlank()).toList(); }
    }

    /** A launcher process still running, its output going to files. */
    record Running(Process process, Path out, Path err) {
        Run await() throws Exception {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("lkst did not exit within 90 s");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        }
    }

    final Path home;

    Launcher(Path home) {
        this.home = home;
    }

    Running start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** Starts lkst.jar as the leader of a process group of its own (setsid), as a shell starts a foreground job. */
    Running startAsJob(String... args) throws IOException {
        return start(List.of("setsid"), args);
    }

    private Running start(List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(Lkst.command(home, args));
        // output to files: a pipe nobody reads while the process runs would stall a long print
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Running(p, out, err);
    }

    Run run(String... args) throws Exception {
        return start(args).await();
    }

    static boolean kernelTracing() {
        return Files.isWritable(Path.of("/sys/kernel/tracing/instances"));
    }
}
