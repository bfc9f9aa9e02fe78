package lkst.api;

import java.util.Map;

/**
 * A maskset as shown to users: the table event name → handler ID. Events absent from the table are not traced.
 *
 * @param id       numeric ID
 * @param name     unique name
 * @param builtIn  one of default, all, off (read-only; copy it to change it)
 * @param active   the maskset events are dispatched under now
 * @param bindings event name → handler ID, sorted by event name
 * @param unbound  the handler IDs named in the table that no handler has now
 */
public record MasksetInfo(int id, String name, boolean builtIn, boolean active, Map<String, Integer> bindings,
                          java.util.Set<Integer> unbound) {
    public MasksetInfo {
        bindings = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(bindings));
        unbound = java.util.Set.copyOf(unbound);
    }
}
