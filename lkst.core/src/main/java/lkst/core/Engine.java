package lkst.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import lkst.api.Dispatcher;
import lkst.api.Drainable;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.HandlerInfo;
import lkst.api.MasksetInfo;
import lkst.api.Parameter;
import lkst.api.Tracer;
import lkst.api.TracerStatus;

/**
 * The engine: dispatch, and the one place where the catalog ({@link Catalog}), the masksets ({@link Masksets}, saved
 * through {@link MasksetCodec}) and the handlers ({@link HandlerRegistry}) change. Control operations are serialised
 * on this object and end by publishing a new {@link Dispatch}; {@link #dispatch} reads the published table without
 * locks.
 *
 * <p>Over 300 lines because it is the facade of {@link Tracer} and {@link Dispatcher}: each operation takes the lock,
 * delegates to the class that holds the data, then publishes the table and tells the listeners outside the lock.
 * Splitting it further would split that one lock, which is what makes every change atomic for dispatch.
 */
public class Engine implements Tracer, Dispatcher {
    /** Faults after which a handler is quarantined. */
    static final int QUARANTINE_AFTER = 10;

    private final Catalog catalog = Catalog.standard();
    private final Masksets masksets = new Masksets();
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Drainable> drains = new CopyOnWriteArrayList<>();
    private final LongAdder unbound = new LongAdder();
    /** events that reached the engine after their event was switched off (in flight from the kernel's buffers) */
    private final LongAdder masked = new LongAdder();
    private final LongAdder quarantined = new LongAdder();
    private final LongAdder faults = new LongAdder();
    private final Map<String, java.util.function.Supplier<String>> sources = new java.util.concurrent.ConcurrentSkipListMap<>();

    private volatile Dispatch dispatch;
    private boolean tracing = true;
    private long generation;
    private Consumer<Map<String, Object>> store = m -> {};

    public Engine() {
        rebuild();
    }

    // ------------------------------------------------------------------ dispatch (hot path)

    @Override
    public void dispatch(Event event) {
        Dispatch d = dispatch;
        int id = event.type().id();
        Dispatch.Slot[] slots = d.slots;
        Dispatch.Slot slot = id < slots.length ? slots[id] : null;
        if (slot == null) {
            masked.increment(); // rare: sources only send what is enabled; this one was switched off in flight
            return;
        }
        HandlerEntry h = slot.entry;
        if (h == null) {
            unbound.increment();
        } else if (h.quarantined != null) {
            quarantined.increment();
        } else {
            try {
                h.handler.handle(event, d);
            } catch (Throwable t) {
                fault(h, event, t);
            }
        }
    }

    /**
     * Counts a fault against the handler, up to exactly {@link #QUARANTINE_AFTER}: the fault that reaches it
     * quarantines the handler before anything else happens. Another CPU's thread may still be inside the handler
     * then; when it throws too, its event counts as delivered to a quarantined handler, not as an 11th fault.
     */
    private void fault(HandlerEntry h, Event event, Throwable t) {
        long n = h.countFault(QUARANTINE_AFTER);
        if (n == 0) {
            quarantined.increment();
            return;
        }
        faults.increment();
        if (n == QUARANTINE_AFTER) {
            h.quarantined = "quarantined after " + n + " faults, last: " + Log.describe(t);
            Log.warn("handler " + h.name + " (id " + h.id + ") " + h.quarantined + "; lkst:release " + h.id
                    + " brings it back");
        } else if (n == 1) {
            Log.error("handler " + h.name + " (id " + h.id + ") threw on " + event.type().name()
                    + "; counted, further faults are counted without logging", t);
        }
    }

    @Override
    public boolean enabled(int eventId) {
        Dispatch.Slot[] slots = dispatch.slots;
        return eventId >= 0 && eventId < slots.length && slots[eventId] != null;
    }

    @Override
    public EventHandler handlerFor(int eventId) {
        Dispatch.Slot[] slots = dispatch.slots;
        if (eventId < 0 || eventId >= slots.length || slots[eventId] == null) return null;
        HandlerEntry h = slots[eventId].entry;
        return h == null || h.quarantined != null ? null : h.handler;
    }

    @Override
    public void addListener(Runnable onChange) { listeners.add(onChange); }

    @Override
    public void removeListener(Runnable onChange) { listeners.remove(onChange); }

    /** Publishes a new dispatch table, then tells the listeners (outside the lock). */
    private void rebuild() {
        synchronized (this) {
            Maskset m = masksets.active();
            Dispatch.Slot[] slots = new Dispatch.Slot[catalog.maxId() + 1];
            if (tracing) {
                Map<Integer, Dispatch.Slot> byHandler = new TreeMap<>();
                for (EventType e : catalog.all()) {
                    int h = handlerOf(m, e);
                    if (h == 0) continue;
                    slots[e.id()] = byHandler.computeIfAbsent(h, id -> new Dispatch.Slot(id, bound(id)));
                }
            }
            dispatch = new Dispatch(m.name, ++generation, slots);
        }
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                Log.error("an event source failed to follow a maskset change", e);
            }
        }
    }

    /** The handler ID for {@code e} under {@code m}: its own binding, else the first of its LKST groups bound. */
    private int handlerOf(Maskset m, EventType e) {
        int h = m.handlerFor(e);
        for (int i = 0; h == 0 && i < e.groups().size(); i++) {
            EventType g = catalog.get(e.groups().get(i));
            if (g != null) h = m.handlerFor(g);
        }
        return h;
    }

    private HandlerEntry bound(int id) { return handlers.bound(id); }

    // ------------------------------------------------------------------ handler registry

    /** Binds a handler service; refuses it (one log line, shown by handlers) when its ID is missing or taken. */
    public void bind(EventHandler handler, Object idProperty, Object nameProperty, String bundle) {
        boolean bound;
        synchronized (this) {
            bound = handlers.bind(handler, idProperty, nameProperty, bundle);
        }
        if (bound) rebuild();
    }

    /** Unbinds a handler service; a refused duplicate of the same ID, if any, takes its place. */
    public void unbind(EventHandler handler) {
        boolean changed;
        synchronized (this) {
            changed = handlers.unbind(handler);
        }
        if (changed) rebuild();
    }

    @Override
    public synchronized List<HandlerInfo> handlers() { return handlers.infos(); }

    @Override
    public HandlerInfo ctl(String handler, String parameter, String value) {
        HandlerEntry e;
        Map<String, Object> saved;
        synchronized (this) {
            e = handlers.handler(handler);
            saved = handlers.ctl(e, parameter, value);
        }
        paramStore.accept(e.name, saved);
        rebuild(); // a parameter may change what the handler pushes down to the sources
        return e.info();
    }

    /**
     * Applies parameters from configuration (Configuration Admin, PID lkst.handler.NAME or lkst.handler.ID): the whole
     * configuration of that handler, so a parameter it set before and sets no longer goes back to its default. Each
     * bad value is reported once and leaves its old value in place; they are kept and applied when the handler
     * appears.
     */
    public void configure(String handler, Map<String, Object> params) {
        synchronized (this) {
            handlers.configure(handler, params);
        }
        rebuild();
    }

    /** Why values configured for {@code handler} (name or ID) were refused, by parameter; empty when none or not bound. */
    public synchronized Map<String, String> refusedParameters(String handler) { return handlers.refusedParameters(handler); }

    private java.util.function.BiConsumer<String, Map<String, Object>> paramStore = (h, m) -> {};

    /** Where ctl persists handler parameters (Configuration Admin in the framework). */
    public void paramStore(java.util.function.BiConsumer<String, Map<String, Object>> s) { this.paramStore = s; }

    @Override
    public HandlerInfo release(String handler) {
        HandlerEntry e;
        synchronized (this) {
            e = handlers.handler(handler);
            if (e.quarantined == null) throw new IllegalArgumentException("handler " + e.name + " is not quarantined");
            e.quarantined = null;
            e.faults.set(0);
        }
        rebuild();
        return e.info();
    }

    // ------------------------------------------------------------------ status

    /**
     * The counters and the dispatch table are read without the lock; each source's status supplier is called outside
     * it too, as a supplier may do I/O (the kernel bridge reads tracefs) or call back into the engine.
     */
    @Override
    public TracerStatus status() {
        Map<String, Long> lost = new LinkedHashMap<>();
        lost.put("unbound", unbound.sum());
        lost.put("quarantined", quarantined.sum());
        lost.put("fault", faults.sum());
        lost.put("masked", masked.sum());
        Map<String, String> src = new LinkedHashMap<>();
        sources.forEach((k, v) -> {
            try {
                String line = v.get();
                if (line != null) src.put(k, line); // null: nothing to say now
            } catch (RuntimeException e) {
                src.put(k, "status failed: " + e);
            }
        });
        boolean on;
        int events;
        synchronized (this) {
            on = tracing;
            events = catalog.all().size();
        }
        Dispatch d = dispatch;
        return new TracerStatus(on, d.maskset, d.generation, events, d.enabled, lost, src);
    }

    /** Adds a line to status from an event source or the buffers (kernel: why unavailable, lost per CPU …). */
    public void source(String name, java.util.function.Supplier<String> status) { sources.put(name, status); }

    public void removeSource(String name) { sources.remove(name); }

    @Override
    public void start() {
        synchronized (this) {
            tracing = true;
        }
        rebuild();
    }

    /** How long a stop waits for each source to deliver what it holds. */
    static final long STOP_DRAIN_MS = 2_000;

    /**
     * Drains every source (outside the lock: a source calls the engine while it delivers), then stops dispatch, so
     * that a stop from any caller records the events the kernel still held.
     */
    @Override
    public void stop() {
        for (Drainable d : drains) {
            try {
                if (!d.drain(STOP_DRAIN_MS)) {
                    Log.warn("the " + d.name() + " source did not deliver what it held within " + STOP_DRAIN_MS
                            + " ms; later events are counted as masked");
                }
            } catch (RuntimeException e) {
                Log.warn("the " + d.name() + " source could not be drained before the stop: " + e.getMessage());
            }
        }
        synchronized (this) {
            tracing = false;
        }
        rebuild();
    }

    /** A source that holds events on their way here; drained at every {@link #stop()}. */
    public void addDrain(Drainable d) { drains.add(d); }

    public void removeDrain(Drainable d) { drains.remove(d); }

    // ------------------------------------------------------------------ catalog

    @Override
    public List<EventType> events() { return new ArrayList<>(catalog.all()); }

    @Override
    public EventType event(String name) {
        EventType e = catalog.get(name);
        if (e == null) throw new IllegalArgumentException("no event '" + name + "' (lkst:events lists them)");
        return e;
    }

    /** The event with this catalog ID, or null. Lock-free. */
    public EventType event(int id) { return catalog.get(id); }

    @Override
    public EventType declare(String name, String category, EventSource source, List<String> groups, List<Field> fields) {
        EventType t;
        synchronized (this) {
            EventType before = catalog.get(name);
            t = catalog.declare(name, category, source, groups, fields);
            if (before == t) return t;
        }
        rebuild();
        return t;
    }

    @Override
    public EventType availability(String name, String unavailable) {
        EventType t;
        synchronized (this) {
            t = catalog.replace(event(name).withUnavailable(unavailable));
        }
        return t;
    }

    // ------------------------------------------------------------------ masksets

    @Override
    public synchronized List<MasksetInfo> masksets() {
        List<MasksetInfo> out = new ArrayList<>();
        for (Maskset m : masksets.all()) out.add(info(m));
        return out;
    }

    @Override
    public synchronized MasksetInfo maskset(String name) { return info(masksets.existing(name)); }

    private MasksetInfo info(Maskset m) {
        Map<String, Integer> b = m.bindings(catalog.all());
        Set<Integer> unboundIds = new HashSet<>();
        for (int h : b.values()) if (bound(h) == null) unboundIds.add(h);
        return new MasksetInfo(m.id, m.name, m.builtIn, masksets.isActive(m), b, unboundIds);
    }

    @Override
    public MasksetInfo create(String name) { return change(() -> masksets.create(name)); }

    @Override
    public MasksetInfo copy(String from, String to) { return change(() -> masksets.copy(from, to, catalog.all())); }

    @Override
    public MasksetInfo set(String name, String event, int handlerId) {
        return change(() -> {
            masksets.editable(name);
            event(event); // an event of the catalog, or throws
            return masksets.set(name, event, handlerId);
        });
    }

    @Override
    public MasksetInfo unset(String name, String event) { return change(() -> masksets.unset(name, event)); }

    @Override
    public MasksetInfo select(String name) { return change(() -> masksets.select(name)); }

    @Override
    public void delete(String name) { change(() -> masksets.delete(name)); }

    private interface Change {
        Maskset apply();
    }

    private MasksetInfo change(Change c) {
        MasksetInfo info;
        Map<String, Object> saved;
        synchronized (this) {
            Maskset m = c.apply();
            saved = masksets.saved();
            info = info(m);
        }
        store.accept(saved);
        rebuild();
        synchronized (this) {
            Maskset now = masksets.find(info.name());
            return now != null ? info(now) : info;
        }
    }

    // ------------------------------------------------------------------ persistence

    /** Where masksets are saved after every change (Configuration Admin in the framework). */
    public void store(Consumer<Map<String, Object>> s) { this.store = s; }

    /**
     * Restores masksets saved by {@link #store}; entries that do not parse, or name a built-in maskset, are reported
     * and skipped.
     */
    public void restore(Map<String, Object> saved) {
        MasksetCodec.Decoded d = MasksetCodec.decode(saved);
        synchronized (this) {
            masksets.restore(d);
        }
        rebuild();
    }

    /** Parameters of handler {@code name}, for tests and the shell. */
    public synchronized List<Parameter> parameters(String handler) { return handlers.handler(handler).handler.parameters(); }
}
