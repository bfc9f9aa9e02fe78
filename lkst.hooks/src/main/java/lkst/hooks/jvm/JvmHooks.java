package lkst.hooks.jvm;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import lkst.api.Dispatcher;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.StatusSource;
import lkst.api.Tracer;
import lkst.hooks.api.EventWriter;
import lkst.hooks.api.HookPoint;
import lkst.hooks.api.Hooks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * JVM hook points: declares event types in the catalog, keeps each hook point's enabled flag in step with the
 * active maskset, and dispatches fired events on the firing thread. Declares {@value #TEST_EVENT}, the event
 * {@code lkst:fire} fires.
 */
@Component(service = {Hooks.class, StatusSource.class})
public final class JvmHooks implements Hooks, StatusSource {
    public static final String TEST_EVENT = "LKST_TEST";

    private final Tracer tracer;
    private final Dispatcher dispatcher;
    private final Map<String, JvmHookPoint> hooks = new ConcurrentHashMap<>();
    private final ThreadLocal<ThreadEvent> events;
    private final Runnable sync = this::sync;

    @Activate
    public JvmHooks(@Reference Tracer tracer, @Reference Dispatcher dispatcher) {
        this.tracer = tracer;
        this.dispatcher = dispatcher;
        this.events = ThreadLocal.withInitial(() -> new ThreadEvent(dispatcher));
        dispatcher.addListener(sync);
        declare(TEST_EVENT, "jvm", Field.u64("seq"), Field.string("message"));
    }

    @Deactivate
    void deactivate() {
        dispatcher.removeListener(sync);
        for (JvmHookPoint h : hooks.values()) h.enabled(false);
    }

    @Override
    public HookPoint declare(String name, String category, Field... fields) {
        EventType t = tracer.declare(name, category, EventSource.JVM, List.of(), List.of(fields));
        if (t.source() != EventSource.JVM) throw new IllegalArgumentException("event " + name + " is a " + t.source() + " event");
        JvmHookPoint h = hooks.computeIfAbsent(name, n -> new JvmHookPoint(t, this));
        h.enabled(dispatcher.enabled(t.id()));
        return h;
    }

    @Override
    public HookPoint hook(String name) {
        HookPoint h = hooks.get(name);
        if (h == null) throw new IllegalArgumentException("no JVM hook point '" + name + "' (declare it first)");
        return h;
    }

    /** The calling thread's event writer, started for {@code type}. */
    EventWriter begin(EventType type) {
        ThreadEvent e = events.get();
        if (e.dispatching) e = new ThreadEvent(dispatcher); // fired from inside a handler: do not clobber
        return e.start(type);
    }

    private void sync() {
        for (JvmHookPoint h : hooks.values()) h.enabled(dispatcher.enabled(h.type().id()));
    }

    @Override
    public String name() { return "jvm"; }

    @Override
    public String status() {
        long on = hooks.values().stream().filter(JvmHookPoint::enabled).count();
        return hooks.size() + " hook points, " + on + " enabled; CPU from "
                + (CallingThread.NATIVE ? "sched_getcpu (JNA), cached per thread for " + CallingThread.REFRESH + " events" : "thread ID (no JNA)");
    }
}
