package lkst.buffers.tool;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import lkst.buffers.ctf.CtfExport;
import lkst.buffers.files.TraceFormatException;
import lkst.buffers.recover.Recovery;
import lkst.buffers.trace.TraceDamage;
import lkst.buffers.trace.TraceDirectory;
import lkst.buffers.trace.TraceReader;

/**
 * The trace tools without OSGi:
 * <pre>
 * java -cp lkst.core.jar:lkst.buffers.jar lkst.buffers.tool.Main print [--json] DIR
 * java -cp lkst.core.jar:lkst.buffers.jar lkst.buffers.tool.Main stats DIR
 * java -cp lkst.core.jar:lkst.buffers.jar lkst.buffers.tool.Main recover DIR [-o OUT]
 * java -cp lkst.core.jar:lkst.buffers.jar lkst.buffers.tool.Main ctf DIR [-o OUT]
 * java -cp lkst.core.jar:lkst.buffers.jar lkst.buffers.tool.Main view [--time rel|mono|wall] DIR [-o FILE.html]
 * </pre>
 * Exit codes: 0 every record was read (a damaged {@code trace.lost} is a warning line on stderr); 1 the input
 * is damaged or no trace: what could be read was printed, counted or written, and each damaged file is one line
 * on stderr naming it and the offset (a directory without readable {@code trace.meta}: one line, nothing else);
 * 2 bad command line (unknown option, missing or extra argument, an output {@code -o} that is not empty or cannot
 * be created); 3 anything else. Every message is a line on stderr starting {@code lkst: }, never a stack trace;
 * a command that fails before it finishes removes what it wrote. {@code -h} or {@code --help} prints the
 * command's usage to stdout (exit 0).
 */
public final class Main {
    public static final int OK = 0;
    public static final int BAD_INPUT = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;

    static final String USAGE_TEXT = "usage: lkst print [--json] DIR | stats DIR | recover DIR [-o OUT] | ctf DIR [-o OUT] | report [--json] DIR | view [--time rel|mono|wall] DIR [-o FILE.html]";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; everything it prints goes to {@code out} and {@code err}. Never throws. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        OutputDir[] written = new OutputDir[1];
        try {
            if (args == null || args.length == 0) return usage(err, null, "no command");
            String command = args[0];
            switch (command) {
                case "print": case "stats": case "recover": case "ctf": case "report": case "view": case "tail":
                    break;
                case "-h": case "--help": case "help":
                    out.println(USAGE_TEXT);
                    return OK;
                default:
                    return usage(err, null, "unknown command '" + printable(command) + "'");
            }
            CommandLine cl;
            try {
                cl = CommandLine.parse(args);
            } catch (CommandLine.Usage e) {
                return usage(err, command, e.getMessage());
            }
            if (cl.help) {
                out.println(CommandLine.usage(command));
                return OK;
            }
            switch (command) {
                case "print": return Printer.print(cl, out, err);
                case "tail": return Tail.tail(cl, out, err);
                case "stats": return stats(cl, out, err);
                case "recover": return recover(cl, out, err, written);
                case "report": return report(cl, out, err);
                case "view": return view(cl, out, err);
                default: return ctf(cl, out, err, written);
            }
        } catch (TraceFormatException | UncheckedIOException e) {
            return fail(out, err, written[0], e.getMessage(), BAD_INPUT);
        } catch (Throwable e) {
            return fail(out, err, written[0], "failed: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), FAILED);
        }
    }

    private static int fail(PrintStream out, PrintStream err, OutputDir written, String message, int code) {
        if (written != null) written.discard();
        out.flush();
        err.println("lkst: " + printable(message));
        return code;
    }

    /** One line, whatever bytes a corrupt file put into the message. */
    static String printable(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}\\x{FFFD}]", "?");
    }

    private static int usage(PrintStream err, String command, String why) {
        err.println("lkst: " + (command == null ? "" : command + ": ") + printable(why) + " (" + CommandLine.usage(command == null ? "" : command) + ")");
        return USAGE;
    }

    /**
     * After a command read what it could: the warnings, then one line per damaged file (each "lkst: FILE: …");
     * exit 1 when a record could not be read, else 0.
     */
    static int damage(TraceReader reader, PrintStream out, PrintStream err) {
        out.flush();
        TraceDamage d = reader.damage();
        for (String w : d.warnings()) err.println("lkst: warning: " + printable(w));
        for (String p : d.problems()) err.println("lkst: " + printable(p));
        return d.any() ? BAD_INPUT : OK;
    }

    private static int stats(CommandLine cl, PrintStream out, PrintStream err) {
        TraceReader reader = TraceReader.open(cl.dir);
        Stats.print(reader, out);
        return damage(reader, out, err);
    }

    /** Where the time went: lkst.buffers.report.Report. */
    private static int report(CommandLine cl, PrintStream out, PrintStream err) {
        TraceReader reader = TraceReader.open(cl.dir);
        lkst.buffers.report.Report.print(reader, cl.json, out);
        return damage(reader, out, err);
    }

    /** The trace as one HTML page (default FILE: DIR.html beside it): lkst.buffers.view.View. */
    private static int view(CommandLine cl, PrintStream out, PrintStream err) {
        TraceReader reader = TraceReader.open(cl.dir);
        long offset = reader.metadata().realtimeOffset();
        if (cl.time == TimeScale.WALL && offset == 0) {
            err.println("lkst: view: --time wall: " + lkst.buffers.trace.TraceMetadata.FILE + " does not record the CLOCK_REALTIME offset"
                    + " of this trace (made by an older LKST/J): use --time mono or rel");
            return USAGE;
        }
        Path abs = cl.dir.toAbsolutePath().normalize();
        Path page = cl.out != null ? cl.out : abs.resolveSibling(abs.getFileName() + ".html");
        Path part;
        try {
            part = lkst.buffers.view.View.claim(page);
        } catch (IllegalArgumentException e) {
            err.println("lkst: view: " + printable(e.getMessage()));
            return USAGE;
        }
        lkst.buffers.view.View.Result r = lkst.buffers.view.View.write(reader, cl.time.name().toLowerCase(java.util.Locale.ROOT), offset, part, page);
        out.printf("%s: %d events, %d cpus, %d tasks, %d slices, %.1f MB%n", r.page(), r.events(), r.cpus(), r.tasks(), r.slices(), r.bytes() / 1e6);
        return damage(reader, out, err);
    }

    /** Writes the trace as CTF 1.8 (default OUT: DIR.ctf beside it) and says what it wrote. */
    private static int ctf(CommandLine cl, PrintStream out, PrintStream err, OutputDir[] written) {
        TraceReader reader = TraceReader.open(cl.dir);
        OutputDir to;
        try {
            to = OutputDir.claim(cl.out != null ? cl.out : TraceDirectory.sibling(cl.dir, TraceDirectory.CTF));
        } catch (CommandLine.Usage e) {
            err.println("lkst: ctf: " + printable(e.getMessage()));
            return USAGE;
        }
        written[0] = to;
        CtfExport.Result r = CtfExport.export(reader, to.path);
        StringBuilder s = new StringBuilder("CTF 1.8 trace ").append(r.out()).append(':');
        r.events().forEach((cpu, n) -> s.append(" cpu").append(cpu).append(' ').append(n).append(" events;"));
        if (r.events().isEmpty()) s.append(" no events;");
        s.setLength(s.length() - 1);
        out.println(s);
        if (r.retimed() > 0) {
            out.println(r.retimed() + " records reached their buffer more than " + CtfExport.REORDER_NS / 1_000_000
                    + " ms after a later one: written with the time of the record before them");
        }
        return damage(reader, out, err);
    }

    private static int recover(CommandLine cl, PrintStream out, PrintStream err, OutputDir[] written) {
        TraceReader reader = TraceReader.open(cl.dir);
        OutputDir to;
        try {
            to = OutputDir.claim(cl.out != null ? cl.out : Recovery.defaultOutput(cl.dir));
        } catch (CommandLine.Usage e) {
            err.println("lkst: recover: " + printable(e.getMessage()));
            return USAGE;
        }
        written[0] = to;
        Recovery.Report report = Recovery.recover(reader, to.path);
        List<String> lines = report.lines();
        for (String l : lines) out.println(l);
        return damage(reader, out, err);
    }
}
