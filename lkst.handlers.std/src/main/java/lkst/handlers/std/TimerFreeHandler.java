package lkst.handlers.std;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventType;
import lkst.api.HandlerContext;
import lkst.api.Parameter;
import lkst.handlers.std.timers.Finding;
import lkst.handlers.std.timers.ReorderWindow;
import lkst.handlers.std.timers.TimerLedger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Handler 6, {@code timer-free}: LKST's worked example on the running kernel's own timers. It reports a kernel
 * object freed while a timer inside it ({@code [ptr, ptr + bytes_alloc)}) is armed, and that timer firing
 * afterwards. Bind to it {@code timer:timer_start} (TIMER_ADD), {@code timer:timer_cancel} (TIMER_DEL),
 * {@code timer:timer_expire_entry} (TIMER_RUN), {@code kmem:kmalloc} (MEM_MALLOC), {@code kmem:kmem_cache_alloc}
 * (MEM_CACHE_ALLOC), {@code kmem:kfree} (MEM_FREE) and {@code kmem:kmem_cache_free} (MEM_CACHE_FREE). It records
 * nothing; each finding is one log line and is kept in its parameter {@code findings}.
 *
 * <p>What it cannot see: objects allocated before tracing began (or evicted: see below) are not checked; bulk
 * frees ({@code kmem_cache_free_bulk}) and page-allocator frees make no {@code kfree} event; hrtimers are another
 * mechanism ({@code timer:hrtimer_*}) and are not checked.
 *
 * <p>Events are put back in time order across CPUs by a {@link ReorderWindow} of {@code window-ms}. Memory is
 * bounded: at most {@code capacity} objects are tracked, about {@value TimerLedger#BYTES_PER_OBJECT} bytes each;
 * when full, the object tracked longest is forgotten and counted in {@code evictions}.
 */
@Component(property = {EventHandler.ID + ":Integer=" + TimerFreeHandler.ID, EventHandler.NAME + "=timer-free"})
public final class TimerFreeHandler implements EventHandler {
    public static final int ID = 6;
    static final int DEFAULT_CAPACITY = 65_536;
    private static final int KEPT_FINDINGS = 16;
    /** tracepoint → kind, and its address and size fields */
    private static final Map<String, String[]> ROLES = Map.of(
            "kmem:kmalloc", new String[] {"ptr", "bytes_alloc"},
            "kmem:kmem_cache_alloc", new String[] {"ptr", "bytes_alloc"},
            "kmem:kfree", new String[] {"ptr", null},
            "kmem:kmem_cache_free", new String[] {"ptr", null},
            "timer:timer_start", new String[] {"timer", null},
            "timer:timer_cancel", new String[] {"timer", null},
            "timer:timer_expire_entry", new String[] {"timer", null});
    private static final Map<String, Integer> KINDS = Map.of(
            "kmem:kmalloc", TimerLedger.CREATE, "kmem:kmem_cache_alloc", TimerLedger.CREATE,
            "kmem:kfree", TimerLedger.DESTROY, "kmem:kmem_cache_free", TimerLedger.DESTROY,
            "timer:timer_start", TimerLedger.ARM, "timer:timer_cancel", TimerLedger.DISARM,
            "timer:timer_expire_entry", TimerLedger.FIRE);
    private static final int[] NONE = {-1, -1, -1};
    static final String SCOPE = "kernel objects freed (kfree, kmem_cache_free) while a timer_list inside them is armed; "
            + "only objects whose allocation was traced (kmalloc, kmem_cache_alloc) are checked; bulk frees and "
            + "hrtimers are out of scope";

    /** The ledger and its window, replaced together when the capacity changes. */
    private record Check(TimerLedger ledger, ReorderWindow window) {}

    private final Map<EventType, int[]> roles = new ConcurrentHashMap<>();
    private final List<String> findings = new ArrayList<>();
    private volatile Check check;
    private volatile ScheduledExecutorService clock;
    /** Whether a drain is scheduled: only while the window holds events (an idle handler never wakes). */
    private final AtomicBoolean ticking = new AtomicBoolean();

    public TimerFreeHandler() {
        check = check(DEFAULT_CAPACITY, 100_000_000L);
    }

    @Activate
    void activate() {
        clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lkst-timer-free");
            t.setDaemon(true);
            return t;
        });
        if (check.window().held() > 0) arm();
    }

    /**
     * Schedules a drain in 20 ms unless one is scheduled. The handler's thread (started at the first) sleeps while
     * the window is empty: it ticked every 20 ms whether or not it had events until 2026-12-02, the most frequent
     * wake-up of an idle LKST/J (lkst.bench/kernel/selfcost.sh).
     */
    private void arm() {
        ScheduledExecutorService c = clock;
        if (c == null || !ticking.compareAndSet(false, true)) return;
        try {
            c.schedule(this::tick, 20, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // deactivated
            ticking.set(false);
        }
    }

    private void tick() {
        drain(System.nanoTime());
        ticking.set(false);
        if (check.window().held() > 0) arm(); // after the flag: an offer that saw it set is drained by this re-arm
    }

    @Deactivate
    void deactivate() { clock.shutdownNow(); }

    private Check check(int capacity, long windowNanos) {
        TimerLedger ledger = new TimerLedger(capacity, this::found);
        return new Check(ledger, new ReorderWindow(windowNanos, capacity, ledger));
    }

    @Override
    public void handle(Event event, HandlerContext context) {
        int[] role = roles.get(event.type());
        if (role == null) role = roles.computeIfAbsent(event.type(), TimerFreeHandler::role);
        if (role[0] < 0) return;
        long address = event.number(role[1]);
        if (address == 0) return; // kfree(NULL), a failed allocation
        check.window().offer(role[0], event.timestamp(), address, role[2] < 0 ? 1 : event.number(role[2]), event.pid());
        if (!ticking.get()) arm();
    }

    /** Checks everything stamped before {@code now - window-ms} (every 20 ms while events wait; tests call it with their clock). */
    public void drain(long now) { check.window().drain(now); }

    private static int[] role(EventType t) {
        String[] fields = ROLES.get(t.name());
        if (fields == null) return NONE;
        int address = t.fieldIndex(fields[0]);
        int size = fields[1] == null ? -1 : t.fieldIndex(fields[1]);
        if (address < 0 || (fields[1] != null && size < 0)) return NONE;
        return new int[] {KINDS.get(t.name()), address, size};
    }

    private void found(Finding f) {
        String line = "timer-free: " + f;
        Log.warn(line);
        synchronized (findings) {
            findings.add(line);
            if (findings.size() > KEPT_FINDINGS) findings.remove(0);
        }
    }

    /** The findings kept, oldest first. */
    List<String> findings() {
        synchronized (findings) { return List.copyOf(findings); }
    }

    /** Reads the ledger under its window's lock (the sink runs under it). */
    long ledger(java.util.function.ToLongFunction<TimerLedger> f) {
        Check c = check;
        synchronized (c.window()) { return f.applyAsLong(c.ledger()); }
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                Parameter.<Integer>of("window-ms", Parameter.Type.INT,
                        "events are put in time order across CPUs within this window before they are checked",
                        () -> (int) (check.window().windowNanos() / 1_000_000),
                        v -> check.window().windowNanos(v * 1_000_000L), v -> v >= 0 && v <= 10_000, "0 to 10000 ms"),
                Parameter.<Integer>of("capacity", Parameter.Type.INT, "objects tracked at most (about "
                                + TimerLedger.BYTES_PER_OBJECT + " bytes each); setting it starts afresh",
                        () -> check.ledger().capacity(),
                        v -> check = check(v, check.window().windowNanos()), v -> v >= 16 && v <= 16_777_216,
                        "16 to 16777216"),
                Parameter.<String>of("scope", Parameter.Type.STRING, "what it checks (read-only)", () -> SCOPE, v -> { },
                        v -> false, "read-only"),
                readOnly("objects", l -> l.objects(), "objects tracked now"),
                readOnly("armed", l -> l.armedTimers(), "timers armed now inside tracked objects"),
                readOnly("armings", TimerLedger::armings, "timer starts inside tracked objects"),
                readOnly("created", TimerLedger::created, "allocations seen"),
                readOnly("evictions", TimerLedger::evictions, "objects forgotten because capacity were tracked"),
                readOnly("untracked-frees", TimerLedger::untrackedFrees, "frees of objects whose allocation was not seen"),
                Parameter.<Long>of("late", Parameter.Type.LONG, "events that came after the window had passed them "
                        + "(checked out of order; read-only)", () -> check.window().late(), v -> { }, v -> false, "read-only"),
                readOnly("found", TimerLedger::found, "findings so far"),
                Parameter.<String>of("findings", Parameter.Type.STRING, "the last " + KEPT_FINDINGS
                                + " findings, one a line (read-only)", () -> String.join("\n", findings()), v -> { },
                        v -> false, "read-only"));
    }

    private Parameter readOnly(String name, java.util.function.ToLongFunction<TimerLedger> value, String description) {
        return Parameter.<Long>of(name, Parameter.Type.LONG, description + " (read-only)", () -> ledger(value), v -> { },
                v -> false, "read-only");
    }
}
