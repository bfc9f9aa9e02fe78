package lkst.core;

import java.util.ArrayList;
import java.util.Collection;
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
 * The engine: catalog, masksets, handler registry and dispatch. Control operations are serialised on this
 * object and end by publishing a new {@link Dispatch}; {@link #dispatch} reads the published table without locks.
 */
public class Engine implements Tracer, Dispatcher {
    /** Faults after which a handler is quarantined. */
    static final int QUARANTINE_AFTER = 10;

    private final Catalog catalog = Catalog.standard();
    private final Map<String, Maskset> masksets = new LinkedHashMap<>();
    /** handler ID → the services registered with that ID, first (bound) one first */
    private final Map<Integer, List<HandlerEntry>> handlers = new TreeMap<>();
    /** services without a usable ID */
    private final List<HandlerEntry> refused = new ArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Drainable> drains = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> pendingParams = new LinkedHashMap<>();
    private final LongAdder unbound = new LongAdder();
    /** events that reached the engine after their event was switched off (in flight from the kernel's buffers) */
    private final LongAdder masked = new LongAdder();
    private final LongAdder quarantined = new LongAdder();
    private final LongAdder faults = new LongAdder();
    private final Map<String, java.util.function.Supplier<String>> sources = new java.util.concurrent.ConcurrentSkipListMap<>();

    private volatile Dispatch dispatch;
    private String active = Maskset.DEFAULT;
    /** The selection that persists: the last maskset selected that is not run-private ({@link Maskset#runPrivate}). */
    private String savedSelection = Maskset.DEFAULT;
    private boolean tracing = true;
    private long generation;
    private Consumer<Map<String, Object>> store = m -> {};

    public Engine() {
        masksets.put(Maskset.DEFAULT, new Maskset(1, Maskset.DEFAULT, true, Map.of()));
        masksets.put(Maskset.ALL, new Maskset(2, Maskset.ALL, true, Map.of()));
        masksets.put(Maskset.OFF, new Maskset(3, Maskset.OFF, true, Map.of()));
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
            Maskset m = masksets.get(active);
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

    private HandlerEntry bound(int id) {
        List<HandlerEntry> l = handlers.get(id);
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    // ------------------------------------------------------------------ handler registry

    /** Binds a handler service; refuses it (one log line, shown by handlers) when its ID is missing or taken. */
    public void bind(EventHandler handler, Object idProperty, Object nameProperty, String bundle) {
        String name = nameProperty == null ? handler.getClass().getSimpleName() : String.valueOf(nameProperty);
        Integer id = parseId(idProperty);
        synchronized (this) {
            if (id == null) {
                String why = idProperty == null ? "no " + EventHandler.ID + " property"
                        : EventHandler.ID + " '" + idProperty + "' is not a positive integer";
                refused.add(new HandlerEntry(-1, name, bundle, handler, why));
                Log.warn("handler " + name + " from " + bundle + " refused: " + why);
                return;
            }
            List<HandlerEntry> l = handlers.computeIfAbsent(id, k -> new ArrayList<>());
            if (!l.isEmpty()) {
                HandlerEntry first = l.get(0);
                String why = "duplicate " + EventHandler.ID + " " + id + ": already bound to " + first.name + " from " + first.bundle;
                l.add(new HandlerEntry(id, name, bundle, handler, why));
                Log.warn("handler " + name + " from " + bundle + " refused: " + why);
                return;
            }
            l.add(new HandlerEntry(id, name, bundle, handler, null));
            applyPending(l.get(0));
        }
        rebuild();
    }

    /** Unbinds a handler service; a refused duplicate of the same ID, if any, takes its place. */
    public void unbind(EventHandler handler) {
        boolean changed = false;
        synchronized (this) {
            refused.removeIf(e -> e.handler == handler);
            for (var it = handlers.values().iterator(); it.hasNext(); ) {
                List<HandlerEntry> l = it.next();
                for (int i = 0; i < l.size(); i++) {
                    if (l.get(i).handler != handler) continue;
                    HandlerEntry gone = l.remove(i);
                    if (i == 0) {
                        changed = true;
                        if (!l.isEmpty()) {
                            HandlerEntry next = l.get(0);
                            l.set(0, new HandlerEntry(next.id, next.name, next.bundle, next.handler, null));
                            Log.info("handler " + next.name + " now bound to id " + next.id + " after " + gone.name + " went away");
                            applyPending(l.get(0));
                        }
                    }
                    break;
                }
                if (l.isEmpty()) it.remove();
            }
        }
        if (changed) rebuild();
    }

    private static Integer parseId(Object p) {
        if (p == null) return null;
        try {
            int id = p instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(p).trim());
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public synchronized List<HandlerInfo> handlers() {
        List<HandlerInfo> out = new ArrayList<>();
        for (List<HandlerEntry> l : handlers.values()) for (HandlerEntry e : l) out.add(e.info());
        for (HandlerEntry e : refused) out.add(e.info());
        return out;
    }

    private HandlerEntry handler(String handler) {
        for (List<HandlerEntry> l : handlers.values()) {
            HandlerEntry e = l.get(0);
            if (String.valueOf(e.id).equals(handler) || e.name.equals(handler)) return e;
        }
        throw new IllegalArgumentException("no handler '" + handler + "' (lkst:handlers lists them)");
    }

    @Override
    public HandlerInfo ctl(String handler, String parameter, String value) {
        HandlerEntry e;
        Map<String, Object> saved;
        synchronized (this) {
            e = handler(handler);
            e.parameter(parameter).set(value);
            pendingParams.computeIfAbsent(e.name, k -> new LinkedHashMap<>()).put(parameter, value);
            saved = new LinkedHashMap<>(pendingParams.get(e.name));
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
            pendingParams.put(handler, new LinkedHashMap<>(params));
            for (List<HandlerEntry> l : handlers.values()) {
                HandlerEntry e = l.get(0);
                if (e.name.equals(handler) || String.valueOf(e.id).equals(handler)) applyPending(e);
            }
        }
        rebuild();
    }

    /** Applies the configuration of {@code e}, by ID and by name (the name's values win), each refusal logged. */
    private void applyPending(HandlerEntry e) {
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> byId = pendingParams.get(String.valueOf(e.id)), byName = pendingParams.get(e.name);
        if (byId != null) params.putAll(byId);
        if (byName != null) params.putAll(byName);
        e.configure(params).forEach((p, why) -> Log.warn("configuration of handler " + e.name + ": " + why + "; old value kept"));
    }

    /** Why values configured for {@code handler} (name or ID) were refused, by parameter; empty when none or not bound. */
    public synchronized Map<String, String> refusedParameters(String handler) {
        for (List<HandlerEntry> l : handlers.values()) {
            HandlerEntry e = l.get(0);
            if (e.name.equals(handler) || String.valueOf(e.id).equals(handler)) return e.refusedParams;
        }
        return Map.of();
    }

    private java.util.function.BiConsumer<String, Map<String, Object>> paramStore = (h, m) -> {};

    /** Where ctl persists handler parameters (Configuration Admin in the framework). */
    public void paramStore(java.util.function.BiConsumer<String, Map<String, Object>> s) { this.paramStore = s; }

    @Override
    public HandlerInfo release(String handler) {
        HandlerEntry e;
        synchronized (this) {
            e = handler(handler);
            if (e.quarantined == null) throw new IllegalArgumentException("handler " + e.name + " is not quarantined");
            e.quarantined = null;
            e.faults.set(0);
        }
        rebuild();
        return e.info();
    }

    // ------------------------------------------------------------------ status

    @Override
    public synchronized TracerStatus status() {
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
        Dispatch d = dispatch;
        return new TracerStatus(tracing, d.maskset, d.generation, catalog.all().size(), d.enabled, lost, src);
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
        for (Maskset m : masksets.values()) out.add(info(m));
        return out;
    }

    @Override
    public synchronized MasksetInfo maskset(String name) { return info(existing(name)); }

    private MasksetInfo info(Maskset m) {
        Map<String, Integer> b = m.bindings(catalog.all());
        Set<Integer> unboundIds = new HashSet<>();
        for (int h : b.values()) if (bound(h) == null) unboundIds.add(h);
        return new MasksetInfo(m.id, m.name, m.builtIn, m.name.equals(active), b, unboundIds);
    }

    private Maskset existing(String name) {
        Maskset m = masksets.get(name);
        if (m == null) throw new IllegalArgumentException("no maskset '" + name + "' (lkst:maskset list shows them)");
        return m;
    }

    private Maskset editable(String name) {
        Maskset m = existing(name);
        if (m.builtIn) {
            throw new IllegalArgumentException("maskset '" + name + "' is built in and read-only; copy it first: lkst:maskset copy "
                    + name + " NEWNAME");
        }
        return m;
    }

    private int nextMasksetId() {
        int id = 10;
        for (Maskset m : masksets.values()) id = Math.max(id, m.id + 1);
        return id;
    }

    @Override
    public MasksetInfo create(String name) {
        return change(() -> {
            checkNew(name);
            Maskset m = new Maskset(nextMasksetId(), name, false, Map.of());
            masksets.put(name, m);
            return m;
        });
    }

    @Override
    public MasksetInfo copy(String from, String to) {
        return change(() -> {
            Maskset src = existing(from);
            checkNew(to);
            Maskset m = new Maskset(nextMasksetId(), to, false, src.bindings(catalog.all()));
            masksets.put(to, m);
            return m;
        });
    }

    private void checkNew(String name) {
        if (!Maskset.validName(name)) {
            throw new IllegalArgumentException("bad maskset name '" + name + "' (letters, digits, . _ -; at most 64)");
        }
        if (masksets.containsKey(name)) throw new IllegalArgumentException("maskset '" + name + "' exists already");
    }

    @Override
    public MasksetInfo set(String name, String event, int handlerId) {
        return change(() -> {
            Maskset m = editable(name);
            event(event);
            if (handlerId <= 0) throw new IllegalArgumentException("bad handler id " + handlerId + " (a positive integer)");
            m.table.put(event, handlerId);
            return m;
        });
    }

    @Override
    public MasksetInfo unset(String name, String event) {
        return change(() -> {
            Maskset m = editable(name);
            if (m.table.remove(event) == null) {
                throw new IllegalArgumentException("maskset '" + name + "' does not bind event '" + event + "'");
            }
            return m;
        });
    }

    @Override
    public MasksetInfo select(String name) {
        return change(() -> {
            Maskset m = existing(name);
            active = m.name;
            if (!m.runPrivate()) savedSelection = m.name;
            return m;
        });
    }

    @Override
    public void delete(String name) {
        change(() -> {
            Maskset m = editable(name);
            if (m.name.equals(active)) {
                throw new IllegalArgumentException("maskset '" + name + "' is active; select another first");
            }
            masksets.remove(name);
            return m;
        });
    }

    private interface Change {
        Maskset apply();
    }

    private MasksetInfo change(Change c) {
        MasksetInfo info;
        Map<String, Object> saved;
        synchronized (this) {
            Maskset m = c.apply();
            saved = persistentState();
            info = info(m);
        }
        store.accept(saved);
        rebuild();
        synchronized (this) {
            return masksets.containsKey(info.name()) ? info(masksets.get(info.name())) : info;
        }
    }

    // ------------------------------------------------------------------ persistence

    /** Where masksets are saved after every change (Configuration Admin in the framework). */
    public void store(Consumer<Map<String, Object>> s) { this.store = s; }

    private Map<String, Object> persistentState() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Maskset m : masksets.values()) {
            if (m.builtIn || m.runPrivate()) continue;
            names.add(m.id + ":" + m.name);
            List<String> b = new ArrayList<>();
            m.table.forEach((e, h) -> b.add(e + "=" + h));
            out.put("maskset." + m.name, b.toArray(new String[0]));
        }
        out.put("masksets", names.toArray(new String[0]));
        out.put("active", savedSelection);
        return out;
    }

    /** Restores masksets saved by {@link #store}; entries that do not parse are reported and skipped. */
    public void restore(Map<String, Object> saved) {
        synchronized (this) {
            Object names = saved.get("masksets");
            for (String entry : strings(names)) {
                int colon = entry.indexOf(':');
                try {
                    int id = Integer.parseInt(entry.substring(0, colon));
                    String name = entry.substring(colon + 1);
                    if (!Maskset.validName(name) || masksets.containsKey(name)) throw new IllegalArgumentException(name);
                    Map<String, Integer> table = new LinkedHashMap<>();
                    for (String b : strings(saved.get("maskset." + name))) {
                        int eq = b.lastIndexOf('=');
                        table.put(b.substring(0, eq), Integer.parseInt(b.substring(eq + 1)));
                    }
                    masksets.put(name, new Maskset(id, name, false, table));
                } catch (RuntimeException e) {
                    Log.warn("saved maskset '" + entry + "' is malformed and was skipped: " + e);
                }
            }
            Object a = saved.get("active");
            if (a != null && masksets.containsKey(String.valueOf(a))) active = savedSelection = String.valueOf(a);
        }
        rebuild();
    }

    private static Collection<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof String[] a) out.addAll(List.of(a));
        else if (o instanceof Collection<?> c) c.forEach(x -> out.add(String.valueOf(x)));
        else if (o != null) out.add(String.valueOf(o));
        return out;
    }

    /** Parameters of handler {@code name}, for tests and the shell. */
    public synchronized List<Parameter> parameters(String handler) { return handler(handler).handler.parameters(); }
}
