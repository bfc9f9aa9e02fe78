package lkst.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the runtime that reports its state in {@code lkst:status}: the kernel bridge (why kernel events are
 * unavailable, events lost per CPU), the JVM hooks, the buffers (written and lost). Register it as a service.
 */
@ConsumerType
public interface StatusSource {
    /** Short name shown as the key: kernel, jvm, buffers. */
    String name();

    /** One or a few lines, human-readable. */
    String status();
}
