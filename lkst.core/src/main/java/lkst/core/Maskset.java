package lkst.core;

import java.util.LinkedHashMap;
import java.util.Map;
import lkst.api.EventSource;
import lkst.api.EventType;

/**
 * A maskset: for every event name, the ID of the handler that runs (absent = not traced). The three built-in
 * masksets compute their table from the catalog, so they also cover events declared later.
 */
final class Maskset {
    static final String DEFAULT = "default";
    static final String ALL = "all";
    static final String OFF = "off";
    /** The handler ID of the standard record handler, which the built-in masksets bind. */
    static final int RECORD = lkst.api.EventHandler.RECORD_ID;

    final int id;
    final String name;
    final boolean builtIn;
    /** event name → handler ID; only for user masksets */
    final Map<String, Integer> table;

    Maskset(int id, String name, boolean builtIn, Map<String, Integer> table) {
        this.id = id;
        this.name = name;
        this.builtIn = builtIn;
        this.table = new LinkedHashMap<>(table);
    }

    /**
     * A maskset whose name starts with '.' is private to the run that made it (./lkst record builds one from -e):
     * never saved, and selecting it leaves the saved selection as it was, so that no ending of that run (a crash
     * included) changes what the next start selects.
     */
    boolean runPrivate() { return name.startsWith("."); }

    static boolean validName(String name) {
        return name != null && name.matches("[A-Za-z0-9_.-]{1,64}");
    }

    /** The handler ID this maskset names for {@code e} itself (not via its groups), or 0. */
    int handlerFor(EventType e) {
        if (!builtIn) return table.getOrDefault(e.name(), 0);
        if (!e.groups().isEmpty()) return 0; // tracepoints follow their LKST events
        switch (name) {
            case ALL: return RECORD;
            case DEFAULT: return (e.standard() && !e.category().equals("lock")) || e.source() == EventSource.JVM ? RECORD : 0;
            default: return 0;
        }
    }

    /** The effective table over {@code events}: explicit entries for user masksets, computed ones for built-ins. */
    Map<String, Integer> bindings(Iterable<EventType> events) {
        if (!builtIn) return table;
        Map<String, Integer> m = new LinkedHashMap<>();
        for (EventType e : events) {
            int h = handlerFor(e);
            if (h != 0) m.put(e.name(), h);
        }
        return m;
    }
}
