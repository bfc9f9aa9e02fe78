package lkst.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * lkst.jar as a user runs it, in a process of its own: {@link #run} for a command that exits ({@code -c},
 * {@code record}, {@code recover}), {@link Shell} for the interactive shell with its standard input from a pipe the
 * test writes commands into, as a person types them.
 */
final class Lkst {
    private Lkst() {}

    record Run(int exit, String out, String err) {}

    static List<String> java(Path home) {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlkst.home=" + home, "-jar", Felix.DIST.resolve("lkst.jar").toAbsolutePath().toString()));
    }

    /** The command line that starts lkst.jar with these arguments. */
    static List<String> command(Path home, String... args) {
        List<String> cmd = java(home);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs lkst.jar with {@code args} on {@code home} and waits (60 s at most) for it to exit. */
    static Run run(Path home, String... args) throws Exception {
        List<String> cmd = command(home, args);
        Files.createDirectories(home);
        // output to files: a pipe nobody reads while the process runs would stall a long print
        Path out = Files.createTempFile("lkst-out", ".txt");
        Path err = Files.createTempFile("lkst-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("lkst " + String.join(" ", args) + " did not exit within 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
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

    /** An interactive shell (started by {@code command}) fed through a pipe; its output collected as it comes. */
    static final class Shell implements AutoCloseable {
        final Process process;
        private final OutputStream in;
        private final StringBuffer output = new StringBuffer();
        private int marks;

        Shell(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            in = process.getOutputStream();
            Thread drain = new Thread(() -> {
                try (InputStream s = process.getInputStream()) {
                    byte[] b = new byte[8192];
                    for (int n; (n = s.read(b)) > 0; ) output.append(new String(b, 0, n, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.append("\n(output lost: ").append(e).append(")\n");
                }
            }, "lkst-shell-output");
            drain.setDaemon(true);
            drain.start();
        }

        /** Runs one command and returns what it printed (up to a marker echoed after it; 60 s at most). */
        String run(String command) throws Exception {
            String mark = "lkst-test-mark-" + (++marks) + "-end";
            int from = output.length();
            in.write((command + "\necho " + mark + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < end) {
                int at = output.indexOf(mark, from);
                if (at >= 0) return output.substring(from, at);
                if (!process.isAlive()) break;
                Thread.sleep(20);
            }
            throw new AssertionError("no answer to '" + command + "': " + output.substring(from));
        }

        String output() { return output.toString(); }

        /** Ends the shell as a person does (end of input); forcibly when it takes longer than 30 s. */
        @Override
        public void close() throws Exception {
            try {
                in.close();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
