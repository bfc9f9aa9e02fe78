package lkst.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An event source that holds events on their way to the engine (the kernel bridge: the kernel's per-CPU buffers).
 * Registered as an OSGi service; {@link Tracer#stop()} drains every one before it stops dispatch, so the events of
 * the last moments are delivered instead of arriving after their event was switched off, whoever calls stop.
 */
@ConsumerType
public interface Drainable {
    /** A short name for the source, such as "kernel", for the line that says a drain fell short. */
    String name();

    /**
     * Stops taking new events and delivers those held, waiting at most {@code timeoutMs}. Called on the thread that
     * stops the tracer, without the engine's lock held. New events are taken again after the next change of the
     * dispatch table (start, select).
     *
     * @return true when everything held was delivered in time
     */
    boolean drain(long timeoutMs);
}
