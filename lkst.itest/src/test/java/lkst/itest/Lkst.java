package lkst.itest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code lkst.jar} run as a user runs it, in a process of its own, with {@code -Dlkst.home=HOME}. */
final class Lkst {
    record Run(int exit, String out, String err) {}

    private Lkst() {}

    /** The command line that starts lkst.jar with these arguments. */
    static List<String> command(Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlkst.home=" + home, "-jar", Felix.DIST.resolve("lkst.jar").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Run run(Path home, String... args) throws Exception {
        // output to files: a pipe nobody reads while the process runs would stall a long print
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = new ProcessBuilder(command(home, args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lkst " + String.join(" ", args) + " did not exit within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
