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

    /** The subcommands that read trace directories without the runtime, each with its usage line. */
    /** The trace-directory tool's commands, run without the framework; each answers --help with its own usage. */
    static final Set<String> TOOLS = Set.of("print", "stats", "recover", "ctf", "report", "fetch", "tail");
    /** The tools of the fleet bundle (lkst.ship, with the Kafka client's bundle on the class path). */
    static final Set<String> FLEET_TOOLS = Set.of("fetch");

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dist = distribution();
        Path home = Paths.get(System.getProperty("lkst.home", System.getProperty("user.dir"))).toAbsolutePath();
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
            r.check(size -> bufferSize(dist, size));
            RuntimeLog.divert(home);
            exit = r.run(home, dist.resolve("bundles"), out, err);
        } catch (Refused e) {
            System.setErr(err);
            err.println("lkst: " + (e.getMessage().startsWith("record:") ? "" : "record: ") + e.getMessage());
            return e.exit;
        }
        System.setErr(err);
        // the summary: events per type and per CPU, read back from the trace directory just closed
        int stats = tool(dist, new String[]{"stats", r.out.toAbsolutePath().toString()}, err);
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
            "       lkst fetch kafka://HOST:PORT/TOPIC -o DIR   rebuild the traces shipped to a Kafka topic, DIR/HOST/TRACE",
            "       lkst tail [OPTIONS] [DIR] the events a running LKST/J records, as they come (print's filters; Ctrl-C ends)",
            "       lkst SUBCOMMAND --help    the options of record, print, stats, recover, ctf, report");

    /**
     * The bytes of a buffer size as ./lkst record -b takes it, checked by the buffers' own parser and limits (they
     * live in the buffers bundle, loaded here on a plain class path); a bad one throws IllegalArgumentException.
     */
    static long bufferSize(Path dist, String size) {
        try (URLClassLoader loader = toolLoader(dist)) {
            long bytes = (Long) loader.loadClass("lkst.buffers.record.Sizes").getMethod("parse", String.class).invoke(null, size);
            loader.loadClass("lkst.buffers.ring.BufferDescriptor").getMethod("capacityFor", long.class).invoke(null, bytes);
            return bytes;
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) throw bad;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException | java.io.IOException e) {
            throw new IllegalStateException("cannot load the buffers bundle from " + dist.resolve("bundles") + ": " + e, e);
        }
    }

    /** The folder that holds lkst.jar, the framework and bundles/. */
    static Path distribution() throws Exception {
        return Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    /** Runs the trace-directory tool of the buffers bundle on a plain class path: no framework needed. */
    static int tool(Path dist, String[] args, PrintStream err) throws Exception {
        try (URLClassLoader loader = toolLoader(dist)) {
            Class<?> main = loader.loadClass(FLEET_TOOLS.contains(args[0]) ? "lkst.ship.tool.Main" : "lkst.buffers.tool.Main");
            Method run = main.getMethod("run", String[].class, PrintStream.class, PrintStream.class);
            return (Integer) run.invoke(null, args, System.out, err);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable c = e.getCause();
            err.println("lkst: " + args[0] + ": " + (c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName()));
            return 1;
        }
    }

    private static URLClassLoader toolLoader(Path dist) throws java.io.IOException {
        Path b = dist.resolve("bundles");
        if (!Files.exists(b.resolve("lkst.buffers.jar"))) throw new java.io.FileNotFoundException("no " + b.resolve("lkst.buffers.jar"));
        URL[] cp = {b.resolve("lkst.core.jar").toUri().toURL(), b.resolve("lkst.buffers.jar").toUri().toURL(),
                b.resolve("lkst.ship.jar").toUri().toURL(), b.resolve("lkst.kafka.jar").toUri().toURL()};
        return new URLClassLoader(cp, Main.class.getClassLoader());
    }
}
