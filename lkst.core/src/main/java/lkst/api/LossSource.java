package lkst.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An event source that counts, per CPU, the events it could not deliver (the kernel bridge: events the kernel
 * dropped before LKST/J read them). Registered as an OSGi service; a recording's logger takes what every source
 * counted while it ran and writes it into the trace, so that a trace read later still says what it lacks.
 */
@ConsumerType
public interface LossSource {
    /** A short name for the source, such as "kernel". */
    String name();

    /** Events lost on each CPU (the array index) since the source started: cumulative, never decreasing. */
    long[] lostPerCpu();
}
