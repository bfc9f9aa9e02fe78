package lkst.buffers.report;

import java.util.Map;
import lkst.buffers.api.TraceRecord;

/** The numbers and names of a record's fields, whichever layout (kernel or JVM) wrote them. */
final class Fields {
    private Fields() {}

    /** The field {@code name} as a number, or {@code missing} when the record has no such number. */
    static long number(TraceRecord r, String name, long missing) {
        Object v = r.fields().get(name);
        return v instanceof Number n ? n.longValue() : missing;
    }

    static String text(TraceRecord r, String name) {
        Object v = r.fields().get(name);
        return v == null ? null : String.valueOf(v);
    }

    static boolean has(Map<String, Object> f, String... names) {
        for (String n : names) if (!(f.get(n) instanceof Number)) return false;
        return true;
    }
}
