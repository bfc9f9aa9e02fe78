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
}
