package lkst.hooks.jvm;

import lkst.api.EventType;
import lkst.hooks.api.EventWriter;
import lkst.hooks.api.HookPoint;

/** A hook point whose enabled flag {@link JvmHooks} keeps in step with the active maskset. */
final class JvmHookPoint implements HookPoint {
    private final EventType type;
    private final JvmHooks hooks;
    // volatile: a hot loop must see a maskset switch; on x86 this is a plain load
    private volatile boolean enabled;

    JvmHookPoint(EventType type, JvmHooks hooks) {
        this.type = type;
        this.hooks = hooks;
    }

    @Override
    public EventType type() { return type; }

    @Override
    public boolean enabled() { return enabled; }

    void enabled(boolean on) { enabled = on; }

    @Override
    public EventWriter begin() { return hooks.begin(type); }

    @Override
    public String toString() { return type.name() + (enabled ? " (enabled)" : " (disabled)"); }
}
