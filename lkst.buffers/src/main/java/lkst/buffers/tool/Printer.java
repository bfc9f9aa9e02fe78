package lkst.buffers.tool;

import java.io.PrintStream;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.ctf.CtfExport;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.TraceMetadata;
import lkst.buffers.trace.TraceReader;

/**
 * {@code print [OPTIONS] DIR}: the records one per line, merged over the CPUs' files by time as they are read
 * (one record of each file in memory, never the trace), filtered ({@link PrintFilter}) and written as they come
 * ({@link LineOutput}). It stops reading when the reader of its output has gone ({@code print DIR | head}: exit
 * 0, nothing on stderr) and once past {@code --to} (plus the {@value CtfExport#REORDER_NS} ns within which a
 * record may reach its buffer after a later one).
 */
final class Printer {
    /** Ends the reading early: no stack trace, never seen outside. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() { super(null, null, false, false); }
    }

    private final PrintOptions options;
    private final PrintFilter filter;
    private final JsonLine json;
    private final long realtimeOffset;
    private final LineOutput lines;
    private final Comms comms = new Comms();
    /** What the trace's kernel/ folder says (print formats, processes, commands); null without one. */
    private final KernelText kernel;
    private final StringBuilder line = new StringBuilder(256);
    private boolean started;
    private long first;
    private long skipped;

    Printer(PrintOptions options, PrintFilter filter, TraceMetadata meta, LineOutput lines, KernelText kernel) {
        this.options = options;
        this.filter = filter;
        this.kernel = kernel;
        this.json = options.json ? new JsonLine(meta.events(), kernel) : null;
        this.realtimeOffset = meta.realtimeOffset();
        this.lines = lines;
    }

    static int print(CommandLine cl, PrintStream out, PrintStream err) {
        PrintOptions o = cl.print;
        TraceReader reader = TraceReader.open(cl.dir);
        TraceMetadata meta = reader.metadata();
        PrintFilter filter;
        try {
            filter = PrintFilter.of(o, meta);
            if (o.time == TimeScale.WALL && meta.realtimeOffset() == 0) {
                throw new CommandLine.Usage("--time wall: " + TraceMetadata.FILE + " does not record the CLOCK_REALTIME offset"
                        + " of this trace (made by an older LKST/J): use --time mono or rel");
            }
        } catch (CommandLine.Usage e) {
            err.println("lkst: print: " + Main.printable(e.getMessage()));
            return Main.USAGE;
        }
        LineOutput lines = new LineOutput(out);
        Printer p = new Printer(o, filter, meta, lines, KernelText.of(cl.dir));
        try {
            reader.forEach(RecordCursor.Torn.FAIL, p::record);
        } catch (Stop e) {
            // the reader went away, or past --to
        }
        if (!lines.flush()) return Main.OK; // as trace-cmd report | head: quietly
        return Main.damage(reader, out, err);
    }

    /**
     * {@code r} of its process (thread group) as the kernel saved it, and named by the kernel's saved command where
     * the trace's events did not name it.
     */
    private TraceRecord process(TraceRecord r) {
        int tgid = kernel.tgid(r.tid(), r.pid());
        String comm = r.comm() != null ? r.comm() : kernel.command(r.tid());
        if (tgid == r.pid() && comm == r.comm()) return r;
        return new TraceRecord(r.time(), r.cpu(), r.buffer(), tgid, r.tid(), r.event(), r.fields(), r.lkst(), comm);
    }

    /** Filters and writes one record ({@link Tail} too); throws {@link Stop} when the output's reader went away or past --to. */
    void record(TraceRecord record) {
        TraceRecord r = comms.name(record); // every record: the scheduler events name the tasks of the others
        if (kernel != null) r = process(r);
        if (!started) {
            first = r.time();
            started = true;
        }
        long rel = r.time() - first;
        if (filter.over(rel - CtfExport.REORDER_NS)) throw new Stop();
        if (!filter.accepts(r, rel)) {
            if ((++skipped & 1023) == 0) lines.idle();
            return;
        }
        line.setLength(0);
        String body;
        long time = options.time.nanos(r.time(), first, realtimeOffset);
        if (json != null) {
            json.append(line, r, time);
        } else if (kernel != null && (body = kernel.render(r)) != null) {
            line.append(options.time == TimeScale.MONO ? TraceRecord.seconds(r.time()) : options.time.text(time));
            line.append(" [").append(r.cpu()).append("] ");
            if (r.comm() != null) line.append(r.comm()).append('-');
            line.append(r.pid()).append('/').append(r.tid()).append(' ');
            if (!r.lkst().isEmpty()) line.append(String.join(",", r.lkst())).append(' ');
            line.append(r.event()).append(' ').append(body);
        } else if (options.time == TimeScale.MONO) {
            line.append(r.text());
        } else {
            String text = r.text(); // "seconds.nanoseconds [cpu] …": the same line on another time scale
            line.append(options.time.text(time)).append(text, text.indexOf(' '), text.length());
        }
        if (!lines.line(line)) throw new Stop();
    }
}
