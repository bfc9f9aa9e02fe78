package lkst.buffers.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.buffers.api.BufferMode;
import lkst.buffers.files.IoErrors;
import lkst.buffers.files.TraceFormatException;
import lkst.buffers.ring.BufferDescriptor;
import lkst.buffers.ring.RecordDescriptor;

/**
 * The metadata file {@value #FILE} that makes a trace directory self-describing: format version, clock, CPU
 * count, the record and file layouts, the buffers and the event catalog with every field layout. UTF-8 text, one
 * item per line, tab-separated; {@code field} lines belong to the {@code event} line above them:
 *
 * <pre>
 * format   lkst-trace  2         (1: written before the kernel/ folder existed; read as well)
 * clock    mono  OFFSET            CLOCK_MONOTONIC nanoseconds (System.nanoTime, the ftrace "mono" clock); OFFSET
 *                                   (optional): ns to add to one to get CLOCK_REALTIME ns since 1970, as it was
 *                                   when the trace was made (0 or absent: not known)
 * cpus     8
 * layout   buffer-file header=4096 magic=LKSTBUF1 …   (documentation: see BufferDescriptor)
 * layout   record header=32 …                          (documentation: see RecordDescriptor)
 * buffer   CPU  ID  CAPACITY  MODE  NEXT  FILE
 * event    ID  NAME  CATEGORY  SOURCE  STANDARD  GROUPS  TRACEPOINTS  FIELDS   (lists comma-separated, "-" when
 *                                                                          empty; FIELDS: how many field lines follow)
 * field    NAME  TYPE  OFFSET  SIZE  ELEMENT                             (offset -1: JVM encoding; element "-")
 * # end                                                                   (the last line: the file is whole)
 * </pre>
 * A file cut short (no end line, or a last line without its newline) is read up to the cut by
 * {@link #read(Path, TraceDamage)}: the events it still describes completely are kept, and the cut is reported.
 * Files written before the end line and the field count existed are read as they are.
 */
public record TraceMetadata(int version, String clock, long realtimeOffset, int cpus, List<BufferEntry> buffers,
                            List<EventType> events) {
    public static final String FILE = "trace.meta";
    /** 2: the directory may hold a {@link KernelFolder}; version 1 traces (without it) are read as they are. */
    public static final int VERSION = 2;
    /** The oldest version this reader reads. */
    public static final int OLDEST_VERSION = 1;
    public static final String CLOCK = "mono";
    /** The last line of a whole file. */
    static final String END = "# end";

    /** CLOCK_REALTIME − CLOCK_MONOTONIC now, in ns: what {@code realtimeOffset} records for a new trace. */
    public static long realtimeOffsetNow() {
        java.time.Instant now = java.time.Instant.now();
        long mono = System.nanoTime();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - mono;
    }

    /** One buffer of the trace and the file holding it. */
    public record BufferEntry(int cpu, int id, int capacity, BufferMode mode, int next, String file) {}

    public TraceMetadata {
        buffers = List.copyOf(buffers);
        events = List.copyOf(events);
    }

    public byte[] encode() {
        StringBuilder s = new StringBuilder();
        s.append("# LKST/J trace metadata: one item per line, tab-separated; see lkst.buffers.trace.TraceMetadata\n");
        s.append("format\tlkst-trace\t").append(version).append('\n');
        s.append("clock\t").append(clock).append('\t').append(realtimeOffset).append('\n');
        s.append("cpus\t").append(cpus).append('\n');
        s.append("layout\t").append(BufferDescriptor.layout()).append('\n');
        s.append("layout\t").append(RecordDescriptor.layout()).append('\n');
        for (BufferEntry b : buffers) {
            s.append("buffer\t").append(b.cpu()).append('\t').append(b.id()).append('\t').append(b.capacity()).append('\t')
                    .append(b.mode()).append('\t').append(b.next()).append('\t').append(b.file()).append('\n');
        }
        for (EventType t : events) {
            s.append("event\t").append(t.id()).append('\t').append(t.name()).append('\t').append(clean(t.category())).append('\t')
                    .append(t.source()).append('\t').append(t.standard() ? 1 : 0).append('\t').append(list(t.groups()))
                    .append('\t').append(list(t.tracepoints())).append('\t').append(t.fields().size()).append('\n');
            for (Field f : t.fields()) {
                s.append("field\t").append(f.name()).append('\t').append(f.type()).append('\t').append(f.offset()).append('\t')
                        .append(f.size()).append('\t').append(f.element() == null ? "-" : f.element().toString()).append('\n');
            }
        }
        s.append(END).append('\n');
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String clean(String s) { return s.isEmpty() ? "-" : s.replaceAll("[\\t\\n\\r,]", " "); }

    private static String list(List<String> l) { return l.isEmpty() ? "-" : String.join(",", l.stream().map(TraceMetadata::clean).toList()); }

    private static List<String> unlist(String s) { return s.equals("-") ? List.of() : Arrays.asList(s.split(",")); }

    /** Reads {@code dir/trace.meta}; any problem, a truncated file too, is a {@link TraceFormatException} naming the file and line. */
    public static TraceMetadata read(Path dir) {
        return read(dir, null);
    }

    /**
     * Reads {@code dir/trace.meta}. A file cut short is read up to the cut when {@code damage} is given (the cut is
     * reported there; an event whose field lines were cut off is left out), else it is an error. Any other problem
     * is a {@link TraceFormatException} naming the file and line.
     */
    public static TraceMetadata read(Path dir, TraceDamage damage) {
        Path file = dir.resolve(FILE);
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TraceFormatException(name, "missing: " + dir + " is not a trace directory (no " + FILE + ")");
        } catch (IOException e) {
            throw new TraceFormatException(name, "cannot read: " + IoErrors.text(e));
        }
        if (bytes.length == 0) throw new TraceFormatException(name, 0, "empty file");
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        // the last element is "" after a final newline, else a line the cut left incomplete: not read
        int complete = lines.length - 1;
        String cut = bytes[bytes.length - 1] != '\n' ? "truncated at byte " + bytes.length + " (its last line is incomplete)" : null;
        int version = -1;
        String clock = null;
        long realtimeOffset = 0;
        int cpus = -1;
        boolean end = false;
        boolean counted = false; // event lines say how many fields follow (files written since the end line exists)
        List<BufferEntry> buffers = new ArrayList<>();
        List<EventType> events = new ArrayList<>();
        EventType open = null;
        int openFields = -1;
        int openLine = 0;
        List<Field> fields = new ArrayList<>();
        long offset = 0;
        for (int n = 0; n < complete; n++) {
            String line = lines[n];
            long lineOffset = offset;
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
            if (line.equals(END)) end = true;
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] c = line.split("\t", -1);
            try {
                switch (c[0]) {
                    case "format":
                        need(c, 3);
                        if (!c[1].equals("lkst-trace")) throw new IllegalArgumentException("not a LKST/J trace");
                        version = Integer.parseInt(c[2]);
                        if (version < OLDEST_VERSION || version > VERSION) throw new IllegalArgumentException("unsupported format version " + version + " (this reader knows " + OLDEST_VERSION + " to " + VERSION + ")");
                        break;
                    case "clock":
                        need(c, 2);
                        clock = c[1];
                        if (c.length > 2) realtimeOffset = Long.parseLong(c[2]);
                        break;
                    case "cpus":
                        need(c, 2);
                        cpus = Integer.parseInt(c[1]);
                        if (cpus <= 0 || cpus > 65536) throw new IllegalArgumentException("bad cpu count " + cpus);
                        break;
                    case "layout": break;
                    case "buffer":
                        need(c, 7);
                        buffers.add(new BufferEntry(Integer.parseInt(c[1]), Integer.parseInt(c[2]), Integer.parseInt(c[3]),
                                BufferMode.parse(c[4]), Integer.parseInt(c[5]), c[6]));
                        break;
                    case "event":
                        need(c, 8);
                        if (open != null) events.add(closed(open, fields, openFields, openLine));
                        fields = new ArrayList<>();
                        open = new EventType(Integer.parseInt(c[1]), c[2], c[3], source(c[4]), c[5].equals("1"),
                                unlist(c[6]), unlist(c[7]), List.of(), null);
                        openFields = c.length > 8 ? Integer.parseInt(c[8]) : -1;
                        if (openFields < -1 || openFields > 65535) throw new IllegalArgumentException("bad field count " + openFields);
                        counted |= openFields >= 0;
                        openLine = n + 1;
                        break;
                    case "field":
                        need(c, 6);
                        if (open == null) throw new IllegalArgumentException("field before any event");
                        int fieldOffset = Integer.parseInt(c[3]);
                        int size = Integer.parseInt(c[4]);
                        if (fieldOffset < -1 || fieldOffset > 65535 || size < -1 || size > 65535) throw new IllegalArgumentException("bad field offset or size");
                        fields.add(new Field(c[1], FieldType.parse(c[2]), fieldOffset, size, c[5].equals("-") ? null : FieldType.parse(c[5])));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown item '" + shorten(c[0]) + "'");
                }
            } catch (IllegalArgumentException e) { // NumberFormatException too
                throw new TraceFormatException(name, lineOffset, "line " + (n + 1) + ": " + e.getMessage());
            }
        }
        if (cut == null && !end && counted) cut = "truncated at byte " + bytes.length + " (no end line)";
        if (cut != null && damage == null) throw new TraceFormatException(name, bytes.length, cut);
        if (open != null) {
            if (cut != null && openFields >= 0 && fields.size() != openFields || cut != null && openFields < 0) {
                open = null; // its field lines may be cut off: its records are not read (the damage counts them)
            } else {
                try {
                    events.add(closed(open, fields, openFields, openLine));
                } catch (IllegalArgumentException e) {
                    throw new TraceFormatException(name, 0, "line " + openLine + ": " + e.getMessage());
                }
            }
        }
        if (version < 0) throw new TraceFormatException(name, 0, (cut != null ? cut + ": " : "") + "no format line: not a LKST/J trace metadata file");
        if (clock == null || cpus < 0) throw new TraceFormatException(name, 0, (cut != null ? cut + ": " : "") + "incomplete: no " + (clock == null ? "clock" : "cpus") + " line");
        if (cut != null) damage.metadataTruncated(name, bytes.length, cut);
        return new TraceMetadata(version, clock, realtimeOffset, cpus, buffers, events);
    }

    /** The event with its fields, when as many as its line announced (-1: not announced). */
    private static EventType closed(EventType open, List<Field> fields, int announced, int line) {
        if (announced >= 0 && fields.size() != announced) {
            throw new IllegalArgumentException("event " + shorten(open.name()) + " (line " + line + ") announces " + announced + " fields, " + fields.size() + " follow");
        }
        return open.withFields(fields);
    }

    private static void need(String[] c, int n) {
        if (c.length < n) throw new IllegalArgumentException("'" + shorten(c[0]) + "' needs " + (n - 1) + " values, has " + (c.length - 1));
    }

    private static String shorten(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }

    private static EventSource source(String s) {
        for (EventSource v : EventSource.values()) if (v.toString().equals(s)) return v;
        throw new IllegalArgumentException("unknown event source '" + shorten(s) + "'");
    }
}
