package lkst.runtime;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./lkst record [-m MASKSET] [-e EVENT]… [-d SECONDS] [-o DIR] [-- COMMAND ARGS…]}, with trace-cmd's and
 * perf's habits: starts the runtime with DIR as its trace directory, traces while COMMAND runs (or for SECONDS),
 * stops, and prints a summary — events per type, lost per CPU. {@code ./lkst print DIR} reads the result.
 */
final class Record {
    static final String USAGE = "usage: lkst record [-m MASKSET] [-e EVENT]... [-d SECONDS] [-o DIR] [-b BUFFER-SIZE] [-- COMMAND ARGS...]";
    /** The maskset that -e builds; replaced at every record. */
    static final String MASKSET = "record";

    String maskset;
    final List<String> events = new ArrayList<>();
    double seconds = -1;
    Path out = Paths.get("lkst.trace");
    final List<String> command = new ArrayList<>();
    /** Each CPU's buffer: large, to ride out bursts while the logger (SCHED_FIFO 1) waits for the readers (FIFO 2). */
    String bufferSize = "64M";

    static Record parse(String[] args) {
        Record r = new Record();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                r.command.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException("'" + a + "' needs a value");
            String v = args[++i];
            switch (a) {
                case "-m": r.maskset = v; break;
                case "-e": r.events.add(v); break;
                case "-o": r.out = Paths.get(v); break;
                case "-b": r.bufferSize = v; break;
                case "-d":
                    try {
                        r.seconds = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bad duration '" + v + "' (seconds)");
                    }
                    if (!(r.seconds > 0)) throw new IllegalArgumentException("bad duration '" + v + "' (seconds > 0)");
                    break;
                default: throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (r.command.isEmpty() && r.seconds < 0) throw new IllegalArgumentException("give -d SECONDS or -- COMMAND");
        return r;
    }

    int run(Path home, Path bundles, PrintStream out, PrintStream err) throws Exception {
        Path dir = this.out.toAbsolutePath();
        if (Files.exists(dir) && !isEmptyDir(dir)) {
            if (!Files.exists(dir.resolve("trace.meta"))) {
                err.println("lkst: " + dir + " exists and is not a trace directory; give another -o DIR");
                return 2;
            }
            // as perf does with perf.data: the previous trace becomes DIR.old
            Path old = dir.resolveSibling(dir.getFileName() + ".old");
            deleteTree(old);
            Files.move(dir, old);
            err.println("lkst: the previous trace in " + dir + " is now " + old);
        }
        // The buffers live in a directory of their own (kept after a crash: recover it); the logger drains them into
        // DIR as they fill, in discard mode so that a logger falling behind shows as lost records, never as
        // silently overwritten ones. Tracing starts stopped: nothing is recorded before the asked maskset is selected.
        Path buffers = dir.resolveSibling(dir.getFileName() + ".buffers");
        Map<String, String> props = Map.of("lkst.trace.dir", buffers.toString(), "lkst.tracing", "stopped",
                "lkst.buffers.mode", "discard", "lkst.buffers.size", bufferSize);
        try (Runtime rt = Runtime.start(home, bundles, false, props);
             Batch shell = new Batch(rt.framework.getBundleContext(), out, err)) {
            String previous = shell.text("(lkst:status) maskset");
            if (!shell.run("lkst:log start " + dir + " " + LOG_FILE_MB + " " + LOG_FILES, false)) return 1;
            if (!setUp(shell)) return 1;
            String kernel = shell.text("((lkst:status) sources) get kernel");
            if (kernel.contains("unavailable")) err.println("lkst: " + kernel);
            long t0 = System.nanoTime();
            int exit = workload(err);
            long ns = System.nanoTime() - t0;
            shell.run("lkst:stop", false);
            String status = shell.text("lkst:status");
            String log = shell.text("lkst:log stop");
            shell.run("lkst:maskset select " + previous, false); // the user's selection stays as it was
            if (!events.isEmpty()) shell.run("lkst:maskset delete " + MASKSET, false);
            err.printf("lkst: traced %.3f s into %s%n", ns / 1e9, dir);
            err.println(status);
            err.println(log);
            return exit;
        } finally {
            deleteTree(buffers);
        }
    }

    /** Log files of up to 256 MiB, and so many that none is ever dropped: record keeps everything. */
    static final int LOG_FILE_MB = 256;
    static final int LOG_FILES = 100_000;

    private static boolean isEmptyDir(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path p) {
        java.io.File[] children = p.toFile().listFiles();
        if (children != null) for (java.io.File c : children) deleteTree(c.toPath());
        p.toFile().delete();
    }

    private boolean setUp(Batch shell) throws Exception {
        if (events.isEmpty()) {
            return (maskset == null || shell.run("lkst:maskset select " + maskset, false)) && shell.run("lkst:start", false);
        }
        try {
            shell.text("lkst:maskset delete " + MASKSET);
        } catch (IllegalArgumentException absent) {
            // no leftover maskset from an earlier record
        }
        if (!shell.run("lkst:maskset copy " + (maskset == null ? "off" : maskset) + " " + MASKSET, false)) return false;
        for (String e : events) {
            // a tracepoint no standard event makes (irq:irq_handler_exit, for report's IRQ time) is declared first
            if (e.contains(":") && !shell.run("lkst:tracepoint add " + e, false)) return false;
            if (!shell.run("lkst:maskset set " + MASKSET + " " + e + " 1", false)) return false;
        }
        return shell.run("lkst:maskset select " + MASKSET, false) && shell.run("lkst:start", false);
    }

    private int workload(PrintStream err) throws Exception {
        if (command.isEmpty()) {
            Thread.sleep((long) (seconds * 1000));
            return 0;
        }
        Process p = new ProcessBuilder(command).inheritIO().start();
        boolean done = seconds < 0 ? p.waitFor(Long.MAX_VALUE, TimeUnit.DAYS) : p.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        if (!done) {
            p.destroy();
            p.waitFor();
        }
        return p.exitValue();
    }
}
