package lkst.itest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * examples/timer-uaf built with the system's C compiler, -O0 so that its probed functions stay where their symbols
 * say (they are also marked noinline). Tests that need it skip, saying why, where there is no cc or no uprobes.
 */
final class TimerUaf {
    static final Path SOURCE = Paths.get(System.getProperty("lkst.timer-uaf", "../examples/timer-uaf/timer-uaf.c"));
    static final String[] FUNCTIONS = {"conn_new", "conn_free", "timer_add", "timer_mod", "timer_del", "timer_fire"};

    private TimerUaf() { }

    /** Compiles the program into {@code dir}; skips the test when there is no cc or no root with tracefs. */
    static Path build(Path dir) throws Exception {
        assumeTrue(Files.isWritable(Paths.get("/sys/kernel/tracing/uprobe_events")),
                "needs root and tracefs mounted at /sys/kernel/tracing with uprobes (uprobe_events)");
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/cc")), "needs the system's C compiler (cc) to build " + SOURCE);
        Path bin = dir.resolve("timer-uaf");
        Process cc = new ProcessBuilder("cc", "-O0", "-g", "-o", bin.toString(), SOURCE.toString()).redirectErrorStream(true).start();
        String out = new String(cc.getInputStream().readAllBytes());
        if (!cc.waitFor(60, TimeUnit.SECONDS) || cc.exitValue() != 0) throw new AssertionError("cc failed: " + out);
        return bin;
    }

    /** The register of a function's first argument, as the kernel's uprobe fetch arguments name it. */
    static String firstArgument() {
        return System.getProperty("os.arch").equals("aarch64") ? "%x0" : "%di";
    }

    /** The register of a function's second argument. */
    static String secondArgument() {
        return System.getProperty("os.arch").equals("aarch64") ? "%x1" : "%si";
    }
}
