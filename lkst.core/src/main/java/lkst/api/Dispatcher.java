package lkst.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The entry point of the engine for event sources (kernel readers, JVM hook points): it runs the handler that the
 * active maskset names for an event, on the calling thread.
 */
@ProviderType
public interface Dispatcher {
    /** Runs the handler of the active maskset for this event, if any. Never throws. */
    void dispatch(Event event);

    /** True when the active maskset binds this event to a handler ID and tracing is started. */
    boolean enabled(int eventId);

    /** The handler the active maskset runs for this event now, or null (not traced, or its ID unbound). */
    EventHandler handlerFor(int eventId);

    /** Called (on a control thread) after every change of what is enabled. */
    void addListener(Runnable onChange);

    void removeListener(Runnable onChange);
}
