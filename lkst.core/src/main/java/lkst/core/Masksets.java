package lkst.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import lkst.api.EventType;

/**
 * The masksets by name: the three built-in ones, the user's, run-private ones ({@link Maskset#runPrivate}), which one
 * is active and which selection is saved. Each change checks everything first and changes nothing when it throws.
 * Not thread-safe: the {@link Engine} calls it under its lock and publishes a new dispatch table after each change.
 */
final class Masksets {
    private final Map<String, Maskset> byName = new LinkedHashMap<>();
    private String active = Maskset.DEFAULT;
    /** The selection that persists: the last maskset selected that is not run-private. */
    private String savedSelection = Maskset.DEFAULT;

    Masksets() {
        byName.put(Maskset.DEFAULT, new Maskset(1, Maskset.DEFAULT, true, Map.of()));
        byName.put(Maskset.ALL, new Maskset(2, Maskset.ALL, true, Map.of()));
        byName.put(Maskset.OFF, new Maskset(3, Maskset.OFF, true, Map.of()));
    }

    Collection<Maskset> all() { return byName.values(); }

    Maskset active() { return byName.get(active); }

    boolean isActive(Maskset m) { return m.name.equals(active); }

    /** The maskset named, or null. */
    Maskset find(String name) { return byName.get(name); }

    Maskset existing(String name) {
        Maskset m = byName.get(name);
        if (m == null) throw new IllegalArgumentException("no maskset '" + name + "' (lkst:maskset list shows them)");
        return m;
    }

    Maskset editable(String name) {
        Maskset m = existing(name);
        if (m.builtIn) {
            throw new IllegalArgumentException("maskset '" + name + "' is built in and read-only; copy it first: lkst:maskset copy "
                    + name + " NEWNAME");
        }
        return m;
    }

    private int nextId() {
        int id = 10;
        for (Maskset m : byName.values()) id = Math.max(id, m.id + 1);
        return id;
    }

    private void checkNew(String name) {
        if (!Maskset.validName(name)) {
            throw new IllegalArgumentException("bad maskset name '" + name + "' (letters, digits, . _ -; at most 64)");
        }
        if (byName.containsKey(name)) throw new IllegalArgumentException("maskset '" + name + "' exists already");
    }

    Maskset create(String name) {
        checkNew(name);
        Maskset m = new Maskset(nextId(), name, false, Map.of());
        byName.put(name, m);
        return m;
    }

    /** A new user maskset with the bindings {@code from} has over {@code events}. */
    Maskset copy(String from, String to, Iterable<EventType> events) {
        Maskset src = existing(from);
        checkNew(to);
        Maskset m = new Maskset(nextId(), to, false, src.bindings(events));
        byName.put(to, m);
        return m;
    }

    /** Binds {@code event} (checked by the caller) to {@code handlerId}. */
    Maskset set(String name, String event, int handlerId) {
        Maskset m = editable(name);
        if (handlerId <= 0) throw new IllegalArgumentException("bad handler id " + handlerId + " (a positive integer)");
        m.table.put(event, handlerId);
        return m;
    }

    Maskset unset(String name, String event) {
        Maskset m = editable(name);
        if (m.table.remove(event) == null) {
            throw new IllegalArgumentException("maskset '" + name + "' does not bind event '" + event + "'");
        }
        return m;
    }

    Maskset select(String name) {
        Maskset m = existing(name);
        active = m.name;
        if (!m.runPrivate()) savedSelection = m.name;
        return m;
    }

    Maskset delete(String name) {
        Maskset m = editable(name);
        if (m.name.equals(active)) throw new IllegalArgumentException("maskset '" + name + "' is active; select another first");
        byName.remove(name);
        return m;
    }

    /** What is saved after every change (see {@link MasksetCodec}). */
    Map<String, Object> saved() { return MasksetCodec.encode(byName.values(), savedSelection); }

    /** Adds the saved masksets and selects the saved selection; entries that do not fit are logged and skipped. */
    void restore(MasksetCodec.Decoded d) {
        for (Maskset m : d.masksets()) {
            if (byName.containsKey(m.name)) {
                Log.warn("saved maskset '" + m.id + ":" + m.name + "' is malformed and was skipped: "
                        + new IllegalArgumentException(m.name));
            } else {
                byName.put(m.name, m);
            }
        }
        d.malformed().forEach(Log::warn);
        if (d.active() != null && byName.containsKey(d.active())) active = savedSelection = d.active();
    }
}
