package lkst.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lkst.api.EventHandler;
import lkst.api.HandlerInfo;

/**
 * The handler services by ID: the first service of an ID is bound, later ones are refused (and the next takes over
 * when the bound one goes), services without a usable ID are refused; and each handler's configured parameters, kept
 * while it is away and applied when it appears. Not thread-safe: the {@link Engine} calls it under its lock and
 * publishes a new dispatch table after each change.
 */
final class HandlerRegistry {
    /** handler ID → the services registered with that ID, first (bound) one first */
    private final Map<Integer, List<HandlerEntry>> byId = new TreeMap<>();
    /** services without a usable ID */
    private final List<HandlerEntry> refused = new ArrayList<>();
    /** parameters configured (Configuration Admin, lkst:ctl), by handler name or ID, applied when it is bound */
    private final Map<String, Map<String, Object>> pendingParams = new LinkedHashMap<>();

    /** The bound handler of {@code id}, or null. */
    HandlerEntry bound(int id) {
        List<HandlerEntry> l = byId.get(id);
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    /** Binds a handler service; refuses it (one log line, shown by {@link #infos}) when its ID is missing or taken. */
    boolean bind(EventHandler handler, Object idProperty, Object nameProperty, String bundle) {
        String name = nameProperty == null ? handler.getClass().getSimpleName() : String.valueOf(nameProperty);
        Integer id = parseId(idProperty);
        if (id == null) {
            String why = idProperty == null ? "no " + EventHandler.ID + " property"
                    : EventHandler.ID + " '" + idProperty + "' is not a positive integer";
            refused.add(new HandlerEntry(-1, name, bundle, handler, why));
            Log.warn("handler " + name + " from " + bundle + " refused: " + why);
            return false;
        }
        List<HandlerEntry> l = byId.computeIfAbsent(id, k -> new ArrayList<>());
        if (!l.isEmpty()) {
            HandlerEntry first = l.get(0);
            String why = "duplicate " + EventHandler.ID + " " + id + ": already bound to " + first.name + " from " + first.bundle;
            l.add(new HandlerEntry(id, name, bundle, handler, why));
            Log.warn("handler " + name + " from " + bundle + " refused: " + why);
            return false;
        }
        l.add(new HandlerEntry(id, name, bundle, handler, null));
        applyPending(l.get(0));
        return true;
    }

    /** Unbinds a handler service; a refused duplicate of the same ID, if any, takes its place. True when a bound one went. */
    boolean unbind(EventHandler handler) {
        boolean changed = false;
        refused.removeIf(e -> e.handler == handler);
        for (var it = byId.values().iterator(); it.hasNext(); ) {
            List<HandlerEntry> l = it.next();
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i).handler != handler) continue;
                HandlerEntry gone = l.remove(i);
                if (i == 0) {
                    changed = true;
                    if (!l.isEmpty()) {
                        HandlerEntry next = l.get(0);
                        l.set(0, new HandlerEntry(next.id, next.name, next.bundle, next.handler, null));
                        Log.info("handler " + next.name + " now bound to id " + next.id + " after " + gone.name + " went away");
                        applyPending(l.get(0));
                    }
                }
                break;
            }
            if (l.isEmpty()) it.remove();
        }
        return changed;
    }

    private static Integer parseId(Object p) {
        if (p == null) return null;
        try {
            int id = p instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(p).trim());
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    List<HandlerInfo> infos() {
        List<HandlerInfo> out = new ArrayList<>();
        for (List<HandlerEntry> l : byId.values()) for (HandlerEntry e : l) out.add(e.info());
        for (HandlerEntry e : refused) out.add(e.info());
        return out;
    }

    /** The bound handler named by ID or name, or throws. */
    HandlerEntry handler(String handler) {
        for (List<HandlerEntry> l : byId.values()) {
            HandlerEntry e = l.get(0);
            if (String.valueOf(e.id).equals(handler) || e.name.equals(handler)) return e;
        }
        throw new IllegalArgumentException("no handler '" + handler + "' (lkst:handlers lists them)");
    }

    /** Sets a parameter (lkst:ctl) and keeps it with the handler's configuration; returns what is to be saved. */
    Map<String, Object> ctl(HandlerEntry e, String parameter, String value) {
        e.parameter(parameter).set(value);
        pendingParams.computeIfAbsent(e.name, k -> new LinkedHashMap<>()).put(parameter, value);
        return new LinkedHashMap<>(pendingParams.get(e.name));
    }

    /**
     * Takes the whole configuration of {@code handler} (name or ID), so that a parameter it set before and sets no
     * longer goes back to its default; applied now when the handler is bound, else when it appears.
     */
    void configure(String handler, Map<String, Object> params) {
        pendingParams.put(handler, new LinkedHashMap<>(params));
        for (List<HandlerEntry> l : byId.values()) {
            HandlerEntry e = l.get(0);
            if (e.name.equals(handler) || String.valueOf(e.id).equals(handler)) applyPending(e);
        }
    }

    /** Applies the configuration of {@code e}, by ID and by name (the name's values win), each refusal logged. */
    private void applyPending(HandlerEntry e) {
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> byIdParams = pendingParams.get(String.valueOf(e.id)), byName = pendingParams.get(e.name);
        if (byIdParams != null) params.putAll(byIdParams);
        if (byName != null) params.putAll(byName);
        e.configure(params).forEach((p, why) -> Log.warn("configuration of handler " + e.name + ": " + why + "; old value kept"));
    }

    /** Why values configured for {@code handler} (name or ID) were refused, by parameter; empty when none or not bound. */
    Map<String, String> refusedParameters(String handler) {
        for (List<HandlerEntry> l : byId.values()) {
            HandlerEntry e = l.get(0);
            if (e.name.equals(handler) || String.valueOf(e.id).equals(handler)) return e.refusedParams;
        }
        return Map.of();
    }
}
