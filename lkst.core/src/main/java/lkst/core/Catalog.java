package lkst.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;

/**
 * The event catalog: LKST's standard events (IDs 1–999, from {@code standard-events.tsv}) and the event types
 * declared at run time (IDs from 1000, in order of declaration). Reads are lock-free; changes are serialised.
 */
final class Catalog {
    static final int FIRST_DECLARED_ID = 1000;

    private volatile EventType[] byId = new EventType[0];
    private final Map<String, EventType> byName = new ConcurrentHashMap<>();
    private int nextId = FIRST_DECLARED_ID;

    static Catalog standard() {
        Catalog c = new Catalog();
        try (InputStream in = Catalog.class.getResourceAsStream("standard-events.tsv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                List<String> tps = f[3].equals("-") ? List.of() : Arrays.asList(f[3].split(","));
                String unavailable = tps.isEmpty()
                        ? "no tracepoint for " + f[1] + " on a current kernel" + (f[4].isEmpty() ? "" : " (" + f[4] + ")")
                        : null;
                c.put(new EventType(Integer.parseInt(f[0]), f[1], f[2], EventSource.KERNEL, true, List.of(), tps,
                        List.of(), unavailable));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c;
    }

    EventType get(int id) {
        EventType[] a = byId;
        return id >= 0 && id < a.length ? a[id] : null;
    }

    EventType get(String name) { return byName.get(name); }

    int maxId() { return byId.length - 1; }

    Collection<EventType> all() {
        List<EventType> out = new ArrayList<>();
        for (EventType t : byId) if (t != null) out.add(t);
        return out;
    }

    synchronized EventType declare(String name, String category, EventSource source, List<String> groups,
                                   List<Field> fields) {
        EventType old = byName.get(name);
        if (old != null) {
            if (old.fields().equals(fields) && old.source() == source && old.groups().equals(groups)) return old;
            if (old.standard()) throw new IllegalArgumentException("event " + name + " is a standard event and cannot be redeclared");
            throw new IllegalArgumentException("event " + name + " is already declared with fields " + old.fields()
                    + " from " + old.source() + "; cannot redeclare it with " + fields);
        }
        for (String g : groups) {
            if (byName.get(g) == null) throw new IllegalArgumentException("unknown LKST event " + g);
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Field f : fields) {
            if (!names.add(f.name())) throw new IllegalArgumentException("event " + name + " has two fields named " + f.name());
        }
        return put(new EventType(nextId++, name, category, source, false, groups, List.of(), fields, null));
    }

    synchronized EventType replace(EventType t) {
        if (get(t.id()) == null) throw new IllegalArgumentException("no event with id " + t.id());
        return put(t);
    }

    private EventType put(EventType t) {
        EventType[] a = byId;
        if (t.id() >= a.length) a = Arrays.copyOf(a, Math.max(t.id() + 1, a.length + a.length / 2));
        else a = a.clone();
        a[t.id()] = t;
        byName.put(t.name(), t);
        byId = a;
        return t;
    }
}
