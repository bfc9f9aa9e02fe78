package lkst.buffers.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lkst.buffers.api.TraceRecord;

/**
 * Every event of the trace as columns, in the order read (time order): time, CPU, task and type, and per event type
 * its fields as {@link FieldColumn}s — the n-th event of a type has the n-th value of each of its type's columns.
 * Lanes refer to events by their index here, so that hovering anything drawn can show the fields of its event.
 */
final class EventTable {
    /** One event type of the trace: its name, its LKST events, whether the JVM made it, its field columns. */
    static final class Type {
        final String name;
        final List<String> lkst;
        final boolean jvm;
        final Map<String, FieldColumn> fields = new LinkedHashMap<>();
        int count;

        Type(String name, List<String> lkst, boolean jvm) {
            this.name = name;
            this.lkst = lkst;
            this.jvm = jvm;
        }
    }

    private final Map<String, Boolean> jvm;
    private final Map<String, Integer> typeIndex = new HashMap<>();
    final List<Type> types = new ArrayList<>();
    final Strings strings = new Strings();
    private long[] times = new long[4096];
    final Ints cpus = new Ints();
    final Ints tasks = new Ints();
    final Ints typeOf = new Ints();

    /** @param jvm event name → true when the JVM made it (source jvm in the trace's catalog) */
    EventTable(Map<String, Boolean> jvm) { this.jvm = jvm; }

    int size() { return cpus.size(); }

    long time(int event) { return times[event]; }

    /** Adds {@code r} of task {@code task}; returns its index. */
    int add(TraceRecord r, int task) {
        int i = size();
        if (i == times.length) times = Arrays.copyOf(times, i * 2);
        times[i] = r.time();
        cpus.add(r.cpu());
        tasks.add(task);
        Integer t = typeIndex.get(r.event());
        if (t == null) {
            types.add(new Type(r.event(), r.lkst(), jvm.getOrDefault(r.event(), false)));
            t = types.size() - 1;
            typeIndex.put(r.event(), t);
        }
        typeOf.add(t);
        Type type = types.get(t);
        for (Map.Entry<String, Object> f : r.fields().entrySet()) {
            FieldColumn c = type.fields.get(f.getKey());
            if (c == null) { // a field first seen now: the events of this type before had none (0)
                c = new FieldColumn(f.getKey());
                for (int k = 0; k < type.count; k++) c.add(0L, strings);
                type.fields.put(f.getKey(), c);
            }
            c.add(f.getValue(), strings);
        }
        type.count++;
        for (FieldColumn c : type.fields.values()) if (c.size() < type.count) c.add(0L, strings); // a field this record lacks
        return i;
    }

    /** In {@link #timeSteps}: the step is in {@code far}, in order. */
    static final int FAR = Integer.MIN_VALUE;

    /**
     * Times as the page keeps them, small and well compressed: the step from the event before in nanoseconds (from
     * the first event for the first), or {@link #FAR} when the step does not fit 31 bits (a gap of 2 s or more, or
     * a record that reached its buffer late), then the step is the next value of {@code far}.
     */
    int[] timeSteps(List<Long> far) {
        int[] steps = new int[size()];
        long before = size() == 0 ? 0 : times[0];
        for (int i = 0; i < steps.length; i++) {
            long step = times[i] - before;
            before = times[i];
            if (step > Integer.MIN_VALUE && step <= Integer.MAX_VALUE) {
                steps[i] = (int) step;
            } else {
                steps[i] = FAR;
                far.add(step);
            }
        }
        return steps;
    }
}
