package lkst.runtime;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import lkst.api.RuntimeProperties;
import lkst.buffers.record.Sizes;
import lkst.buffers.ring.BufferDescriptor;

/**
 * {@code ./lkst} — starts LKST/J and opens the Gogo shell; {@code ./lkst -c 'CMD; CMD'} runs commands and exits
 * (0, or 1 when a command failed); {@code ./lkst print DIR} and {@code ./lkst recover DIR} read trace
 * directories without starting the runtime.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintStream terminal = System.err;
        int exit;
        try {
            exit = run(args, System.out, terminal);
        } catch (Throwable t) {
            // the one line a person reads; the details go to the runtime's log when there is one, never to the terminal
            if (System.err != terminal) t.printStackTrace();
            System.setErr(terminal);
            terminal.println("lkst: " + (args.length > 0 ? args[0] + ": " : "") + "failed: "
                    + (t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName()));
            exit = 1;
        }
        System.exit(exit);
    }

    /** The trace-directory tool's commands, run without the framework; each answers --help with its own usage. */
    static final Set<String> TOOLS = Set.of("print", "stats", "recover", "ctf", "report", "view", "fetch", "tail");
    /** The tools of the fleet bundle (lkst.ship, loaded with the Kafka client's bundle beside lkst.jar's class path). */
    static final Set<String> FLEET_TOOLS = Set.of("fetch");

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dist = distribution();
        Path home = Paths.get(System.getProperty(RuntimeProperties.HOME, System.getProperty("user.dir"))).toAbsolutePath();
        String sub = args.length > 0 ? args[0] : "";
        if (TOOLS.contains(sub)) return tool(dist, args, err);
        if (sub.equals("record")) return record(args, dist, home, out, err);
        if (sub.equals("-h") || sub.equals("--help") || sub.equals("help")) {
            out.println(USAGE);
            return 0;
        }
        String script = null;
        if (args.length == 2 && sub.equals("-c")) {
            script = args[1];
            quietLog();
        } else if (sub.equals("-c")) {
            err.println("lkst: -c takes one argument, the commands: lkst -c 'CMD; CMD'");
            return 2;
        } else if (args.length != 0) {
            err.println("lkst: unknown " + (sub.startsWith("-") ? "option" : "command") + " '" + sub + "'; usage: lkst --help");
            return 2;
        }
        if (script != null) RuntimeLog.divert(home);
        LkstRuntime rt = LkstRuntime.start(home, dist.resolve("bundles"), script == null, Map.of());
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
        if (System.getProperty(RuntimeProperties.LOG_LEVEL) == null) System.setProperty(RuntimeProperties.LOG_LEVEL, "warn");
    }

    /** ./lkst record: checks every argument, records, then prints the summary (and a warning when much was lost). */
    private static int record(String[] args, Path dist, Path home, PrintStream out, PrintStream err) throws Exception {
        Record r;
        int exit;
        try {
            r = Record.parse(args);
            if (r.help) {
                out.println(Record.USAGE);
                return 0;
            }
            r.check(Main::bufferSize);
            RuntimeLog.divert(home);
            exit = r.run(home, dist.resolve("bundles"), out, err);
        } catch (Refused e) {
            System.setErr(err);
            err.println("lkst: " + (e.getMessage().startsWith("record:") ? "" : "record: ") + e.getMessage());
            return e.exit;
        }
        System.setErr(err);
        // the summary: events per type and per CPU, read back from the trace directory just closed
        int stats = tool(distribution(), new String[]{"stats", r.out.toAbsolutePath().toString()}, err);
        if (r.warning != null) err.println(r.warning);
        return exit != 0 ? exit : stats;
    }

    static final String USAGE = String.join("\n",
            "usage: lkst                      start LKST/J and open the Gogo shell (help lkst:status, …)",
            "       lkst -c 'CMD; CMD'        run Gogo commands without a terminal and exit",
            "       lkst record [-e EVENT [-f FILTER]]... [-m MASKSET] [-F | -P PID] [-d SECONDS] [-o DIR] [-b SIZE] [--] COMMAND...",
            "                                 trace while COMMAND runs (or for SECONDS) into DIR (default lkst.trace)",
            "       lkst print [OPTIONS] DIR  print a trace directory, one event per line (filters: lkst print --help)",
            "       lkst stats DIR            events per type and per CPU, time span, written and lost per buffer",
            "       lkst recover DIR [-o OUT] recover the records of a trace directory left by a crash",
            "       lkst ctf DIR [-o OUT]     write a trace directory as a CTF 1.8 trace (babeltrace2, Trace Compass)",
            "       lkst report [--json] DIR  where the time went: losses, CPU time and latency per task, syscalls, IRQs, events",
            "       lkst view DIR [-o FILE]   the trace as one HTML page: CPU and task lanes, IRQs, JVM events, losses",
            "       lkst fetch kafka://HOST:PORT/TOPIC -o DIR   rebuild the traces shipped to a Kafka topic, DIR/HOST/TRACE",
            "       lkst tail [OPTIONS] [DIR] the events a running LKST/J records, as they come (print's filters; Ctrl-C ends)",
            "       lkst SUBCOMMAND --help    the options of record, print, stats, recover, ctf, report, view, fetch, tail");

    /**
     * The bytes of a buffer size as ./lkst record -b takes it, checked by the buffers' own parser and limits; a bad
     * one throws IllegalArgumentException.
     */
    static long bufferSize(String size) {
        long bytes = Sizes.parse(size);
        BufferDescriptor.capacityFor(bytes);
        return bytes;
    }

    /** The folder that holds lkst.jar, the framework and bundles/. */
    static Path distribution() throws Exception {
        return Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    /** Runs a trace-directory tool on lkst.jar's class path (the fleet's with lkst.ship and lkst.kafka): no framework needed. */
    static int tool(Path dist, String[] args, PrintStream err) {
        try {
            if (!FLEET_TOOLS.contains(args[0])) return lkst.buffers.tool.Main.run(args, System.out, err);
            Path b = dist.resolve("bundles");
            URL[] cp = {b.resolve("lkst.ship.jar").toUri().toURL(), b.resolve("lkst.kafka.jar").toUri().toURL()};
            try (URLClassLoader loader = new URLClassLoader(cp, Main.class.getClassLoader())) {
                Method run = loader.loadClass("lkst.ship.tool.Main").getMethod("run", String[].class, PrintStream.class, PrintStream.class);
                return (Integer) run.invoke(null, args, System.out, err);
            }
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable c = e.getCause();
            err.println("lkst: " + args[0] + ": " + (c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName()));
            return 1;
        } catch (RuntimeException | ReflectiveOperationException | java.io.IOException e) {
            err.println("lkst: " + args[0] + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            return 1;
        }
    }
}
