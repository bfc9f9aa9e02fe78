package lkst.buffers.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.buffers.api.TraceRecord;

/** Events per type, most first; the JVM's events (source jvm in the trace's catalog) also apart. */
final class EventCounts {
    record Row(String event, String lkst, boolean jvm, long count) {}

    private final Map<String, long[]> counts = new HashMap<>();
    private final Map<String, String> lkst = new HashMap<>();
    private final Map<String, Boolean> jvm = new HashMap<>();
    long total;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    EventCounts(List<EventType> catalog) {
        for (EventType t : catalog) jvm.put(t.name(), t.source() == EventSource.JVM);
    }

    void add(TraceRecord r) {
        long[] n = counts.get(r.event());
        if (n == null) {
            counts.put(r.event(), n = new long[1]);
            lkst.put(r.event(), String.join(",", r.lkst()));
        }
        n[0]++;
        total++;
        first = Math.min(first, r.time());
        last = Math.max(last, r.time());
    }

    long count(String event) {
        long[] n = counts.get(event);
        return n == null ? 0 : n[0];
    }

    List<Row> rows() {
        List<Row> l = new ArrayList<>();
        counts.forEach((e, n) -> l.add(new Row(e, lkst.get(e), jvm.getOrDefault(e, false), n[0])));
        l.sort(Comparator.comparingLong((Row r) -> -r.count).thenComparing(Row::event));
        return l;
    }
}
