package lkst.api;

import java.util.List;
import java.util.Objects;

/**
 * An entry of the event catalog.
 *
 * <p>LKST's standard events (PROCESS_CONTEXTSWITCH …) are names that masksets bind; each lists the kernel
 * tracepoints that make it. The kernel bridge declares one event type per tracepoint it enables
 * ("sched:sched_switch"), with the LKST events it belongs to as {@code groups} and the kernel's own field
 * layout; JVM hook points declare theirs. A maskset binding on an event's own name wins over one on a group.
 *
 * @param id          catalog ID: stable (1–999) for the standard events, assigned in order of declaration for the rest
 * @param name        LKST name (PROCESS_CONTEXTSWITCH), tracepoint ("sched:sched_switch") or declared name
 * @param category    LKST category: process, interrupt, exception, syscall, memory, fs, net, ipc, lock, timer, other, jvm
 * @param source      kernel, uprobe or jvm
 * @param standard    part of LKST's standard catalog
 * @param groups      the LKST events this event type makes (for a tracepoint), else empty
 * @param tracepoints the kernel tracepoints ("subsystem:name") that make this event
 * @param fields      the field schema
 * @param unavailable why the event cannot fire here, or null when it can
 */
public record EventType(int id, String name, String category, EventSource source, boolean standard,
                        List<String> groups, List<String> tracepoints, List<Field> fields, String unavailable) {
    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(source, "source");
        groups = List.copyOf(groups);
        tracepoints = List.copyOf(tracepoints);
        fields = List.copyOf(fields);
        if (id <= 0) throw new IllegalArgumentException("event id must be positive: " + id);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_.:]*")) throw new IllegalArgumentException("bad event name '" + name + "'");
    }

    public boolean available() { return unavailable == null; }

    /** Index of the named field, or -1. */
    public int fieldIndex(String fieldName) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(fieldName)) return i;
        }
        return -1;
    }

    public EventType withFields(List<Field> newFields) {
        return new EventType(id, name, category, source, standard, groups, tracepoints, newFields, unavailable);
    }

    public EventType withUnavailable(String reason) {
        return new EventType(id, name, category, source, standard, groups, tracepoints, fields, reason);
    }
}
