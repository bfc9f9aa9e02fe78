package lkst.buffers.api;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * One recorded event read back as data.
 *
 * @param time   CLOCK_MONOTONIC nanoseconds
 * @param cpu    CPU whose buffer held the record
 * @param buffer ID of that buffer
 * @param pid    process ID, -1 when not known
 * @param tid    thread ID, -1 when not known
 * @param event  event name from the catalog
 * @param fields field name → value: Long (or BigInteger for a u64 above 2^63-1) for numbers, String for text,
 *               "{a,b,…}" for byte and number arrays; in schema order
 * @param lkst   the LKST events a kernel tracepoint's record makes (PROCESS_CONTEXTSWITCH for sched:sched_switch),
 *               else empty
 * @param comm   the command name of the task, where the trace tells it (kernel scheduler and task events), else null
 */
public record TraceRecord(long time, int cpu, int buffer, int pid, int tid, String event, Map<String, Object> fields,
                          List<String> lkst, String comm) {
    public TraceRecord {
        lkst = List.copyOf(lkst);
    }

    /** The same record, of the task named {@code comm}. */
    public TraceRecord withComm(String name) {
        return new TraceRecord(time, cpu, buffer, pid, tid, event, fields, lkst, name);
    }

    /**
     * "seconds.nanoseconds [cpu] comm-pid/tid LKST_EVENT event name=value …", the line that print shows (comm- only
     * where known, LKST events only for kernel tracepoints); a text value that is empty or holds a space, '"' or '='
     * is quoted as in JSON.
     */
    public String text() {
        StringBuilder s = new StringBuilder(96);
        s.append(seconds(time)).append(" [").append(cpu).append("] ");
        if (comm != null) s.append(comm).append('-');
        s.append(pid).append('/').append(tid).append(' ');
        if (!lkst.isEmpty()) s.append(String.join(",", lkst)).append(' ');
        s.append(event);
        fields.forEach((k, v) -> {
            s.append(' ').append(k).append('=');
            String text = String.valueOf(v);
            if (v instanceof String && (text.isEmpty() || text.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '='))) quote(s, text);
            else s.append(text);
        });
        return s.toString();
    }

    /** One JSON object, numbers as JSON numbers (time in nanoseconds). */
    public String json() {
        StringBuilder s = new StringBuilder(128);
        s.append("{\"time\":").append(time).append(",\"cpu\":").append(cpu).append(",\"buffer\":").append(buffer)
                .append(",\"pid\":").append(pid).append(",\"tid\":").append(tid).append(",\"event\":");
        quote(s, event);
        if (!lkst.isEmpty()) {
            s.append(",\"lkst\":[");
            for (int i = 0; i < lkst.size(); i++) {
                if (i > 0) s.append(',');
                quote(s, lkst.get(i));
            }
            s.append(']');
        }
        if (comm != null) {
            s.append(",\"comm\":");
            quote(s, comm);
        }
        s.append(",\"fields\":{");
        boolean first = true;
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (!first) s.append(',');
            first = false;
            quote(s, f.getKey());
            s.append(':');
            Object v = f.getValue();
            if (v instanceof Long || v instanceof BigInteger) s.append(v);
            else quote(s, String.valueOf(v));
        }
        return s.append("}}").toString();
    }

    @Override
    public String toString() { return text(); }

    /** Nanoseconds as "s.nnnnnnnnn". */
    public static String seconds(long nanos) {
        String sign = nanos < 0 ? "-" : "";
        long a = Math.abs(nanos);
        String frac = Long.toString(a % 1_000_000_000L);
        return sign + (a / 1_000_000_000L) + "." + "000000000".substring(frac.length()) + frac;
    }

    private static void quote(StringBuilder s, String v) {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"': s.append("\\\""); break;
                case '\\': s.append("\\\\"); break;
                case '\n': s.append("\\n"); break;
                case '\r': s.append("\\r"); break;
                case '\t': s.append("\\t"); break;
                default:
                    if (c < 0x20) s.append(String.format("\\u%04x", (int) c));
                    else s.append(c);
            }
        }
        s.append('"');
    }
}
