package lkst.buffers.tool;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.ctf.CtfExport;
import lkst.buffers.recover.Recovery;
import lkst.buffers.trace.RecordCursor;
import lkst.buffers.trace.TraceFormatException;
import lkst.buffers.trace.TraceReader;

/**
 * The trace tools without OSGi:
 * <pre>
 * java -cp lkst.core.jar:lkst.buffers.jar lkst.buffers.tool.Main print [--json] DIR
 * java -cp lkst.core.jar:lkst.buffers.jar lkst.buffers.tool.Main recover DIR [-o OUT]
 * java -cp lkst.core.jar:lkst.buffers.jar lkst.buffers.tool.Main ctf DIR [-o OUT]
 * </pre>
 * Exit codes: 0 ok; 1 the input is not a readable trace (one line on stderr naming the file and offset);
 * 2 bad command line; 3 anything else (one line, never a stack trace).
 */
public final class Main {
    public static final int OK = 0;
    public static final int BAD_INPUT = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;

    static final String USAGE_TEXT = "usage: print [--json] DIR | stats DIR | recover DIR [-o OUT] | ctf DIR [-o OUT]";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; everything it prints goes to {@code out} and {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) return usage(err, "no command");
            switch (args[0]) {
                case "print": return print(args, out, err);
                case "recover": return recover(args, out, err);
                case "stats": return stats(args, out, err);
                case "ctf": return ctf(args, out, err);
                case "-h": case "--help": case "help":
                    out.println(USAGE_TEXT);
                    return OK;
                default: return usage(err, "unknown command '" + args[0] + "'");
            }
        } catch (TraceFormatException e) {
            out.flush();
            err.println("lkst: " + printable(e.getMessage()));
            return BAD_INPUT;
        } catch (UncheckedIOException e) {
            out.flush();
            err.println("lkst: " + printable(e.getMessage()));
            return BAD_INPUT;
        } catch (Throwable e) {
            out.flush();
            err.println("lkst: failed: " + printable(String.valueOf(e)));
            return FAILED;
        }
    }

    /** One line, whatever bytes a corrupt file put into the message. */
    static String printable(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}\\x{FFFD}]", "?");
    }

    private static int usage(PrintStream err, String why) {
        err.println("lkst: " + why + "; " + USAGE_TEXT);
        return USAGE;
    }

    private static int print(String[] args, PrintStream out, PrintStream err) throws IOException {
        boolean json = false;
        Path dir = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--json")) json = true;
            else if (dir == null && !args[i].startsWith("-")) dir = Paths.get(args[i]);
            else return usage(err, "unexpected argument '" + args[i] + "'");
        }
        if (dir == null) return usage(err, "print needs a trace directory");
        TraceReader reader = TraceReader.open(dir);
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        boolean asJson = json;
        Comms comms = new Comms();
        try {
            reader.forEach(RecordCursor.Torn.FAIL, record -> {
                TraceRecord r = comms.name(record);
                try {
                    w.write(asJson ? r.json() : r.text());
                    w.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write output: " + e.getMessage(), e);
                }
            });
        } finally {
            w.flush();
        }
        return OK;
    }

    /** The trace directory and the output ({@code -o}; null when not given) of "COMMAND DIR [-o OUT]". */
    private record InOut(Path dir, Path out) {}

    /** Parses "COMMAND DIR [-o OUT]"; null after printing the usage line. */
    private static InOut inOut(String[] args, PrintStream err) {
        Path dir = null;
        Path to = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("-o") && i + 1 < args.length) to = Paths.get(args[++i]);
            else if (dir == null && !args[i].startsWith("-")) dir = Paths.get(args[i]);
            else {
                usage(err, "unexpected argument '" + args[i] + "'");
                return null;
            }
        }
        if (dir == null) {
            usage(err, args[0] + " needs a trace directory");
            return null;
        }
        return new InOut(dir, to);
    }

    private static int stats(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || args[1].startsWith("-")) return usage(err, "stats needs one trace directory");
        Stats.print(TraceReader.open(Paths.get(args[1])), out);
        return OK;
    }

    /** Writes the trace as CTF 1.8 (default OUT: DIR-ctf beside it) and says what it wrote. */
    private static int ctf(String[] args, PrintStream out, PrintStream err) {
        InOut io = inOut(args, err);
        if (io == null) return USAGE;
        Path dir = io.dir();
        Path to = io.out() != null ? io.out() : dir.toAbsolutePath().resolveSibling(dir.toAbsolutePath().getFileName() + "-ctf");
        CtfExport.Result r;
        try {
            r = CtfExport.export(dir, to);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        StringBuilder s = new StringBuilder("CTF 1.8 trace ").append(r.out()).append(':');
        r.events().forEach((cpu, n) -> s.append(" cpu").append(cpu).append(' ').append(n).append(" events;"));
        if (r.events().isEmpty()) s.append(" no events;");
        s.setLength(s.length() - 1);
        out.println(s);
        if (r.retimed() > 0) {
            out.println(r.retimed() + " records reached their buffer more than " + CtfExport.REORDER_NS / 1_000_000
                    + " ms after a later one: written with the time of the record before them");
        }
        return OK;
    }

    private static int recover(String[] args, PrintStream out, PrintStream err) {
        InOut io = inOut(args, err);
        if (io == null) return USAGE;
        Recovery.Report report = Recovery.recover(io.dir(), io.out() != null ? io.out() : Recovery.defaultOutput(io.dir()));
        List<String> lines = report.lines();
        for (String l : lines) out.println(l);
        return OK;
    }
}
