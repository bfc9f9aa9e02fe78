package lkst.runtime;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code ./lkst} — starts LKST/J and opens the Gogo shell; {@code ./lkst -c 'CMD; CMD'} runs commands and exits
 * (0, or 1 when a command failed); {@code ./lkst print DIR} and {@code ./lkst recover DIR} read trace
 * directories without starting the runtime.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dist = distribution();
        Path home = Paths.get(System.getProperty("lkst.home", System.getProperty("user.dir"))).toAbsolutePath();
        if (args.length > 0 && (args[0].equals("print") || args[0].equals("recover") || args[0].equals("stats")
                || args[0].equals("ctf") || args[0].equals("report"))) {
            return tool(dist, args);
        }
        if (args.length > 0 && args[0].equals("record")) {
            Record r;
            try {
                r = Record.parse(args);
            } catch (IllegalArgumentException e) {
                err.println("lkst: " + e.getMessage() + "\n" + Record.USAGE);
                return 2;
            }
            int exit = r.run(home, dist.resolve("bundles"), out, err);
            // the summary: events per type and per CPU, read back from the trace directory just closed
            int stats = tool(dist, new String[]{"stats", r.out.toAbsolutePath().toString()});
            return exit != 0 ? exit : stats;
        }
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.println(USAGE);
            return 0;
        }
        String script = null;
        if (args.length == 2 && args[0].equals("-c")) {
            script = args[1];
            quietLog();
        } else if (args.length != 0) {
            err.println("lkst: unknown arguments " + Arrays.toString(args) + "\n" + USAGE);
            return 2;
        }
        Runtime rt = Runtime.start(home, dist.resolve("bundles"), script == null, Map.of());
        Thread hook = new Thread(rt::close, "lkst-shutdown");
        java.lang.Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (script != null) return Batch.run(rt.framework.getBundleContext(), script, out, err);
            return rt.waitForStop();
        } finally {
            rt.close();
            java.lang.Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    /** {@code -c}: a successful run prints its results only, no INFO lines (unless -Dlkst.log.level says otherwise). */
    private static void quietLog() {
        if (System.getProperty("lkst.log.level") == null) System.setProperty("lkst.log.level", "warn");
    }

    static final String USAGE = String.join("\n",
            "usage: lkst                      start LKST/J and open the Gogo shell (help lkst:status, …)",
            "       lkst -c 'CMD; CMD'        run Gogo commands without a terminal and exit",
            "       lkst record [-m MASKSET] [-e EVENT]... [-d SECONDS] [-o DIR] [-- COMMAND ARGS...]",
            "                                 trace while COMMAND runs (or for SECONDS) into DIR (default lkst.trace)",
            "       lkst print [--json] DIR   print a trace directory, one event per line",
            "       lkst stats DIR            events per type and per CPU, time span, written and lost per buffer",
            "       lkst recover DIR [-o OUT] recover the records of a trace directory left by a crash",
            "       lkst ctf DIR [-o OUT]     write a trace directory as a CTF 1.8 trace (babeltrace2, Trace Compass)",
            "       lkst report [--json] DIR  where the time went: losses, CPU time and latency per task, syscalls, IRQs, events");

    /** The folder that holds lkst.jar, the framework and bundles/. */
    static Path distribution() throws Exception {
        return Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    /** Runs the trace-directory tool of the buffers bundle on a plain class path: no framework needed. */
    static int tool(Path dist, String[] args) throws Exception {
        Path b = dist.resolve("bundles");
        URL[] cp = {b.resolve("lkst.core.jar").toUri().toURL(), b.resolve("lkst.buffers.jar").toUri().toURL()};
        if (!Files.exists(b.resolve("lkst.buffers.jar"))) throw new IllegalStateException("no " + b.resolve("lkst.buffers.jar"));
        try (URLClassLoader loader = new URLClassLoader(cp, Main.class.getClassLoader())) {
            Class<?> main = loader.loadClass("lkst.buffers.tool.Main");
            Method run = main.getMethod("run", String[].class, PrintStream.class, PrintStream.class);
            return (Integer) run.invoke(null, args, System.out, System.err);
        }
    }
}
