package lkst.hooks.api;

import lkst.api.EventType;

/**
 * A place in application code where an event fires. {@link #enabled()} is a plain field read, true only while
 * the active maskset binds this event to a handler and tracing is started, so a disabled hook point costs as
 * much as no hook at all. An enabled one is fired on the calling thread through the active maskset.
 */
public final class HookPoint {
    /** What the hooks bundle does when a hook point fires; not for applications. */
    public interface Source {
        EventWriter begin(HookPoint hook);
    }

    private final EventType type;
    private final Source source;
    // volatile: a hot loop must see a maskset switch; on x86 this is a plain load
    private volatile boolean enabled;

    public HookPoint(EventType type, Source source) {
        this.type = type;
        this.source = source;
    }

    public EventType type() { return type; }

    public boolean enabled() { return enabled; }

    /** Set by the hooks bundle after each maskset change. */
    public void enabled(boolean on) { enabled = on; }

    /**
     * Starts an event of this type on the calling thread: put each field in declaration order, then
     * {@link EventWriter#fire()}. The writer is reused by the thread: do not keep it.
     */
    public EventWriter begin() { return source.begin(this); }

    @Override
    public String toString() { return type.name() + (enabled ? " (enabled)" : " (disabled)"); }
}
