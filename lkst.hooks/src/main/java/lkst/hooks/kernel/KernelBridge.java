package lkst.hooks.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import lkst.api.Dispatcher;
import lkst.api.Drainable;
import lkst.api.EventHandler;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.KernelFiles;
import lkst.api.LossSource;
import lkst.api.MasksetInfo;
import lkst.api.StatusSource;
import lkst.api.Tracer;
import lkst.hooks.kernel.api.KernelControl;
import lkst.hooks.ftrace.EventFormat;
import lkst.hooks.ftrace.FormatParser;
import lkst.hooks.ftrace.KernelTypes;
import lkst.hooks.ftrace.PageLayout;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The kernel domain of LKST/J: a private ftrace instance whose enabled tracepoints follow the active maskset, one
 * reader thread per CPU feeding the dispatcher, run-time tracepoints and uprobes, kernel filters pushed down by
 * handlers. Without tracefs access it stays up, and its status says why kernel events are unavailable and how to
 * fix it.
 *
 * <p>Configuration (PID {@value #PID}): {@code tracefs} (default /sys/kernel/tracing), {@code buffer.size.kb} (per
 * CPU, default {@value #DEFAULT_BUFFER_KB}), {@code subbuf.size.kb} (default {@value #DEFAULT_SUBBUF_KB}), {@code mmap}
 * (default false: read(); true: the mmap reader where the kernel offers it, see {@link #DEFAULT_MMAP}),
 * {@code buffer.percent} (how full a buffer gets before its reader is woken; the kernel's default when absent),
 * {@code reader.nice} (nice value of the reader threads, default {@value #DEFAULT_READER_NICE}; 0 keeps the JVM's),
 * {@code reader.rtprio} (SCHED_FIFO priority of the reader threads, default {@value #DEFAULT_READER_RTPRIO}; 0 keeps
 * them under the normal scheduler at their nice value), {@code reader.pin} (default {@value #DEFAULT_READER_PIN}; true:
 * each reader runs only on its own CPU), {@code trace.self} (default false: the threads of LKST/J's own JVM are kept
 * out of the trace, as trace-cmd keeps its own out; true traces them like any other process, its kernel readers too).
 * A bad value is refused and the value before it kept ({@link KernelSettings}).
 *
 * <p>Over 300 lines, not yet for a good reason: its configuration ({@link KernelSettings}), self-exclusion
 * ({@link SelfExclusion}) and the readers' page sources ({@link PageSource}) are classes of their own, but the
 * catalog declaration, the tracepoint and filter sync, the run-time additions and the status text still live here;
 * they share the bridge's lock and its declared-events table, and splitting them is the rest of issue 11 point 4.
 */
@Component(service = {KernelBridge.class, KernelControl.class, StatusSource.class, LossSource.class, Drainable.class,
        KernelFiles.class}, immediate = true, configurationPid = KernelBridge.PID)
public class KernelBridge implements KernelControl, StatusSource, LossSource, Drainable, KernelFiles {
    public static final String PID = "lkst.kernel";
    /**
     * Handler 1, {@code record}: events bound only to it are needed at stop, not as they happen, so the readers then
     * sleep until the kernel's buffer_percent or a stop wakes them ({@link CpuReader#promptDelivery}).
     */
    static final int RECORD_HANDLER = 1;
    // Why each default: measured in lkst.bench/kernel/README.md (throughput.sh), figures there.
    /** Readers run before the workload they trace: under hackbench, readers at nice 0 lost far more events. */
    public static final int DEFAULT_READER_NICE = -10;
    /**
     * SCHED_FIFO priority of the reader threads; 0 leaves them to the normal scheduler at {@link #DEFAULT_READER_NICE},
     * where hundreds of runnable tasks starve them and they lose events in proportion to their CPU cost per event. A
     * real-time reader runs whenever pages wait and sleeps in poll() once caught up. 2: one above the logger
     * (lkst.buffers' {@code lkst.logger.rtprio}), which drains LKST/J's buffers to disk.
     */
    public static final int DEFAULT_READER_RTPRIO = 2;
    /** Sub-buffer size in KiB; 0 keeps the kernel's (one page). 16 KiB: fewer read() calls, less CPU per event. */
    public static final int DEFAULT_SUBBUF_KB = 16;
    /**
     * Use the mmap reader ({@code TRACE_MMAP_IOCTL_GET_READER}) where the kernel offers it, else read() of whole
     * sub-buffers. Off by default: on Linux 6.18 the hand-over of a mapped sub-buffer costs kernel time per event (the
     * kernel advances its reader over every event of the page), more than read() of the same pages.
     */
    public static final boolean DEFAULT_MMAP = false;
    /**
     * Whether each reader runs only on the CPU whose buffer it reads (see {@link CpuReader#pin}). Off by default, as
     * trace-cmd's recorders: with one busy CPU an unpinned reader works on an idle CPU instead of preempting the
     * workload; with every CPU busy pinned readers do better.
     */
    public static final boolean DEFAULT_READER_PIN = false;
    /** How long a stop waits for the readers to deliver what the kernel still holds. */
    static final long STOP_DRAIN_MS = 5_000;
    /** Per CPU; the size trace-cmd is measured with here ({@code -b 8192}). */
    public static final int DEFAULT_BUFFER_KB = 8192;

    /** A tracepoint or uprobe LKST/J declared: its catalog entry and where it lives in the instance. */
    private record Declared(EventType type, EventFormat format, String kernelName) {}

    private final Tracer tracer;
    private final Dispatcher dispatcher;
    private final Path root;
    private final KernelSettings settings;
    private final KernelTypes types = new KernelTypes();
    private final Runnable listener = this::resync;

    /** catalog name → declared tracepoint or uprobe */
    private final Map<String, Declared> declared = new LinkedHashMap<>();
    /** filters set by hand (setFilter), by catalog name */
    private final Map<String, String> userFilters = new TreeMap<>();
    /** filters applied now, by kernel tracepoint */
    private final Map<String, String> applied = new TreeMap<>();
    // Read by status() without the bridge's lock, so that a status never waits behind a bridge operation (which may
    // call the engine, and wait for the kernel, while it holds the lock).
    /** why a filter was refused, by catalog name */
    private final Map<String, String> filterErrors = new ConcurrentSkipListMap<>();
    private final Set<String> uprobes = new ConcurrentSkipListSet<>();
    /** the uprobes added, as they were asked for (SavedProbes saves them) */
    private final Map<String, Uprobes.Spec> uprobeSpecs = new ConcurrentSkipListMap<>();
    /** told after each tracepoint or uprobe added or removed at run time */
    private final List<Runnable> additionListeners = new CopyOnWriteArrayList<>();
    private final List<String> missing = new CopyOnWriteArrayList<>();
    private final List<CpuReader> readers = new CopyOnWriteArrayList<>();
    private volatile TraceInstance instance;
    private volatile Uprobes probes;
    private volatile String unavailable;
    private volatile String syncError;
    /** Keeps the JVM's own threads out of the trace; null with trace.self=true or when that failed. */
    private volatile SelfExclusion self;
    private volatile String selfError;

    private PageLayout layout;

    /**
     * The settings of the last bridge that started. DS makes a new bridge for every configuration change; a value the
     * new configuration gets wrong keeps the one that worked before (see {@link KernelSettings}).
     */
    private static volatile KernelSettings lastSettings = KernelSettings.DEFAULTS;

    @Activate
    public KernelBridge(@Reference Tracer tracer, @Reference Dispatcher dispatcher, Map<String, Object> config) {
        this.tracer = tracer;
        this.dispatcher = dispatcher;
        this.settings = KernelSettings.of(config, lastSettings);
        this.root = settings.tracefs();
        settings.refusals().forEach(Log::warn);
        start();
        if (unavailable == null) lastSettings = settings; // the values that worked
    }

    private synchronized void start() {
        String reason = Tracefs.unusableReason(root);
        if (reason != null) {
            unavailable = reason;
            markStandardUnavailable(reason);
            Log.warn(reason);
            return;
        }
        try {
            instance = TraceInstance.create(root, settings.bufferKb());
            probes = new Uprobes(root, instance.name());
            if (settings.bufferPercent() != null) instance.bufferPercent(settings.bufferPercent());
            if (settings.subbufKb() > 0) instance.subbufSizeKb(settings.subbufKb());
            probes.reclaim();
            layout = FormatParser.pageLayout(root);
            declareStandard();
            for (int cpu : instance.cpus()) readers.add(new CpuReader(instance, cpu, layout, types, dispatcher, settings.mmap()));
            for (CpuReader r : readers) {
                r.nice(settings.readerNice());
                r.realtime(settings.readerRtPriority());
                r.pin(settings.readerPin());
                r.traced(settings.traceSelf()); // trace.self: every thread of the JVM, its readers too
                r.start(); // before anything is enabled: see CpuReader.start
            }
            if (!settings.traceSelf()) excludeSelf(); // before anything is enabled
            dispatcher.addListener(listener);
            sync();
            Log.info("kernel events through ftrace instance " + instance.name() + ", " + readers.size() + " CPU readers ("
                    + (readers.isEmpty() ? "-" : readers.get(0).mode()) + ")");
        } catch (IOException | RuntimeException | LinkageError e) {
            unavailable = "kernel events unavailable: " + e.getMessage();
            Log.error(unavailable);
            shutdown();
            markStandardUnavailable(unavailable);
        }
    }

    /** Keeps every thread of this JVM out of the trace; a failure is reported, and the JVM's events then show. */
    private void excludeSelf() {
        try {
            self = SelfExclusion.start(instance);
        } catch (IOException | RuntimeException e) {
            selfError = String.valueOf(e.getMessage());
            Log.warn("cannot keep LKST/J's own threads out of the trace: " + selfError);
        }
    }

    /**
     * Traces process {@code pid}, which this JVM started: LKST/J keeps its own JVM and what it starts out of the
     * trace, so a launcher that starts a command to trace names it here, best before tracing starts and before the
     * command execs (see {@link SelfExclusion}). With trace.self=true every process is traced already.
     *
     * @return false when the pid was traced already
     */
    @Override
    public boolean traceProcess(int pid) {
        requireAvailable();
        SelfExclusion s = self;
        if (s == null) return false;
        try {
            return s.traceProcess(pid);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot trace process " + pid + ": " + e.getMessage());
        }
    }

    private void markStandardUnavailable(String reason) {
        for (EventType e : tracer.events()) {
            if (e.standard() && e.source() == EventSource.KERNEL && e.available()) tracer.availability(e.name(), reason);
        }
    }

    /** Declares every tracepoint of the standard events that this kernel has; marks events with none unavailable. */
    private void declareStandard() throws IOException {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        Map<String, String> category = new LinkedHashMap<>();
        for (EventType e : tracer.events()) {
            if (!e.standard() || e.source() != EventSource.KERNEL) continue;
            for (String tp : e.tracepoints()) {
                groups.computeIfAbsent(tp, k -> new ArrayList<>()).add(e.name());
                category.putIfAbsent(tp, e.category());
            }
        }
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            String tp = g.getKey();
            if (!instance.exists(tp)) {
                missing.add(tp);
                continue;
            }
            declare(tp, tp, category.get(tp), EventSource.KERNEL, g.getValue());
        }
        String kernel = System.getProperty("os.version");
        for (EventType e : tracer.events()) {
            if (!e.standard() || e.source() != EventSource.KERNEL || e.tracepoints().isEmpty()) continue;
            List<String> absent = new ArrayList<>();
            for (String tp : e.tracepoints()) if (missing.contains(tp)) absent.add(tp);
            if (absent.size() == e.tracepoints().size()) {
                tracer.availability(e.name(), "tracepoint" + (absent.size() > 1 ? "s " : " ") + String.join(",", absent)
                        + " not on this kernel (" + kernel + ")");
            } else if (!e.available()) {
                tracer.availability(e.name(), null);
            }
        }
    }

    private EventType declare(String catalogName, String kernelName, String category, EventSource source,
                              List<String> groups) throws IOException {
        int colon = kernelName.indexOf(':');
        EventFormat f = FormatParser.event(instance.events(), kernelName.substring(0, colon), kernelName.substring(colon + 1));
        EventType t = tracer.declare(catalogName, category, source, groups, f.fields());
        if (!t.available()) t = tracer.availability(catalogName, null);
        types.put(t, f);
        declared.put(catalogName, new Declared(t, f, kernelName));
        return t;
    }

    // ------------------------------------------------------------------ following the dispatch table

    private void resync() {
        try {
            sync();
        } catch (RuntimeException e) {
            Log.error("cannot enable the active maskset's tracepoints in the kernel", e);
        }
    }

    /**
     * Enables in the instance exactly the tracepoints the dispatcher has enabled and a bound handler serves, and applies the kernel filters
     * their handlers (and {@link #filter}) ask for.
     */
    public synchronized void sync() {
        if (instance == null || instance.isClosed()) return;
        Set<String> wanted = new LinkedHashSet<>();
        Map<String, String> filters = new TreeMap<>();
        Map<String, Integer> bindings = activeBindings();
        boolean prompt = false;
        for (Map.Entry<String, Declared> e : declared.entrySet()) {
            Declared d = e.getValue();
            // traced by the active maskset and served by a bound handler: events nobody handles never leave the kernel
            if (!dispatcher.enabled(d.type.id()) || dispatcher.handlerFor(d.type.id()) == null) continue;
            wanted.add(d.kernelName);
            prompt |= handlerId(bindings, d.type) != RECORD_HANDLER;
            String f = combine(handlerFilter(d), userFilters.get(e.getKey()));
            if (f != null) filters.put(e.getKey(), f);
        }
        // filters first: a tracepoint enabled before its filter would let unfiltered events through meanwhile
        applyFilters(filters);
        for (CpuReader r : readers) r.promptDelivery(prompt);
        try {
            instance.enableExactly(wanted);
            syncError = null;
        } catch (IOException | RuntimeException e) {
            syncError = "cannot enable " + wanted + ": " + e.getMessage();
            Log.error(syncError);
        }
    }

    /** The active maskset's table, event name → handler ID (empty when none is active). */
    private Map<String, Integer> activeBindings() {
        for (MasksetInfo m : tracer.masksets()) if (m.active()) return m.bindings();
        return Map.of();
    }

    /** The handler ID the maskset gives a tracepoint, as the engine resolves it: its own binding, else its first bound LKST event. */
    private static int handlerId(Map<String, Integer> bindings, EventType t) {
        Integer h = bindings.get(t.name());
        for (int i = 0; (h == null || h == 0) && i < t.groups().size(); i++) h = bindings.get(t.groups().get(i));
        return h == null ? 0 : h;
    }

    private String handlerFilter(Declared d) {
        EventHandler h = dispatcher.handlerFor(d.type.id());
        if (h == null) return null;
        try {
            return h.kernelFilter(d.type);
        } catch (RuntimeException e) {
            Log.warn("the handler's kernel filter for " + d.type.name() + " failed; the event is not filtered in the kernel", e);
            return null;
        }
    }

    private static String combine(String a, String b) {
        if (a == null || a.isBlank()) return b == null || b.isBlank() ? null : b;
        if (b == null || b.isBlank()) return a;
        return "(" + a + ") && (" + b + ")";
    }

    private void applyFilters(Map<String, String> filters) {
        for (Map.Entry<String, Declared> e : declared.entrySet()) {
            String kernelName = e.getValue().kernelName;
            String want = filters.get(e.getKey());
            String now = applied.get(kernelName);
            if (want == null ? now == null : want.equals(now)) continue;
            try {
                if (want == null) {
                    instance.clearFilter(kernelName);
                    applied.remove(kernelName);
                } else {
                    instance.setFilter(kernelName, want);
                    applied.put(kernelName, want);
                }
                filterErrors.remove(e.getKey());
            } catch (IllegalArgumentException ex) {
                filterErrors.put(e.getKey(), ex.getMessage());
                Log.warn(ex.getMessage() + "; the previous filter stays");
            } catch (IOException ex) {
                filterErrors.put(e.getKey(), "cannot set filter on " + kernelName + ": " + ex.getMessage());
                Log.warn(filterErrors.get(e.getKey()));
            }
        }
    }

    // ------------------------------------------------------------------ run-time additions

    @Override
    public String unavailable() { return unavailable; }

    public boolean available() { return unavailable == null; }

    /**
     * Disables every tracepoint in the instance and waits (at most {@code timeoutMs}) until the readers have
     * consumed what the kernel still holds, so that a stop that follows finds no event in flight: the events of
     * the last moments are recorded instead of arriving after their event was switched off. Tracepoints stay
     * disabled until the next change of the dispatch table (start, select) enables them again.
     *
     * @return true when every CPU's buffer was empty in time
     */
    @Override
    public boolean drain(long timeoutMs) {
        TraceInstance t;
        synchronized (this) {
            t = instance;
            if (t == null || t.isClosed()) return true;
            try {
                t.enableExactly(Set.of());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot disable the tracepoints: " + e.getMessage());
            }
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        for (CpuReader r : readers) r.nudge(); // a reader asleep in poll() reads the rest now, not at its timeout
        try {
            for (CpuReader r : readers) {
                while (r.stats().entries() > 0) {
                    if (System.nanoTime() > deadline) return false;
                    Thread.sleep(2);
                    r.nudge(); // an event committed after its last look (a tracepoint caught mid-way) is read too
                }
            }
            // a reader may be decoding the last page it took: give it one poll period to finish
            Thread.sleep(CpuReader.POLL_MS);
            return true;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the instance's per-CPU stats: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The ftrace instance's name, or null. */
    public String instanceName() {
        TraceInstance t = instance;
        return t == null ? null : t.name();
    }

    /**
     * Adds any tracepoint of the running kernel to the catalog by "subsystem:name" (groups empty: bind it in a
     * maskset by its own name). Adding one already declared returns its entry.
     */
    @Override
    public synchronized EventType addTracepoint(String tracepoint) {
        requireAvailable();
        Declared d = declared.get(tracepoint);
        if (d != null) return d.type;
        if (!instance.exists(tracepoint)) {
            throw new IllegalArgumentException("no tracepoint " + tracepoint + " on this kernel (see "
                    + root.resolve("available_events") + ")");
        }
        try {
            EventType t = declare(tracepoint, tracepoint, TracepointCategory.of(tracepoint), EventSource.KERNEL, List.of());
            sync();
            additionListeners.forEach(Runnable::run);
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the format of " + tracepoint + ": " + e.getMessage());
        }
    }

    /**
     * Adds a uprobe: {@code NAME PATH:SYMBOL [fetchargs]} (LKST's free hook point in a user-space program; the
     * symbol's offset is read from the ELF file). It becomes catalog event {@code uprobes:NAME}, bindable in masksets.
     * A kernel function as target is refused: this kernel has no kprobes.
     */
    public synchronized EventType addUprobe(String spec) {
        requireAvailable();
        try {
            Uprobes.Spec s = probes.parse(spec);
            if (uprobes.contains(s.name())) throw new IllegalArgumentException("uprobe " + s.name() + " exists already");
            probes.add(s);
            uprobes.add(s.name());
            try {
                EventType t = declare("uprobes:" + s.name(), probes.group() + ":" + s.name(), "other", EventSource.UPROBE, List.of());
                sync();
                uprobeSpecs.put(s.name(), s);
                additionListeners.forEach(Runnable::run);
                return t;
            } catch (IOException | RuntimeException e) {
                uprobes.remove(s.name());
                probes.remove(s.name());
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot add uprobe: " + e.getMessage());
        }
    }

    @Override
    public synchronized void removeProbe(String name) {
        requireAvailable();
        if (!uprobes.contains(name)) throw new IllegalArgumentException("no uprobe " + name + " (added ones: " + uprobes + ")");
        Declared d = declared.remove("uprobes:" + name);
        try {
            sync(); // disables it, as it is no longer declared
            if (d != null) {
                instance.clearFilter(d.kernelName);
                applied.remove(d.kernelName);
            }
            probes.remove(name);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot remove uprobe " + name + ": " + e.getMessage());
        } finally {
            uprobes.remove(name);
            uprobeSpecs.remove(name);
            additionListeners.forEach(Runnable::run);
            if (d != null) {
                types.remove(d.format.id());
                tracer.availability(d.type.name(), "uprobe removed");
            }
        }
    }

    /** Kernel probes: refused with why on this kernel (CONFIG_KPROBES unset). */
    private EventType addKprobe() {
        if (!Uprobes.kprobesSupported(root)) throw new IllegalArgumentException(Uprobes.NO_KPROBES);
        throw new IllegalArgumentException("kprobes are not supported by LKST/J yet; use a tracepoint or a uprobe");
    }

    /** A uprobe on a program path, else a kernel probe (refused here). */
    @Override
    public EventType addProbe(String name, String target, List<String> fetchArgs) {
        Uprobes.checkName(name); // before joining: 'bad name' would otherwise read as NAME=bad TARGET=name
        if (!target.startsWith("/")) return addKprobe();
        List<String> spec = new ArrayList<>(List.of(name, target));
        spec.addAll(fetchArgs);
        return addUprobe(String.join(" ", spec));
    }

    @Override
    public Set<String> probes() { return new LinkedHashSet<>(uprobes); }

    /** The uprobes added, by name, as they were asked for. */
    public Map<String, Uprobes.Spec> addedUprobes() { return new TreeMap<>(uprobeSpecs); }

    /** The tracepoints added at run time (not those of the standard events). */
    public synchronized List<String> addedTracepoints() {
        List<String> out = new ArrayList<>();
        declared.forEach((name, d) -> { if (d.type.source() == EventSource.KERNEL && d.type.groups().isEmpty()) out.add(name); });
        return out;
    }

    /** {@code r} runs after each tracepoint or uprobe added or removed at run time. */
    public void addAdditionListener(Runnable r) { additionListeners.add(r); }

    public void removeAdditionListener(Runnable r) { additionListeners.remove(r); }

    /**
     * Sets a kernel filter (ftrace syntax) on a declared tracepoint or uprobe, combined with its handler's filter;
     * null or blank clears it. A filter the kernel refuses throws with the kernel's message and changes nothing.
     */
    @Override
    public synchronized void filter(String event, String filter) {
        requireAvailable();
        Declared d = declared.get(event);
        if (d == null) throw new IllegalArgumentException("no kernel event " + event + " declared (lkst:tracepoint add " + event + " declares it)");
        String before = userFilters.get(event);
        if (filter == null || filter.isBlank()) userFilters.remove(event);
        else userFilters.put(event, filter);
        if (filter != null && !filter.isBlank()) {
            // try it on the kernel first even when the tracepoint is not enabled now, so that errors show at once
            try {
                instance.setFilter(d.kernelName, filter);
                String now = applied.get(d.kernelName);
                if (now == null) instance.clearFilter(d.kernelName);
                else instance.setFilter(d.kernelName, now);
            } catch (IllegalArgumentException | IOException e) {
                if (before == null) userFilters.remove(event);
                else userFilters.put(event, before);
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        sync();
        String err = filterErrors.get(event);
        if (err != null) throw new IllegalArgumentException(err);
    }

    /**
     * Traces only these processes in the kernel (set_event_pid), and with {@code children} also every process they
     * fork from now on (options/event-fork), as trace-cmd's -P and -F do (./lkst record -P, -F). A process that
     * this JVM starts inherits the JVM's exclusion (see {@link SelfExclusion}): name it with {@link #traceProcess}
     * too. Without {@code children} event-fork goes off, so the JVM's new threads are no longer listed in
     * set_event_notrace_pid; they are not traced either, since only the listed pids are.
     */
    @Override
    public synchronized void traceOnly(Collection<Integer> pids, boolean children) {
        requireAvailable();
        try {
            // the option first: with event-fork still on, a process of the list forking between the two writes would
            // add its child to set_event_pid, for good (the -P test's busy shell forks all the time)
            instance.option("event-fork", children);
            instance.setEventPids(pids);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot trace only pids " + pids + ": " + e.getMessage());
        }
    }

    @Override
    public Set<String> enabledTracepoints() {
        TraceInstance t = instance;
        return t == null ? Set.of() : t.enabled();
    }

    /** Events the kernel dropped on each CPU since the instance was made (see {@link CpuCounters#lost()}). */
    @Override
    public long[] lostPerCpu() {
        List<CpuCounters> all = counters();
        int n = 0;
        for (CpuCounters c : all) n = Math.max(n, c.cpu() + 1);
        long[] lost = new long[n];
        for (CpuCounters c : all) lost[c.cpu()] = c.lost();
        return lost;
    }

    /** Per-CPU counters: events read, lost (missed flags and kernel stats). */
    public List<CpuCounters> counters() {
        List<CpuCounters> out = new ArrayList<>();
        for (CpuReader r : readers) out.add(CpuCounters.of(r));
        return out;
    }

    private String unread() {
        StringBuilder b = new StringBuilder();
        for (CpuCounters c : counters()) b.append(b.length() == 0 ? "" : ", ").append("cpu").append(c.cpu()).append(' ').append(c.unread());
        return b.toString();
    }

    private void requireAvailable() {
        if (instance == null) throw new IllegalStateException(unavailable == null ? "kernel bridge is stopped" : unavailable);
    }

    // ------------------------------------------------------------------ status and shutdown

    @Override
    public String name() { return "kernel"; }

    @Override
    public String status() {
        TraceInstance instance = this.instance;
        String refused = settings.refusals().isEmpty() ? "" : "\n  config " + String.join("\n  config ", settings.refusals());
        if (instance == null) return (unavailable == null ? "stopped" : unavailable) + refused;
        StringBuilder s = new StringBuilder();
        String clock;
        int kb;
        try {
            clock = instance.traceClock();
            kb = instance.bufferSizeKb();
        } catch (IOException e) {
            clock = "?";
            kb = -1;
        }
        s.append("ftrace instance ").append(instance.name()).append(" (clock ").append(clock).append(", ")
                .append(kb).append(" KiB per CPU), ").append(instance.enabled().size()).append(" tracepoints enabled");
        if (!missing.isEmpty()) s.append("; not on this kernel: ").append(String.join(",", missing));
        for (CpuCounters c : counters()) s.append("\n  ").append(c.line());
        if (settings.traceSelf()) {
            s.append("\n  own JVM traced (trace.self=true)");
        } else {
            s.append("\n  own JVM: ").append(selfStatus());
        }
        if (!uprobes.isEmpty()) s.append("\n  uprobes (group ").append(probes.group()).append("): ").append(uprobes);
        filterErrors.forEach((e, m) -> s.append("\n  filter refused on ").append(e).append(": ").append(m));
        if (syncError != null) s.append("\n  ").append(syncError);
        return s.append(refused).toString();
    }

    private String selfStatus() {
        SelfExclusion s = self;
        if (s == null) return "kept out of the trace failed: " + selfError;
        try {
            Set<Integer> traced = s.traced();
            return traced.isEmpty() ? "every thread kept out of the trace, new ones and the processes it starts too"
                    + " (trace.self=true traces them)" : "threads " + traced + " are traced (not kept out)";
        } catch (IOException e) {
            return "cannot read the notrace list: " + e.getMessage();
        }
    }

    /** Stops the readers, disables what was enabled, removes the uprobes and the instance. Safe to call twice. */
    /** What the kernel says about {@code tracepoints}, for the trace's kernel/ folder: {@link KernelFileCopy}. */
    @Override
    public Map<String, byte[]> kernelFiles(java.util.Collection<String> tracepoints) {
        TraceInstance i = instance;
        return i == null ? Map.of() : KernelFileCopy.read(root, i, tracepoints);
    }

    @Deactivate
    public synchronized void deactivate() {
        shutdown();
        if (unavailable == null) unavailable = "kernel bridge stopped";
    }

    private void shutdown() {
        dispatcher.removeListener(listener);
        self = null;
        // a reconfiguration (a deploy/*.cfg read after start) stops the bridge while it traces: deliver what the
        // kernel holds before its instance goes, or it would be missing with nothing counted as lost
        if (instance != null && !instance.isClosed() && !readers.isEmpty() && !drain(STOP_DRAIN_MS)) {
            Log.error("events left unread in ftrace instance " + instance.name() + " at stop: " + unread());
        }
        for (CpuReader r : readers) r.stopSoon(); // all at once: each is woken from poll
        for (CpuReader r : readers) {
            try {
                r.close();
            } catch (RuntimeException e) {
                Log.warn("cannot close cpu" + r.cpu() + " reader", e);
            }
        }
        readers.clear();
        if (instance != null) {
            try {
                instance.close();
            } catch (IOException e) {
                Log.error("cannot remove ftrace instance " + instance.name(), e);
            }
        }
        for (String name : new ArrayList<>(uprobes)) {
            try {
                probes.remove(name);
            } catch (IOException | RuntimeException e) {
                Log.warn("cannot remove uprobe " + name + ": " + e.getMessage());
            }
        }
        uprobes.clear();
        uprobeSpecs.clear();
        for (Declared d : declared.values()) types.remove(d.format.id());
        declared.clear();
        instance = null;
    }
}
