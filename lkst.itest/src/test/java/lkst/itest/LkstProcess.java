package lkst.itest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of the launcher, lkst.jar ARGS, in a process of its own with LKST_HOME {@code home}. */
final class LkstProcess {
    record Run(int exit, String out, String err) {}

    private LkstProcess() {}

    static Run run(Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlkst.home=" + home, "-jar", Felix.DIST.resolve("lkst.jar").toString()));
        cmd.addAll(List.of(args));
        // output to files: a pipe nobody reads while the process runs would stall a long print
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lkst " + String.join(" ", args) + " did not exit within 60 s");
        }
        Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /**
     * Runs {@code lkst -c commands} until its output contains {@code expected} (at most 10 runs): a deploy/*.cfg
     * reaches Configuration Admin through FileInstall a moment after start, and a short run may end before.
     */
    static Run runUntil(Path home, String commands, String expected) throws Exception {
        Run r = run(home, "-c", commands);
        for (int i = 0; i < 10 && !r.out().contains(expected); i++) {
            Thread.sleep(100);
            r = run(home, "-c", commands);
        }
        return r;
    }
}
