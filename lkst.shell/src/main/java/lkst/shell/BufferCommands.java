package lkst.shell;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import lkst.buffers.api.BufferInfo;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.Buffers;
import lkst.buffers.api.LogStatus;
import lkst.buffers.api.TraceRecord;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code lkst} Gogo commands for the recording buffers ({@code buffer}), crash recovery ({@code recover}) and
 * the logger ({@code log}). They return data, which this component also renders for Gogo (it is the
 * {@link Converter} of the buffers' types); bad input throws one {@link IllegalArgumentException} and changes
 * nothing.
 */
@Component(service = {BufferCommands.class, Converter.class}, property = {
        "osgi.command.scope=lkst",
        "osgi.command.function=buffer", "osgi.command.function=recover", "osgi.command.function=log",
        Converter.CONVERTER_CLASSES + "=lkst.buffers.api.BufferInfo",
        Converter.CONVERTER_CLASSES + "=lkst.buffers.api.TraceRecord",
        Converter.CONVERTER_CLASSES + "=lkst.buffers.api.LogStatus"})
public final class BufferCommands implements Converter {
    static final int DEFAULT_PRINT = 100;
    static final int DEFAULT_LOG_MB = 64;
    static final int DEFAULT_LOG_FILES = 8;

    private final Buffers buffers;

    @Activate
    public BufferCommands(@Reference Buffers buffers) {
        this.buffers = buffers;
    }

    @Descriptor("list the recording buffers: cpu, id, size, mode, next, * = current, written, lost, used")
    public List<BufferInfo> buffer() { return buffers.list(); }

    @Descriptor("work on the recording buffers (per CPU; CPU may be 'all'): list"
            + " | create CPU SIZE [overwrite|discard] [ID] | delete CPU ID | switch CPU ID | chain CPU ID NEXT|none"
            + " | mode CPU ID overwrite|discard | print [MAX|all] [CPU] [ID]  (print: the newest MAX records, default 100)")
    public Object buffer(@Descriptor("list, create, delete, switch, chain, mode or print") String action,
                         @Descriptor("the action's arguments") String... args) {
        return Refusal.of(() -> {
            switch (action) {
                case "list":
                    arity(action, args, 0, 0, "");
                    return buffers.list();
                case "create": {
                    arity(action, args, 2, 4, "CPU|all SIZE [overwrite|discard] [ID]");
                    BufferMode mode = args.length > 2 ? BufferMode.parse(args[2]) : BufferMode.OVERWRITE;
                    return buffers.create(cpu(args[0]), args.length > 3 ? id(args[3]) : -1, size(args[1]), mode);
                }
                case "delete":
                    arity(action, args, 2, 2, "CPU|all ID");
                    buffers.delete(cpu(args[0]), id(args[1]));
                    return buffers.list();
                case "switch":
                    arity(action, args, 2, 2, "CPU|all ID");
                    return buffers.select(cpu(args[0]), id(args[1]));
                case "chain":
                    arity(action, args, 3, 3, "CPU|all ID NEXT|none");
                    return buffers.chain(cpu(args[0]), id(args[1]), args[2].equalsIgnoreCase("none") ? -1 : id(args[2]));
                case "mode":
                    arity(action, args, 3, 3, "CPU|all ID overwrite|discard");
                    return buffers.mode(cpu(args[0]), id(args[1]), BufferMode.parse(args[2]));
                case "print": {
                    arity(action, args, 0, 3, "[MAX|all] [CPU|all] [ID|all]");
                    int max = args.length > 0 ? (args[0].equalsIgnoreCase("all") ? 0 : count(args[0])) : DEFAULT_PRINT;
                    int cpu = args.length > 1 ? cpu(args[1]) : -1;
                    if (cpu >= buffers.cpus()) throw new IllegalArgumentException("no cpu " + cpu + " (cpus are 0.." + (buffers.cpus() - 1) + ")");
                    int id = args.length > 2 && !args[2].equalsIgnoreCase("all") ? id(args[2]) : -1;
                    if (id >= 0) existing(cpu, id);
                    return buffers.read(cpu, id, max);
                }
                default:
                    throw new IllegalArgumentException("unknown buffer action '" + action + "' (list, create, delete, switch, chain, mode, print)");
            }
        });
    }

    @Descriptor("recover a trace directory left by a JVM that died: keeps every committed record, skips torn ones,"
            + " writes DIR.recovered (a normal trace directory) and reports records and time span per CPU")
    public List<String> recover(@Descriptor("the trace directory of the dead JVM") String dir) {
        return Refusal.of(() -> {
            return buffers.recover(Paths.get(dir), null);
        });
    }

    @Descriptor("recover a trace directory left by a JVM that died (into OUT)")
    public List<String> recover(@Descriptor("the trace directory of the dead JVM") String dir,
                                @Descriptor("the directory to write the recovered trace to") String out) {
        return Refusal.of(() -> {
            return buffers.recover(Paths.get(dir), Paths.get(out));
        });
    }

    @Descriptor("show the logger: running or not, directory, records and bytes written, bytes overwritten before drained, log files")
    public LogStatus log() { return buffers.logStatus(); }

    @Descriptor("the logger, which drains every buffer into log files continuously: start DIR [MB-per-file] [files-per-cpu]"
            + " (defaults 64 and 8; the oldest file of a CPU is deleted beyond that) | stop | status")
    public LogStatus log(@Descriptor("start, stop or status") String action, @Descriptor("start: DIR [MB] [FILES]") String... args) {
        return Refusal.of(() -> {
            switch (action) {
                case "start": {
                    arity("log", action, args, 1, 3, "DIR [MB-per-file] [files-per-cpu]");
                    long mb = args.length > 1 ? count(args[1]) : DEFAULT_LOG_MB;
                    int files = args.length > 2 ? count(args[2]) : DEFAULT_LOG_FILES;
                    if (mb < 1 || files < 1) throw new IllegalArgumentException("log file size and count must be at least 1");
                    Path dir = Paths.get(args[0]);
                    return buffers.logStart(dir, mb << 20, files);
                }
                case "stop":
                    arity("log", action, args, 0, 0, "");
                    return buffers.logStop();
                case "status":
                    arity("log", action, args, 0, 0, "");
                    return buffers.logStatus();
                default:
                    throw new IllegalArgumentException("unknown log action '" + action + "' (start, stop, status)");
            }
        });
    }

    /** Refuses a buffer ID that the CPU (or, for all, every CPU) lacks, as switch, delete and chain do. */
    private void existing(int cpu, int id) {
        if (buffers.list().stream().anyMatch(b -> b.id() == id && (cpu == -1 || b.cpu() == cpu))) return;
        throw new IllegalArgumentException((cpu == -1 ? "no cpu has" : "cpu " + cpu + " has no") + " buffer " + id
                + " (lkst:buffer list shows them)");
    }

    // ------------------------------------------------------------------ parsing

    private static void arity(String action, String[] args, int min, int max, String usage) {
        arity("buffer", action, args, min, max, usage);
    }

    private static void arity(String command, String action, String[] args, int min, int max, String usage) {
        if (args.length < min || args.length > max) {
            throw new IllegalArgumentException("usage: lkst:" + command + " " + action + (usage.isEmpty() ? "" : " " + usage));
        }
    }

    private static int cpu(String text) {
        if (text.equalsIgnoreCase("all")) return -1;
        return Args.intAtLeast(text, 0, "bad cpu '" + text + "' (a cpu number, or all)");
    }

    private static int id(String text) {
        return Args.intAtLeast(text, 0, "bad buffer id '" + text + "' (a number from 0; lkst:buffer list shows them)");
    }

    private static int count(String text) {
        return Args.intAtLeast(text, 1, "bad number '" + text + "' (a positive integer)");
    }

    private static long size(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : t.endsWith("g") ? 1L << 30 : 1;
        try {
            long n = Long.parseLong(unit > 1 ? t.substring(0, t.length() - 1) : t);
            if (n > 0) return n * unit;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad size '" + text + "' (bytes, or with k, m or g: 4096, 64k, 4m)");
    }

    // ------------------------------------------------------------------ rendering

    @Override
    public Object convert(Class<?> desiredType, Object in) { return null; }

    @Override
    public CharSequence format(Object o, int level, Converter escape) {
        if (o instanceof BufferInfo b) return buffer(b);
        if (o instanceof TraceRecord r) return r.text();
        if (o instanceof LogStatus s) return level == INSPECT ? s.text() : s.line();
        return null;
    }

    static String buffer(BufferInfo b) {
        return String.format("cpu %-3d buffer %-3d %s %10s %-9s next %-4s written %-10d lost %-8d used %d", b.cpu(), b.id(),
                b.current() ? "*" : " ", size(b.size()), b.mode(), b.next() < 0 ? "-" : Integer.toString(b.next()),
                b.written(), b.lost(), b.used());
    }

    private static String size(long bytes) {
        if (bytes % (1 << 20) == 0) return (bytes >> 20) + " MiB";
        if (bytes % (1 << 10) == 0) return (bytes >> 10) + " KiB";
        return bytes + " B";
    }
}
