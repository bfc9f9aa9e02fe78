package lkst.hooks.ftrace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lkst.api.Field;
import lkst.api.FieldType;

/**
 * Reads the layouts the kernel publishes in tracefs: {@code events/header_page}, {@code events/header_event} and each
 * {@code events/<sys>/<name>/format}. Types are decided from size and signedness, which the kernel states for every
 * field, not from C type names (which are endless: xfs_ino_t, dev_t …); only array and {@code __data_loc} shapes
 * are read from the declaration.
 */
public final class FormatParser {
    /** {@code field:DECL;	offset:N;	size:N;	signed:N;} */
    private static final Pattern FIELD = Pattern.compile(
            "\\s*field:\\s*(.*?);\\s*offset:\\s*(\\d+);\\s*size:\\s*(\\d+);\\s*signed:\\s*(\\d+);.*");
    /** a header_event line such as {@code type_len    :    5 bits} */
    private static final Pattern BITS = Pattern.compile("\\s*(\\w+)\\s*:\\s*(\\d+)\\s*bits.*");
    /** a header_event line such as {@code padding     : type == 29} */
    private static final Pattern TYPE = Pattern.compile("\\s*(\\w+)\\s*:\\s*type\\s*==\\s*(\\d+).*");
    private static final Pattern MAX_TYPE = Pattern.compile(".*max type_len\\s*==\\s*(\\d+).*");
    /** the last identifier of a declaration, with its optional [N] */
    private static final Pattern DECL = Pattern.compile("(.*?)\\s*\\b([A-Za-z_][A-Za-z0-9_]*)\\s*(\\[([^\\]]*)\\])?\\s*$");

    private FormatParser() {}

    /** One raw field line. */
    record RawField(String decl, int offset, int size, boolean signed) {}

    static List<RawField> rawFields(List<String> lines) {
        List<RawField> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = FIELD.matcher(line);
            if (m.matches()) {
                out.add(new RawField(m.group(1).trim(), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        m.group(4).equals("1")));
            }
        }
        return out;
    }

    /** Parses {@code header_page} and {@code header_event} texts. */
    public static PageLayout pageLayout(List<String> headerPage, List<String> headerEvent) {
        int ts = -1, commit = -1, commitSize = 8, data = -1, dataSize = -1;
        for (RawField f : rawFields(headerPage)) {
            String name = nameOf(f.decl());
            switch (name) {
                case "timestamp" -> ts = f.offset();
                case "commit" -> { commit = f.offset(); commitSize = f.size(); }
                case "data" -> { data = f.offset(); dataSize = f.size(); }
                default -> { /* "overwrite" shares the commit word: its flags are read from commit */ }
            }
        }
        if (ts < 0 || commit < 0 || data < 0) {
            throw new IllegalArgumentException("header_page lacks timestamp, commit or data: " + headerPage);
        }
        int typeLen = 5, delta = 27, padding = 29, extend = 30, stamp = 31, max = 28;
        for (String line : headerEvent) {
            Matcher b = BITS.matcher(line);
            Matcher t = TYPE.matcher(line);
            Matcher x = MAX_TYPE.matcher(line);
            if (b.matches()) {
                if (b.group(1).equals("type_len")) typeLen = Integer.parseInt(b.group(2));
                if (b.group(1).equals("time_delta")) delta = Integer.parseInt(b.group(2));
            } else if (t.matches()) {
                int v = Integer.parseInt(t.group(2));
                switch (t.group(1)) {
                    case "padding" -> padding = v;
                    case "time_extend" -> extend = v;
                    case "time_stamp" -> stamp = v;
                    default -> { }
                }
            } else if (x.matches()) {
                max = Integer.parseInt(x.group(1));
            }
        }
        return new PageLayout(ts, commit, commitSize, data, dataSize, typeLen, delta, padding, extend, stamp, max);
    }

    public static PageLayout pageLayout(Path tracefsRoot) throws IOException {
        return pageLayout(lines(tracefsRoot.resolve("events/header_page")),
                lines(tracefsRoot.resolve("events/header_event")));
    }

    /** Parses an event's {@code format} file text. */
    public static EventFormat event(String system, List<String> lines) {
        String name = null;
        int id = -1;
        int pidOffset = -1;
        String printFmt = "";
        for (String line : lines) {
            if (line.startsWith("name:")) name = line.substring(5).trim();
            else if (line.startsWith("ID:")) id = Integer.parseInt(line.substring(3).trim());
            else if (line.startsWith("print fmt:")) printFmt = line.substring(10).trim();
        }
        List<Field> fields = new ArrayList<>();
        for (RawField f : rawFields(lines)) {
            String fieldName = nameOf(f.decl());
            if (fieldName.equals("common_pid")) pidOffset = f.offset();
            if (fieldName.startsWith("common_")) continue;
            fields.add(field(f));
        }
        if (name == null || id < 0 || pidOffset < 0) {
            throw new IllegalArgumentException("format of " + system + " lacks name, ID or common_pid");
        }
        return new EventFormat(system, name, id, fields, pidOffset, printFmt);
    }

    /** Reads {@code events/<sys>/<name>/format} under {@code eventsDir}. */
    public static EventFormat event(Path eventsDir, String system, String name) throws IOException {
        return event(system, lines(eventsDir.resolve(system).resolve(name).resolve("format")));
    }

    static String nameOf(String decl) {
        Matcher m = DECL.matcher(decl);
        if (!m.matches()) throw new IllegalArgumentException("cannot read field declaration '" + decl + "'");
        return m.group(2);
    }

    /** The schema field of one format line. */
    static Field field(RawField f) {
        Matcher m = DECL.matcher(f.decl());
        if (!m.matches()) throw new IllegalArgumentException("cannot read field declaration '" + f.decl() + "'");
        String ctype = m.group(1).trim();
        String name = m.group(2);
        String dim = m.group(4);
        if (ctype.startsWith("__data_loc")) {
            // a u32 at the offset: (length << 16) | offset of the data inside the record
            String elem = ctype.substring("__data_loc".length()).replace("[]", "").trim();
            if (isChar(elem)) return Field.at(name, FieldType.STRING, f.offset(), f.size());
            return new Field(name, FieldType.BYTES, f.offset(), f.size(), elementOf(elem, 0, f.signed()));
        }
        if (ctype.startsWith("__rel_loc")) {
            // like __data_loc but relative to the end of the word; not used by this kernel's tracepoints: kept raw
            return new Field(name, FieldType.ARRAY, f.offset(), f.size(), FieldType.U8);
        }
        if (dim != null) {
            int count = parseCount(dim);
            if (isChar(ctype) && (count <= 0 || f.size() == count)) return Field.at(name, FieldType.CHARS, f.offset(), f.size());
            int elemSize = count > 0 && f.size() % count == 0 ? f.size() / count : 0;
            return new Field(name, FieldType.ARRAY, f.offset(), f.size(), elementOf(ctype, elemSize, f.signed()));
        }
        FieldType t = integer(f.size(), f.signed());
        if (t == null) return new Field(name, FieldType.ARRAY, f.offset(), f.size(), FieldType.U8); // struct by value
        return Field.at(name, t, f.offset(), f.size());
    }

    private static boolean isChar(String ctype) {
        String t = ctype.replace("const", "").replace("signed", "").replace("unsigned", "").trim();
        return t.equals("char");
    }

    private static int parseCount(String dim) {
        try {
            return Integer.parseInt(dim.trim());
        } catch (NumberFormatException e) {
            return -1; // symbolic or flexible: sized from the field size alone
        }
    }

    /** The element type of an array (the kernel's signed flag is the element's): sized from the count, else the C type. */
    private static FieldType elementOf(String ctype, int size, boolean signed) {
        if (size <= 0) size = cSize(ctype);
        FieldType t = integer(size, signed);
        return t == null ? FieldType.U8 : t;
    }

    private static int cSize(String ctype) {
        if (ctype.contains("*") || ctype.matches(".*\\b(long|u64|s64|__u64|__s64|size_t|uint64_t|int64_t)\\b.*")) return 8;
        if (ctype.matches(".*\\b(int|u32|s32|__u32|__s32|unsigned|uint32_t|int32_t)\\b.*")) return 4;
        if (ctype.matches(".*\\b(short|u16|s16|__u16|__s16|uint16_t|int16_t)\\b.*")) return 2;
        return 1;
    }

    static FieldType integer(int size, boolean signed) {
        return switch (size) {
            case 1 -> signed ? FieldType.S8 : FieldType.U8;
            case 2 -> signed ? FieldType.S16 : FieldType.U16;
            case 4 -> signed ? FieldType.S32 : FieldType.U32;
            case 8 -> signed ? FieldType.S64 : FieldType.U64;
            default -> null;
        };
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
