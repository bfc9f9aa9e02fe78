package lkst.hooks.api;

import lkst.api.EventType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A place in application code where an event fires; {@link Hooks#declare} makes one. {@link #enabled()} is a plain
 * field read, true only while the active maskset binds this event to a handler and tracing is started, so a disabled
 * hook point costs as much as no hook at all. An enabled one is fired on the calling thread through the active
 * maskset. Only the hooks bundle switches it on and off.
 */
@ProviderType
public interface HookPoint {
    EventType type();

    boolean enabled();

    /**
     * Starts an event of this type on the calling thread: put each field in declaration order, then
     * {@link EventWriter#fire()}. The writer is reused by the thread: do not keep it.
     */
    EventWriter begin();
}
