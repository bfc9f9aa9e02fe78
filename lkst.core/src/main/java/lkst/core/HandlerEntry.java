package lkst.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import lkst.api.EventHandler;
import lkst.api.HandlerInfo;
import lkst.api.Parameter;

/** A handler service as the registry holds it: bound, quarantined after repeated faults, or refused. */
final class HandlerEntry {
    final int id;
    final String name;
    final String bundle;
    final EventHandler handler;
    /** why the registry refused this service (missing or duplicate ID), or null */
    final String refused;
    final AtomicLong faults = new AtomicLong();
    volatile String quarantined;
    /** each parameter's value when the service came: what a parameter configuration no longer sets goes back to */
    private final Map<String, Object> defaults = new LinkedHashMap<>();
    /** the parameters the last configuration set */
    private Set<String> configured = Set.of();
    /** why values of the last configuration were refused, by parameter */
    Map<String, String> refusedParams = Map.of();

    HandlerEntry(int id, String name, String bundle, EventHandler handler, String refused) {
        this.id = id;
        this.name = name;
        this.bundle = bundle;
        this.handler = handler;
        this.refused = refused;
        if (handler != null) for (Parameter p : handler.parameters()) defaults.put(p.name(), p.value());
    }

    /**
     * Sets the parameters {@code params} names, and those the previous configuration set but this one does not back
     * to their defaults. A bad value leaves the old one; why is kept in {@link #refusedParams}, by parameter.
     */
    Map<String, String> configure(Map<String, Object> params) {
        Map<String, String> refused = new LinkedHashMap<>();
        for (String gone : configured) {
            if (params.containsKey(gone) || !defaults.containsKey(gone)) continue;
            Parameter p = parameter(gone);
            try {
                if (!Objects.equals(p.value(), defaults.get(gone))) p.setValue(defaults.get(gone));
            } catch (IllegalArgumentException e) {
                refused.put(gone, e.getMessage());
            }
        }
        for (Map.Entry<String, Object> v : params.entrySet()) {
            try {
                parameter(v.getKey()).setValue(v.getValue());
            } catch (IllegalArgumentException e) {
                refused.put(v.getKey(), e.getMessage());
            }
        }
        configured = Set.copyOf(params.keySet());
        refusedParams = Map.copyOf(refused);
        return refused;
    }

    /**
     * Counts one fault unless the handler already has {@code limit}; returns the new count, or 0 when it was
     * already at the limit (quarantined, or about to be by the thread that counted the last one).
     */
    long countFault(int limit) {
        while (true) {
            long n = faults.get();
            if (n >= limit) return 0;
            if (faults.compareAndSet(n, n + 1)) return n + 1;
        }
    }

    Parameter parameter(String param) {
        for (Parameter p : handler.parameters()) if (p.name().equals(param)) return p;
        StringBuilder known = new StringBuilder();
        for (Parameter p : handler.parameters()) known.append(known.length() == 0 ? "" : ", ").append(p.name());
        throw new IllegalArgumentException("handler " + name + " has no parameter '" + param + "'"
                + (known.length() == 0 ? " (it has none)" : " (it has: " + known + ")"));
    }

    HandlerInfo info() {
        Map<String, Object> params = new LinkedHashMap<>();
        if (handler != null) for (Parameter p : handler.parameters()) params.put(p.name(), p.value());
        String state = refused != null ? HandlerInfo.REFUSED : quarantined != null ? HandlerInfo.QUARANTINED : HandlerInfo.BOUND;
        return new HandlerInfo(id, name, bundle, state, refused != null ? refused : quarantined, faults.get(), params);
    }
}
