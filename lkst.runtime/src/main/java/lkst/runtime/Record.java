package lkst.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lkst.api.EventHandler;
import lkst.api.RuntimeProperties;
import lkst.api.Tracer;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.Buffers;
import lkst.buffers.api.LogStatus;
import lkst.hooks.kernel.api.KernelControl;

/**
 * {@code ./lkst record [options] [--] COMMAND ARGS…}, with trace-cmd's and perf's habits: starts the runtime with
 * tracing stopped, traces while COMMAND runs (or for -d SECONDS, or until Ctrl-C), stops, and prints a summary.
 * Every argument is checked before anything on disk changes; the maskset it traces under is private to the run
 * (a name starting with '.': never saved), so no ending of a run — a crash included — changes the next one.
 */
final class Record {
    static final String USAGE = String.join("\n",
            "usage: lkst record [OPTIONS] [--] COMMAND [ARGS...]     trace while COMMAND runs",
            "       lkst record [OPTIONS] -d SECONDS                 trace for SECONDS (Ctrl-C stops earlier)",
            "  -e EVENT        an LKST event (PROCESS_CONTEXTSWITCH), a tracepoint (sched:sched_process_exec), a whole",
            "                  ftrace system (sched), a glob ('sched:sched_wak*') or uprobes:NAME of a --probe; repeatable",
            "  -f FILTER       kernel filter of the -e before it, in ftrace's syntax ('prev_pid == 1')",
            "  --probe NAME=PATH:SYMBOL [FETCHARGS]   a uprobe, traced with -e uprobes:NAME (one argument: quote it)",
            "  -m MASKSET      start from this maskset (the -e events are added to a private copy)",
            "  -F              trace only COMMAND and the processes it starts, from its exec on",
            "  -P PID[,PID]    trace only these processes (-c: and the processes they start)",
            "  -d SECONDS      stop after SECONDS",
            "  -o DIR          the trace directory (default lkst.trace); a previous trace there becomes DIR.old",
            "  -b SIZE         each CPU's buffer (default 64M; 4096, 64k, 4M, 1G)",
            "  --ship-to kafka://HOST:PORT/TOPIC[?host=NAME&…]   also ship the trace to a Kafka topic (./lkst fetch reads it back)",
            "Ctrl-C or SIGTERM stops the recording like its normal end. Exit status: COMMAND's, or 0 when stopped.");
    static final String HINT = "usage: lkst record --help";

    /** Each CPU's buffer: large, to ride out bursts while the logger (SCHED_FIFO 1) waits for the readers (FIFO 2). */
    static final String DEFAULT_BUFFER = "64M";
    /** A recording that lost more than this share of its events ends with a warning. */
    static final double LOUD_LOSS = 0.01;

    String maskset;
    final List<EventSelection> events = new ArrayList<>();
    final List<String> probes = new ArrayList<>();
    double seconds = -1;
    Path out = Paths.get("lkst.trace");
    final List<String> command = new ArrayList<>();
    String bufferSize = DEFAULT_BUFFER;
    boolean follow;
    final List<Integer> pids = new ArrayList<>();
    boolean children;
    /** --ship-to: the Kafka topic the trace is shipped to as it is written, or null. */
    String shipTo;
    /** -h or --help: the usage, nothing else. */
    boolean help;
    /** The loss warning of the run, printed last; null when nothing worth saying was lost. */
    String warning;

    /** Parses the arguments after "record"; a usage error is refused with exit 2. */
    static Record parse(String[] args) {
        Record r = new Record();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--") || !a.startsWith("-") || a.equals("-")) {
                r.command.addAll(List.of(args).subList(a.equals("--") ? i + 1 : i, args.length));
                break;
            }
            switch (a) {
                case "-h", "--help": r.help = true; return r;
                case "-F": r.follow = true; continue;
                case "-c": r.children = true; continue;
                default: break;
            }
            if (!List.of("-m", "-e", "-f", "-o", "-b", "-d", "-P", "--probe", "--ship-to").contains(a)) {
                throw Refused.usage("record: unknown option '" + a + "'; " + HINT);
            }
            if (i + 1 >= args.length) throw Refused.usage("record: " + a + " needs a value; " + HINT);
            String v = args[++i];
            switch (a) {
                case "-m": r.maskset = v; break;
                case "-e": r.events.add(new EventSelection(v)); break;
                case "-f":
                    if (r.events.isEmpty()) throw Refused.usage("record: -f '" + v + "' filters the -e before it; give -e first");
                    r.events.get(r.events.size() - 1).filter = v;
                    break;
                case "-o":
                    if (v.isEmpty()) throw Refused.usage("record: -o needs a directory; " + HINT);
                    r.out = Paths.get(v);
                    break;
                case "-b": r.bufferSize = v; break;
                case "--ship-to":
                    if (!v.matches("kafka://[^/?\\s]+:\\d{1,5}(,[^/?\\s]+:\\d{1,5})*/[A-Za-z0-9._-]+(\\?.*)?")) {
                        throw Refused.usage("record: bad --ship-to '" + v + "' (kafka://HOST:PORT/TOPIC[?host=NAME&CLIENT.PROPERTY=VALUE…])");
                    }
                    r.shipTo = v;
                    break;
                case "-P":
                    for (String p : v.split(",")) {
                        try {
                            int pid = Integer.parseInt(p.trim());
                            if (pid <= 0) throw new NumberFormatException();
                            r.pids.add(pid);
                        } catch (NumberFormatException e) {
                            throw Refused.usage("record: bad pid '" + p + "' in -P (positive integers, comma-separated)");
                        }
                    }
                    break;
                case "--probe":
                    if (!v.trim().split("\\s+")[0].matches("[A-Za-z_][A-Za-z0-9_]*=[^:]+:.+")) {
                        throw Refused.usage("record: bad --probe '" + v + "' (NAME=PATH:SYMBOL [FETCHARGS])");
                    }
                    r.probes.add(v.trim());
                    break;
                default: // -d
                    try {
                        r.seconds = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        r.seconds = Double.NaN;
                    }
                    if (!(r.seconds > 0) || Double.isInfinite(r.seconds)) {
                        throw Refused.usage("record: bad duration '" + v + "' (seconds > 0); " + HINT);
                    }
                    break;
            }
        }
        if (r.command.isEmpty() && r.seconds < 0) throw Refused.usage("record: give -d SECONDS or a COMMAND to trace; " + HINT);
        if (r.follow && r.command.isEmpty()) throw Refused.usage("record: -F follows COMMAND; give one");
        if (r.follow && !r.pids.isEmpty()) throw Refused.usage("record: give -F or -P, not both");
        if (r.children && r.pids.isEmpty()) throw Refused.usage("record: -c follows the children of -P PIDs; give -P");
        for (EventSelection e : r.events) {
            if (e.isUprobe() && r.probes.stream().noneMatch(p -> p.startsWith(e.spec.substring("uprobes:".length()) + "="))) {
                throw Refused.usage("record: -e " + e.spec + " needs --probe " + e.spec.substring(8) + "=PATH:SYMBOL before it");
            }
        }
        return r;
    }

    /**
     * Everything that can be checked without the runtime: the buffer size (with the buffers' own size parser,
     * {@code sizes}), the command, the pids, the probes' programs, the tracepoints, the trace directory.
     */
    void check(java.util.function.ToLongFunction<String> sizes) throws IOException {
        try {
            sizes.applyAsLong(bufferSize);
        } catch (IllegalArgumentException e) {
            throw Refused.usage("record: -b: " + e.getMessage());
        }
        if (!command.isEmpty()) Workload.check(command.get(0));
        for (int pid : pids) {
            if (!Files.isDirectory(Path.of("/proc", Integer.toString(pid)))) throw new Refused(1, "no process " + pid + " (-P)");
        }
        for (String p : probes) {
            String target = p.split("\\s+")[0];
            Path program = Path.of(target.substring(target.indexOf('=') + 1, target.lastIndexOf(':')));
            if (!Files.isRegularFile(program)) throw new Refused(1, "--probe " + target + ": no such program " + program);
        }
        List<String> available = null;
        for (EventSelection e : events) {
            if (!e.kernelForm()) continue;
            if (available == null) available = EventSelection.available();
            e.expand(available);
        }
        checkDirectory(out.toAbsolutePath().normalize());
    }

    private static void checkDirectory(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent == null) throw new Refused(1, "cannot write a trace to " + dir + "; give another -o DIR");
        if (!Files.isDirectory(parent)) throw new Refused(1, "no directory " + parent + " to write " + dir.getFileName() + " in (-o)");
        try {
            Files.delete(Files.createTempFile(parent, ".lkst-", ".probe"));
        } catch (IOException | SecurityException e) {
            throw new Refused(1, "cannot write in " + parent + " (-o): " + reason(e));
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new Refused(1, dir + " exists and is not a directory; give another -o DIR");
        }
        if (!isEmptyOrTrace(dir)) throw new Refused(1, dir + " exists and is not a trace directory; give another -o DIR");
        Path old = sibling(dir, OLD);
        if (Files.exists(old) && (!Files.isDirectory(old) || !isEmptyOrTrace(old))) {
            throw new Refused(1, old + " exists and is not a trace directory; move it away first");
        }
    }

    private static boolean isEmptyOrTrace(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return true;
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty() || Files.exists(dir.resolve(TRACE_META));
        }
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return "not writable";
    }

    /** Runs the recording; refuses (changing nothing on disk) when the runtime finds an argument bad. */
    int run(Path home, Path bundles, PrintStream out, PrintStream err) throws Exception {
        Interrupt interrupt = Interrupt.install();
        Path dir = this.out.toAbsolutePath().normalize();
        // The buffers live in a directory of their own (kept after a crash: recover it); the logger drains them into
        // DIR as they fill, in discard mode so that a logger falling behind shows as lost records, never as
        // silently overwritten ones. Tracing starts stopped: nothing is recorded before the run's maskset is selected.
        Path leftover = sibling(dir, BUFFERS);
        Path buffers = leftover;
        for (int n = 1; Files.exists(buffers); n++) buffers = sibling(dir, BUFFERS + "." + n); // a crash's, for recover
        Map<String, String> props = Map.of(RuntimeProperties.TRACE_DIR, buffers.toString(),
                RuntimeProperties.TRACING, RuntimeProperties.TRACING_STOPPED,
                RuntimeProperties.BUFFERS_MODE, BufferMode.DISCARD.toString(), RuntimeProperties.BUFFERS_SIZE, bufferSize,
                "felix.fileinstall.poll", DEPLOY_POLL_MS);
        Workload work = new Workload(command, seconds);
        try (LkstRuntime rt = LkstRuntime.start(home, bundles, false, props)) {
            Tracer tracer = rt.service(Tracer.class);
            KernelControl kernel = rt.service(KernelControl.class);
            Buffers recording = rt.service(Buffers.class);
            String unavailable = kernel.unavailable();
            if (unavailable != null && (follow || !pids.isEmpty() || !probes.isEmpty()
                    || events.stream().anyMatch(e -> !e.catalogName() || e.isUprobe()))) {
                throw new Refused(1, firstLine(unavailable));
            }
            String maskset = setUp(tracer, kernel);
            if (interrupt.signal() != null) throw new Refused(130, "stopped by " + interrupt.signal() + " before tracing started; nothing changed");
            movePrevious(dir, leftover, buffers, err);
            refuse(null, () -> recording.logStart(dir, (long) LOG_FILE_MB << 20, LOG_FILES));
            if (shipTo != null) ship(rt, "lkst:ship start " + quote(shipTo), "--ship-to " + shipTo);
            if (unavailable != null) err.println("lkst: " + firstLine(unavailable));
            // The command starts held, so that its pid is known before it runs: LKST/J keeps the processes its JVM
            // starts out of the trace (event-fork on its own threads), so the command is named for tracing before it
            // execs, and with -F it is also the only process traced, with what it forks.
            long pid = work.start(true);
            if (pid > 0 && unavailable == null) refuse(null, () -> kernel.traceProcess((int) pid));
            if (follow) refuse(null, () -> traceOnly(kernel, List.of((int) pid), true));
            else if (!pids.isEmpty()) refuse(null, () -> traceOnly(kernel, pids, children));
            refuse(null, () -> tracer.select(maskset));
            JitSettle.await(JIT_SETTLE_MAX_MS);
            tracer.start();
            long t0 = System.nanoTime();
            work.release();
            int exit = work.await(interrupt);
            long ns = System.nanoTime() - t0;
            tracer.stop(); // delivers what the kernel still holds first
            String status = tracer.status().text();
            LogStatus log = recording.logStop();
            err.printf("lkst: traced %.3f s into %s; %s%n", ns / 1e9, dir, work.end());
            err.println(status);
            err.println(log.text());
            if (shipTo != null) err.println(ship(rt, "lkst:ship stop", "--ship-to " + shipTo)); // what was logged, shipped: waits for the topic
            warning = lossWarning(dir, log.records());
            return exit;
        } finally {
            work.abandon();
            deleteTree(buffers);
        }
    }

    /**
     * How often FileInstall looks at deploy/ during a recording (the interactive runtime: 200 ms): its configuration
     * is read before tracing starts, and a look every 200 ms was 10 of LKST/J's own context switches per traced second.
     */
    static final String DEPLOY_POLL_MS = "2000";
    /** Longest wait for the JIT to finish compiling start-up code before tracing starts ({@link JitSettle}). */
    static final long JIT_SETTLE_MAX_MS = 1500;

    /** Log files of up to 256 MiB, and so many that none is ever dropped: record keeps everything. */
    static final int LOG_FILE_MB = 256;
    static final int LOG_FILES = 100_000;
    /** Beside the trace directory DIR: the buffers it is drained from ({@code DIR.buffers}) and the previous trace. */
    static final String BUFFERS = ".buffers";
    static final String OLD = ".old";
    /** Files of a trace directory (lkst.buffers writes them): what makes a folder a trace, and what it lacks. */
    static final String TRACE_META = "trace.meta";
    static final String TRACE_LOST = "trace.lost";

    /** Builds the run's private maskset from -m and -e (and the probes and filters they need); returns its name. */
    private String setUp(Tracer tracer, KernelControl kernel) {
        String name = ".record-" + ProcessHandle.current().pid();
        // from -m, else the -e events alone, else what the user traces now (the selected maskset)
        String base = maskset != null ? maskset : !events.isEmpty() ? "off" : tracer.status().maskset();
        refuse("-m " + maskset, () -> tracer.copy(base, name));
        for (String p : probes) {
            String[] parts = p.split("\\s+");
            int eq = parts[0].indexOf('=');
            String target = Path.of(parts[0].substring(eq + 1)).toAbsolutePath().toString();
            List<String> fetchArgs = List.of(parts).subList(1, parts.length);
            refuse("--probe " + parts[0], () -> kernel.addProbe(parts[0].substring(0, eq), target, fetchArgs));
        }
        for (EventSelection e : events) {
            List<String> names = new ArrayList<>(e.tracepoints);
            for (String tp : e.tracepoints) refuse("-e " + e.spec, () -> kernel.addTracepoint(tp));
            if (e.catalogName()) names.add(e.spec);
            for (String n : names) refuse("-e " + e.spec, () -> tracer.set(name, n, EventHandler.RECORD_ID));
            if (e.filter != null) {
                List<String> filtered = e.catalogName() && !e.isUprobe() ? tracepointsOf(tracer, e.spec) : names;
                for (String tp : filtered) refuse("-f " + e.filter, () -> filter(kernel, tp, e.filter));
            }
        }
        return name;
    }

    /** The kernel tracepoints that make LKST event {@code name} (for its -f). */
    private static List<String> tracepointsOf(Tracer tracer, String name) {
        List<String> out = refuse(null, () -> tracer.event(name)).tracepoints();
        if (out.isEmpty()) throw new Refused(1, "-f: " + name + " is not a kernel event; -f filters kernel events");
        return out;
    }

    private static Void filter(KernelControl kernel, String tracepoint, String filter) {
        kernel.filter(tracepoint, filter);
        return null;
    }

    private static Void traceOnly(KernelControl kernel, List<Integer> pids, boolean children) {
        kernel.traceOnly(pids, children);
        return null;
    }

    /**
     * Runs a step of the run's set-up; its refusal refuses the run, named by the argument that asked for it, with the
     * shell's hints rewritten for a person at the command line.
     */
    private static <T> T refuse(String argument, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            String msg = String.valueOf(e.getMessage()).replace(" (lkst:events lists them)", " (./lkst -c 'lkst:events' lists them)")
                    .replace(" (lkst:maskset list shows them)", " (./lkst -c 'lkst:maskset' lists them)");
            throw new Refused(1, (argument == null ? "" : argument + ": ") + msg);
        }
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse(text).trim();
    }

    /** As perf does with perf.data: the previous trace becomes DIR.old, with the buffers a crash left of it. */
    private static void movePrevious(Path dir, Path leftover, Path buffers, PrintStream err) throws IOException {
        Path old = sibling(dir, OLD);
        if (Files.isDirectory(dir) && !isEmptyDir(dir)) {
            deleteTree(old);
            Files.move(dir, old);
            err.println("lkst: the previous trace in " + dir + " is now " + old);
        }
        if (!leftover.equals(buffers) && Files.exists(leftover)) {
            Path oldBuffers = sibling(dir, OLD + BUFFERS);
            deleteTree(oldBuffers);
            Files.move(leftover, oldBuffers);
            err.println("lkst: the buffers a crash left in " + leftover + " are now " + oldBuffers + " (./lkst recover reads them)");
        }
    }

    /**
     * Loss is loud, as in perf: more than 1 % of the events lost (trace.lost: in the kernel and in full buffers)
     * gets a warning that says how many and what to change.
     */
    String lossWarning(Path dir, long written) {
        long lost = 0;
        try {
            for (String l : Files.readAllLines(dir.resolve(TRACE_LOST))) {
                String[] f = l.trim().split("\\s+");
                if (!l.startsWith("#") && f.length == 4 && f[0].equals("cpu")) lost += Long.parseLong(f[3]);
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        if (lost == 0 || lost <= LOUD_LOSS * (written + lost)) return null;
        return String.format("lkst: warning: %,d of %,d events were lost (%.1f %%): give larger buffers (-b, now %s) or trace"
                + " fewer events (fewer -e, a -f filter, -F or -P)", lost, written + lost, 100.0 * lost / (written + lost), bufferSize);
    }

    static Path sibling(Path dir, String suffix) {
        return dir.resolveSibling(dir.getFileName() + suffix);
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path p) {
        java.io.File[] children = p.toFile().listFiles();
        if (children != null) for (java.io.File c : children) deleteTree(c.toPath());
        p.toFile().delete();
    }

    /**
     * A command of the fleet bundle (lkst.ship), which has no API package the launcher shares: run through the shell
     * as {@code -c} would; its failure refuses the run, named by {@code argument}. Returns its result as text.
     */
    private static String ship(LkstRuntime rt, String command, String argument) throws Exception {
        try (Batch shell = new Batch(rt.framework.getBundleContext(), System.out, System.err)) {
            return shell.text(command);
        } catch (IllegalArgumentException e) {
            throw new Refused(1, argument + ": " + e.getMessage());
        }
    }

    /** {@code s} as one Gogo argument. */
    static String quote(String s) {
        if (s.indexOf('\'') < 0) return "'" + s + "'";
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + "\"";
    }
}
