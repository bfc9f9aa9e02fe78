package lkst.example.timerwatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventType;
import lkst.api.HandlerContext;
import lkst.api.Parameter;
import lkst.api.Recorder;
import lkst.api.Tracer;
import lkst.buffers.api.Buffers;
import lkst.handlers.std.timers.Finding;
import lkst.handlers.std.timers.ReorderWindow;
import lkst.handlers.std.timers.TimerLedger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Handler 1002, {@code timerwatch}: LKST's worked example. It records every event it gets (like {@code record})
 * and keeps, per object, whether a timer inside it is armed, from the uprobes of a program's create, destroy and
 * timer functions (by default those of examples/timer-uaf: {@code uprobes:conn_new} with fields {@code obj} and
 * {@code size}, {@code uprobes:conn_free}, {@code uprobes:timer_add|timer_mod|timer_del|timer_fire} with {@code obj}).
 * Events are put back in time order across CPUs by a {@link ReorderWindow} of {@code window-ms}. When an object is
 * destroyed with its timer armed it logs one line, switches to the maskset {@code detailed} (made on first use as a
 * copy of the active one that also records the {@code detail} events) and makes buffer {@code buffer} current on
 * every CPU, so the history before the fault stays in the buffer it was in.
 */
@Component(property = {EventHandler.ID + ":Integer=" + TimerWatchHandler.ID, EventHandler.NAME + "=timerwatch"})
public final class TimerWatchHandler implements EventHandler {
    public static final int ID = 1002;
    private static final Logger LOG = Logger.getLogger(TimerWatchHandler.class.getName());
    private static final int NONE = -1;
    private static final int KEPT_FINDINGS = 16;

    private final Recorder recorder;
    private final Escalation escalation;
    private final TimerLedger ledger = new TimerLedger(65_536, this::found);
    private final ReorderWindow window = new ReorderWindow(100_000_000L, 65_536, ledger);
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lkst-timerwatch");
        t.setDaemon(true);
        return t;
    });
    /** event type → {kind, index of obj, index of size}: looked up without allocation */
    private final Map<EventType, int[]> roles = new ConcurrentHashMap<>();
    private final List<String> findings = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean escalated = new AtomicBoolean();
    private volatile String[][] names = {
            {"uprobes:conn_new"}, {"uprobes:conn_free"}, {"uprobes:timer_add", "uprobes:timer_mod"},
            {"uprobes:timer_del"}, {"uprobes:timer_fire"}};
    private volatile String detailed = "timerwatch-detailed";
    private volatile List<String> detail = List.of("PROCESS_CONTEXTSWITCH", "PROCESS_WAKEUP");
    private volatile int buffer = 1;
    private volatile boolean escalate = true;
    private volatile String maskset = "default";

    /*
     * The tracer and the buffers are looked up when a finding needs them, not referenced: the tracer gets this
     * handler while it binds it, and a reference back to the tracer would be a cycle SCR refuses ("Unable to get
     * service for reference").
     */
    private final BundleContext bundle;

    @Activate
    public TimerWatchHandler(BundleContext bundle, @Reference Recorder recorder) {
        this(recorder, null, bundle);
        clock.scheduleWithFixedDelay(() -> window.drain(System.nanoTime()), 20, 20, TimeUnit.MILLISECONDS);
    }

    /** With a fixed escalation (tests); null: made from the tracer and buffers services when needed. */
    TimerWatchHandler(Recorder recorder, Escalation escalation) {
        this(recorder, escalation, null);
    }

    private TimerWatchHandler(Recorder recorder, Escalation escalation, BundleContext bundle) {
        this.recorder = recorder;
        this.escalation = escalation;
        this.bundle = bundle;
    }

    private Escalation escalation() {
        if (escalation != null) return escalation;
        return new Escalation(service(Tracer.class), service(Buffers.class));
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = bundle.getServiceReference(type);
        T s = ref == null ? null : bundle.getService(ref);
        if (s == null) throw new IllegalArgumentException("no " + type.getSimpleName() + " service");
        return s;
    }

    @Deactivate
    void deactivate() { clock.shutdownNow(); }

    @Override
    public void handle(Event event, HandlerContext context) {
        recorder.record(event);
        maskset = context.maskset();
        int[] role = roles.computeIfAbsent(event.type(), this::role);
        if (role[0] == NONE) return;
        long size = role[2] < 0 ? 1 : event.number(role[2]);
        window.offer(role[0], event.timestamp(), event.number(role[1]), size, event.pid());
    }

    /** Feeds the ledger everything stamped before {@code now - window} (the 20 ms clock calls it; tests too). */
    void drain(long now) { window.drain(now); }

    /** What an event type is to the ledger: its kind, the index of {@code obj} and of {@code size}. */
    private int[] role(EventType t) {
        int obj = t.fieldIndex("obj");
        if (obj < 0) return new int[] {NONE, -1, -1};
        String[][] n = names;
        for (int kind = 0; kind < n.length; kind++) {
            if (Arrays.asList(n[kind]).contains(t.name())) return new int[] {kind, obj, t.fieldIndex("size")};
        }
        return new int[] {NONE, -1, -1};
    }

    private void found(Finding f) {
        String line = "timerwatch: " + f;
        LOG.warning(line);
        synchronized (findings) {
            findings.add(line);
            if (findings.size() > KEPT_FINDINGS) findings.remove(0);
        }
        if (!f.fired() && escalate && escalated.compareAndSet(false, true)) {
            String from = maskset;
            clock.execute(() -> {
                try {
                    Escalation e = escalation();
                    e.buffers(buffer); // first: the history before the fault stays where it is
                    e.maskset(from, detailed, detail);
                    LOG.warning("timerwatch: escalated: maskset " + detailed + ", every CPU now writes buffer " + buffer);
                } catch (IllegalArgumentException x) {
                    LOG.warning("timerwatch: cannot escalate: " + x.getMessage());
                }
            });
        }
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                names("create", TimerLedger.CREATE, "events that create an object (fields obj, size)"),
                names("destroy", TimerLedger.DESTROY, "events that destroy an object (field obj)"),
                names("arm", TimerLedger.ARM, "events that arm a timer (field obj: the timer's address)"),
                names("disarm", TimerLedger.DISARM, "events that delete a timer (field obj)"),
                names("fire", TimerLedger.FIRE, "events of a timer firing (field obj)"),
                Parameter.<Integer>of("window-ms", Parameter.Type.INT,
                        "events are put in time order across CPUs within this window before they are checked",
                        () -> (int) (window.windowNanos() / 1_000_000), v -> window.windowNanos(v * 1_000_000L),
                        v -> v >= 0 && v <= 10_000, "0 to 10000 ms"),
                Parameter.<Boolean>of("escalate", Parameter.Type.BOOLEAN,
                        "on the first finding, switch maskset and buffers", () -> escalate, v -> escalate = v),
                Parameter.<String>of("detailed", Parameter.Type.STRING,
                        "the maskset switched to (made from the active one when missing)", () -> detailed,
                        v -> detailed = v, v -> !v.isBlank(), "a maskset name"),
                Parameter.<String>of("detail", Parameter.Type.STRING,
                        "events the detailed maskset made here also records", () -> String.join(",", detail),
                        v -> detail = List.of(v.split("\\s*,\\s*")), v -> !v.isBlank(), "event names, comma-separated"),
                Parameter.<Integer>of("buffer", Parameter.Type.INT, "the buffer every CPU switches to",
                        () -> buffer, v -> buffer = v, v -> v >= 0, "a buffer ID is 0 or more"),
                Parameter.<Boolean>of("escalated", Parameter.Type.BOOLEAN, "true once escalated (set false to re-arm)",
                        escalated::get, escalated::set),
                readOnly("objects", () -> (long) syncLedger(l -> l.objects()), "objects tracked now"),
                readOnly("armed", () -> (long) syncLedger(l -> l.armedTimers()), "timers armed now in tracked objects"),
                readOnly("evictions", () -> syncLedger(TimerLedger::evictions), "objects forgotten because 65536 were tracked"),
                readOnly("late", window::late, "events that arrived after the window had passed them (checked out of order)"),
                Parameter.<String>of("findings", Parameter.Type.STRING, "the last " + KEPT_FINDINGS
                                + " findings, one a line (read-only)", () -> String.join("\n", findings()), v -> { },
                        v -> false, "read-only"));
    }

    /** The findings so far, oldest first (at most 16). */
    List<String> findings() {
        synchronized (findings) { return List.copyOf(findings); }
    }

    private long syncLedger(java.util.function.ToLongFunction<TimerLedger> f) {
        synchronized (window) { return f.applyAsLong(ledger); }
    }

    private Parameter names(String name, int kind, String description) {
        return Parameter.<String>of(name, Parameter.Type.STRING, description + ", comma-separated",
                () -> String.join(",", names[kind]),
                v -> {
                    String[][] n = names.clone();
                    n[kind] = v.split("\\s*,\\s*");
                    names = n;
                    roles.clear();
                }, v -> !v.isBlank(), "event names, comma-separated");
    }

    private static Parameter readOnly(String name, java.util.function.LongSupplier value, String description) {
        return Parameter.<Long>of(name, Parameter.Type.LONG, description + " (read-only)", value::getAsLong, v -> { },
                v -> false, "read-only");
    }
}
