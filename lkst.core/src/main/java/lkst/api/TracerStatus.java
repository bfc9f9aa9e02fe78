package lkst.api;

import java.util.Map;

/**
 * The state of the tracer as shown by {@code lkst:status}.
 *
 * @param tracing     true after start, false after stop
 * @param maskset     the active maskset
 * @param generation  dispatch table generation
 * @param events      events in the catalog
 * @param enabled     events the active maskset binds to a handler ID
 * @param undelivered events that reached the engine but no handler, by reason (unbound, quarantined, fault)
 * @param sources     each event source's own status lines (kernel, jvm, buffers), by source name
 */
public record TracerStatus(boolean tracing, String maskset, long generation, int events, int enabled,
                           Map<String, Long> undelivered, Map<String, String> sources) {
    /** As {@code lkst:status} shows it: one line per item, a source's further lines indented under it. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-12s%s%n", "tracing", tracing ? "started" : "stopped"));
        b.append(String.format("%-12s%s%n", "maskset", maskset));
        b.append(String.format("%-12s%d in the catalog, %d enabled%n", "events", events, enabled));
        StringBuilder pairs = new StringBuilder();
        undelivered.forEach((k, v) -> pairs.append(pairs.length() == 0 ? "" : " ").append(k).append('=').append(v));
        b.append(String.format("%-12s%s%n", "undelivered", pairs));
        sources.forEach((k, v) -> b.append(String.format("%-12s%s%n", k, v.replace("\n", "\n            "))));
        return b.toString().stripTrailing();
    }
}
