package lkst.buffers.tool;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.report.Json;

/**
 * A record as print {@code --json} shows it: {@code {"time":…,"cpu":…,"buffer":…,"pid":…,"tid":…,"event":"…",
 * "lkst":[…],"comm":"…","fields":{…}}} on one line ({@code lkst} and {@code comm} where known); numbers as JSON
 * numbers, kernel arrays of numbers ({@code args[6]}, {@code __data_loc} arrays) and byte fields as JSON arrays of
 * numbers (u64 elements unsigned), text as strings.
 */
final class JsonLine {
    /** Per event type: the names of its fields that are arrays of numbers. */
    private final Map<String, List<String>> arrays = new HashMap<>();

    /** Per event type: the fields its kernel print format prints as pointers (%p, %pS, %lx): hex strings here. */
    private final Map<String, List<String>> pointers = new HashMap<>();

    JsonLine(List<EventType> catalog, KernelText kernel) {
        for (EventType t : catalog) {
            if (kernel != null) for (String tp : java.util.stream.Stream.concat(java.util.stream.Stream.of(t.name()), t.tracepoints().stream()).toList()) {
                List<String> p = kernel.pointerFields(tp);
                if (!p.isEmpty()) pointers.put(tp, p);
            }
            List<String> names = t.fields().stream().filter(JsonLine::isArray).map(Field::name).toList();
            if (!names.isEmpty()) arrays.put(t.name(), names);
        }
    }

    private static boolean isArray(Field f) {
        return f.type() == FieldType.ARRAY || f.type() == FieldType.BYTES;
    }

    /** {@code r} as one JSON object, its time {@code time} nanoseconds (on the scale print was asked for). */
    void append(StringBuilder s, TraceRecord r, long time) {
        s.append("{\"time\":").append(time).append(",\"cpu\":").append(r.cpu()).append(",\"buffer\":").append(r.buffer())
                .append(",\"pid\":").append(r.pid()).append(",\"tid\":").append(r.tid()).append(",\"event\":");
        Json.quote(s, r.event());
        if (!r.lkst().isEmpty()) {
            s.append(",\"lkst\":[");
            for (int i = 0; i < r.lkst().size(); i++) {
                if (i > 0) s.append(',');
                Json.quote(s, r.lkst().get(i));
            }
            s.append(']');
        }
        if (r.comm() != null) {
            s.append(",\"comm\":");
            Json.quote(s, r.comm());
        }
        s.append(",\"fields\":{");
        List<String> arrayFields = arrays.getOrDefault(r.event(), List.of());
        List<String> pointerFields = pointers.getOrDefault(r.event(), List.of());
        boolean first = true;
        for (Map.Entry<String, Object> f : r.fields().entrySet()) {
            if (!first) s.append(',');
            first = false;
            Json.quote(s, f.getKey());
            s.append(':');
            Object v = f.getValue();
            if (v instanceof Long n && pointerFields.contains(f.getKey())) s.append("\"0x").append(Long.toHexString(n)).append('"');
            else if (v instanceof BigInteger b && pointerFields.contains(f.getKey())) s.append("\"0x").append(b.toString(16)).append('"');
            else if (v instanceof Long || v instanceof BigInteger) s.append(v);
            else if (v instanceof String a && arrayFields.contains(f.getKey()) && a.startsWith("{") && a.endsWith("}")) array(s, a);
            else Json.quote(s, String.valueOf(v));
        }
        s.append("}}");
    }

    /** "{1,-2,0xff}" (as the decoder shows an array) as [1,-2,255]. */
    private static void array(StringBuilder s, String a) {
        s.append('[');
        String items = a.substring(1, a.length() - 1);
        if (!items.isEmpty()) {
            String[] parts = items.split(",");
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) s.append(',');
                String p = parts[i];
                s.append(p.startsWith("0x") ? Long.toUnsignedString(Long.parseUnsignedLong(p.substring(2), 16)) : p);
            }
        }
        s.append(']');
    }
}
