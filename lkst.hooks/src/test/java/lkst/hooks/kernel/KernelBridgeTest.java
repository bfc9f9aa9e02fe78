package lkst.hooks.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.HandlerContext;
import lkst.core.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge with the real engine: catalog, masksets switching tracepoints, handlers coming and going, probes. */
class KernelBridgeTest {
    final Engine engine = new Engine();
    KernelBridge bridge;

    /** Counts events by name; a latch opens at the first event of {@code awaited}. */
    static final class Collect implements EventHandler {
        volatile String awaited = "";
        volatile CountDownLatch seen = new CountDownLatch(1);
        volatile String filter;

        @Override
        public void handle(Event e, HandlerContext c) {
            if (e.type().name().equals(awaited)) seen.countDown();
        }

        @Override
        public String kernelFilter(EventType tracepoint) { return filter; }

        void await(String name) throws InterruptedException {
            seen = new CountDownLatch(1);
            awaited = name;
        }
    }

    @AfterEach
    void stop() {
        if (bridge != null) bridge.deactivate();
        assertTrue(ours().isEmpty(), "instances left behind: " + ours());
    }

    static List<String> ours() {
        List<String> out = new ArrayList<>();
        Path instances = Tracefs.DEFAULT_ROOT.resolve("instances");
        if (!Files.isDirectory(instances)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(instances, TraceInstance.PREFIX + ProcessHandle.current().pid() + "-*")) {
            for (Path p : ds) out.add(p.getFileName().toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    Set<String> enabledInKernel() throws IOException {
        return Set.copyOf(new TraceInstanceView(bridge.instanceName()).enabled());
    }

    /** Reads an instance's enable switches from outside the bridge. */
    record TraceInstanceView(String name) {
        Set<String> enabled() throws IOException {
            Set<String> out = new java.util.TreeSet<>();
            Path events = Tracefs.DEFAULT_ROOT.resolve("instances").resolve(name).resolve("events");
            try (DirectoryStream<Path> systems = Files.newDirectoryStream(events, Files::isDirectory)) {
                for (Path sys : systems) {
                    try (DirectoryStream<Path> evs = Files.newDirectoryStream(sys, Files::isDirectory)) {
                        for (Path ev : evs) {
                            Path en = ev.resolve("enable");
                            if (Files.exists(en) && Tracefs.read(en).startsWith("1")) out.add(sys.getFileName() + ":" + ev.getFileName());
                        }
                    }
                }
            }
            return out;
        }
    }

    @Test
    void mmapReaderAndPinnedReadersWhenAskedForThem() throws Exception {
        KernelTesting.tracefs();
        bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", 1024, "mmap", true, "subbuf.size.kb", 0, "reader.pin", true));
        assertTrue(bridge.available(), bridge.status());
        assertTrue(bridge.status().contains("reader mmap"), "this kernel offers the mapping: " + bridge.status());
        assertTrue(bridge.status().contains(", pinned)"), "reader.pin=true: each reader on its own CPU: " + bridge.status());
    }

    @Test
    void masksetsAndHandlersSwitchTracepoints() throws Exception {
        KernelTesting.tracefs();
        bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", 1024));
        assertTrue(bridge.available(), bridge.status());
        assertTrue(bridge.status().contains("reader read"), "read() is the default reader: " + bridge.status());
        assertFalse(bridge.status().contains("pinned"), "readers run anywhere by default: " + bridge.status());

        EventType sw = engine.event("sched:sched_switch");
        assertEquals(List.of("PROCESS_CONTEXTSWITCH"), sw.groups());
        assertEquals(EventSource.KERNEL, sw.source());
        assertTrue(sw.fieldIndex("next_comm") >= 0);
        assertEquals(List.of("INT_TASKLETHI_ENTRY", "INT_TASKLET_ENTRY"), engine.event("irq:tasklet_entry").groups());
        assertNotNull(engine.event("EXCEPTION_EXIT").unavailable());
        assertNull(engine.event("PROCESS_CONTEXTSWITCH").unavailable());

        // the default maskset binds record (ID 1), which no handler serves here: nothing is enabled
        assertEquals(Set.of(), bridge.enabledTracepoints());
        assertEquals(Set.of(), enabledInKernel());

        engine.create("t");
        engine.set("t", "PROCESS_CONTEXTSWITCH", 1000);
        engine.select("t");
        assertEquals(Set.of(), enabledInKernel(), "bound to an ID no handler has yet");
        Collect h = new Collect();
        h.await("sched:sched_switch");
        engine.bind(h, 1000, "collect", "test");
        assertEquals(Set.of("sched:sched_switch"), enabledInKernel());
        KernelTesting.shTraced(bridge, "sleep 0.01");
        assertTrue(h.seen.await(60, TimeUnit.SECONDS), "no sched_switch reached the handler: " + bridge.status());

        EventType getppid = bridge.addTracepoint("syscalls:sys_enter_getppid");
        assertEquals(List.of(), getppid.groups());
        assertEquals("syscall", getppid.category());
        engine.set("t", "syscalls:sys_enter_getppid", 1000);
        assertEquals(Set.of("sched:sched_switch", "syscalls:sys_enter_getppid"), enabledInKernel());
        h.await("syscalls:sys_enter_getppid");
        KernelTesting.shTraced(bridge, "for i in 1 2 3; do /bin/sh -c 'echo $PPID' ; done");
        assertTrue(h.seen.await(60, TimeUnit.SECONDS), "no getppid reached the handler: " + bridge.status());
        assertThrows(IllegalArgumentException.class, () -> bridge.addTracepoint("nosuch:tracepoint"));

        // a handler's kernel filter is pushed down; a bad one is refused by the kernel and changes nothing
        h.filter = "prev_pid != 0";
        engine.set("t", "PROCESS_CONTEXTSWITCH", 1000); // any change makes the bridge ask again
        assertEquals("prev_pid != 0", kernelFilter("sched:sched_switch"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> bridge.filter("sched:sched_switch", "no_such_field == 1"));
        assertTrue(bad.getMessage().contains("Field not found"), bad.getMessage());
        assertEquals("prev_pid != 0", kernelFilter("sched:sched_switch"));
        bridge.filter("sched:sched_switch", "next_pid != 0");
        assertEquals("(prev_pid != 0) && (next_pid != 0)", kernelFilter("sched:sched_switch"));

        // the handler goes: no tracepoint serves anybody any more
        engine.unbind(h);
        assertEquals(Set.of(), enabledInKernel());
        engine.bind(h, 1000, "collect", "test");
        engine.select("off");
        assertEquals(Set.of(), enabledInKernel());

        String name = bridge.instanceName();
        bridge.deactivate();
        assertFalse(Files.exists(Tracefs.DEFAULT_ROOT.resolve("instances").resolve(name)));
        bridge = null;
    }

    /**
     * Readers whose tracepoints are all bound to record (handler 1) sleep until the kernel's buffer_percent or a stop
     * wakes them, with no timer: an idle LKST/J does not wake. Once a handler needs its events as they come, an idle
     * reader looks every {@link CpuReader#IDLE_POLL_MS} again.
     */
    @Test
    void readersServingOnlyRecordSleepWithoutATimer() throws Exception {
        KernelTesting.tracefs();
        bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", 1024));
        bridge.addTracepoint("syscalls:sys_enter_getppid"); // rare: the readers find (almost) nothing to read
        Collect record = new Collect();
        engine.bind(record, KernelBridge.RECORD_HANDLER, "record", "test");
        engine.bind(new Collect(), 1000, "collect", "test");
        engine.create("t");
        engine.set("t", "syscalls:sys_enter_getppid", KernelBridge.RECORD_HANDLER); // a tracepoint's own binding
        engine.set("t", "SYSV_IPC", KernelBridge.RECORD_HANDLER); // an LKST event's: its (rare) syscall tracepoints follow
        engine.select("t");
        assertTrue(enabledInKernel().containsAll(Set.of("syscalls:sys_enter_getppid", "syscalls:sys_enter_semop")),
                enabledInKernel().toString());
        long recordOnly = waitsDuring(1000);
        engine.set("t", "SYSV_IPC", 1000);
        long prompt = waitsDuring(1000);
        int cpus = bridge.counters().size();
        assertTrue(recordOnly <= cpus, "record only: at most the one wake-up each reader gets to take the change, "
                + recordOnly + " waits in 1 s on " + cpus + " CPUs");
        assertTrue(prompt >= 3L * cpus, "a handler that wants its events soon: a look every " + CpuReader.IDLE_POLL_MS
                + " ms, " + prompt + " waits in 1 s on " + cpus + " CPUs");
    }

    /** Waits of all readers (poll() calls) during {@code ms}, after a moment for the readers to settle. */
    private long waitsDuring(long ms) throws InterruptedException {
        Thread.sleep(100);
        long before = bridge.counters().stream().mapToLong(CpuCounters::waits).sum();
        Thread.sleep(ms);
        return bridge.counters().stream().mapToLong(CpuCounters::waits).sum() - before;
    }

    /** Events by pid, and the forks seen (parent → children), of every process on the machine. */
    static final class ByPid implements EventHandler {
        final Map<Integer, AtomicInteger> events = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<Integer, Set<Integer>> forks = new java.util.concurrent.ConcurrentHashMap<>();
        final Set<Integer> execs = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void handle(Event e, HandlerContext c) {
            events.computeIfAbsent(e.pid(), k -> new AtomicInteger()).incrementAndGet();
            String name = e.type().name();
            if (name.equals("sched:sched_process_fork")) {
                int parent = (int) e.number(e.type().fieldIndex("parent_pid"));
                int child = (int) e.number(e.type().fieldIndex("child_pid"));
                forks.computeIfAbsent(parent, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(child);
            } else if (name.equals("sched:sched_process_exec")) {
                execs.add((int) e.number(e.type().fieldIndex("pid")));
            }
        }

        int of(int pid) { return events.getOrDefault(pid, new AtomicInteger()).get(); }

        /** pid and every process it forked, and they forked, as seen in the trace */
        Set<Integer> tree(int pid) {
            Set<Integer> out = new java.util.TreeSet<>();
            java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(List.of(pid));
            while (!todo.isEmpty()) {
                int p = todo.pop();
                if (out.add(p)) todo.addAll(forks.getOrDefault(p, Set.of()));
            }
            return out;
        }
    }

    private ByPid traceSyscallsAndForks(String maskset) {
        for (String tp : List.of("raw_syscalls:sys_enter", "sched:sched_process_fork", "sched:sched_process_exec")) {
            bridge.addTracepoint(tp);
        }
        ByPid seen = new ByPid();
        engine.bind(seen, 1001, "by-pid", "test");
        engine.create(maskset);
        for (String tp : List.of("raw_syscalls:sys_enter", "sched:sched_process_fork", "sched:sched_process_exec")) {
            engine.set(maskset, tp, 1001);
        }
        engine.select(maskset);
        return seen;
    }

    /**
     * Like trace-cmd, LKST/J keeps its own JVM out of the trace, also the threads it starts once tracing runs (the
     * kernel lists them as they are created) and the processes it starts, unless it names one to trace: that one and
     * its children are traced from their exec.
     */
    @Test
    void threadsStartedWhileTracingAreKeptOutAndANamedChildIsTraced() throws Exception {
        KernelTesting.tracefs();
        bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", 1024));
        assertTrue(bridge.available(), bridge.status());
        // named before tracing starts: taking a pid out of the list rewrites it (see SelfExclusion)
        KernelTesting.Held child = KernelTesting.Held.start("cat /proc/self/stat > /dev/null; sh -c 'cat /proc/self/stat' > /dev/null");
        assertTrue(bridge.traceProcess((int) child.pid()));
        ByPid seen = traceSyscallsAndForks("self");

        // threads started now, and a thread started by one of them, each making syscalls from its first moment
        Set<Integer> young = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    young.add(KernelTesting.tid());
                    Thread grandchild = new Thread(() -> {
                        try {
                            young.add(KernelTesting.tid());
                            for (int k = 0; k < 20; k++) Files.readAllBytes(Path.of("/proc/self/stat"));
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    });
                    grandchild.start();
                    for (int k = 0; k < 20; k++) Files.readAllBytes(Path.of("/proc/self/stat"));
                    grandchild.join();
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        Process untraced = new ProcessBuilder("sh", "-c", "cat /proc/self/stat; sh -c 'cat /proc/self/stat'")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        untraced.waitFor();
        long traced = child.release();
        Set<Integer> jvm = SelfExclusion.threads();
        jvm.addAll(young);
        assertTrue(bridge.drain(10_000), bridge.status());

        assertEquals(8, young.size(), "threads started");
        for (int tid : jvm) assertEquals(0, seen.of(tid), "events of this JVM's thread " + tid + ": " + bridge.status());
        assertEquals(0, seen.of((int) untraced.pid()), "a process this JVM started, not named: kept out");
        assertTrue(seen.execs.contains((int) traced), "the named child's exec was traced");
        Set<Integer> tree = seen.tree((int) traced);
        assertTrue(tree.size() >= 3, "the named child forked (cat, sh, and sh's cat): " + tree);
        for (int pid : tree) assertTrue(seen.of(pid) > 0, "events of the named child's process " + pid + " in " + tree);
        assertTrue(bridge.status().contains("every thread kept out of the trace"), bridge.status());
    }

    /** With trace.self=true the JVM's own threads are traced like any other process. */
    @Test
    void traceSelfTracesTheRuntimesOwnThreads() throws Exception {
        KernelTesting.tracefs();
        bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", 1024, "trace.self", true));
        assertTrue(bridge.available(), bridge.status());
        assertTrue(bridge.status().contains("own JVM traced"), bridge.status());
        ByPid seen = traceSyscallsAndForks("self");
        int me = KernelTesting.tid();
        for (int i = 0; i < 20; i++) Files.readAllBytes(Path.of("/proc/self/stat"));
        Process child = new ProcessBuilder("sh", "-c", "cat /proc/self/stat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        child.waitFor();
        assertTrue(bridge.drain(10_000), bridge.status());
        assertTrue(seen.of(me) >= 20, "this thread's syscalls: " + seen.of(me));
        assertTrue(seen.of((int) child.pid()) > 0, "a process this JVM started is traced");
    }

    private String kernelFilter(String tp) throws IOException {
        int c = tp.indexOf(':');
        return Tracefs.read(Tracefs.DEFAULT_ROOT.resolve("instances").resolve(bridge.instanceName()).resolve("events")
                .resolve(tp.substring(0, c)).resolve(tp.substring(c + 1)).resolve("filter")).trim();
    }

    @Test
    void uprobeOnALibcFunctionAndNoKprobes() throws Exception {
        Path root = KernelTesting.tracefs();
        Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        if (!Files.exists(libc)) abort("no " + libc + " to probe");
        bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", 256));
        EventType probe = bridge.addUprobe("lkst_getppid " + libc + ":getppid");
        assertEquals("uprobes:lkst_getppid", probe.name());
        assertEquals(EventSource.UPROBE, probe.source());
        assertTrue(Tracefs.read(root.resolve("uprobe_events")).contains(Uprobes.groupOf(bridge.instanceName()) + "/lkst_getppid"));
        Collect h = new Collect();
        h.await("uprobes:lkst_getppid");
        engine.bind(h, 1000, "collect", "test");
        engine.create("u");
        engine.set("u", "uprobes:lkst_getppid", 1000);
        engine.select("u");
        assertEquals(Set.of(Uprobes.groupOf(bridge.instanceName()) + ":lkst_getppid"), enabledInKernel());
        KernelTesting.shTraced(bridge, "for i in 1 2 3; do /bin/sh -c 'echo $PPID' ; done; python3 -c 'import os; os.getppid()' || true");
        assertTrue(h.seen.await(60, TimeUnit.SECONDS), "the uprobe never fired: " + bridge.status());

        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> bridge.addProbe("myk", "do_sys_open", List.of()));
        assertTrue(k.getMessage().contains("CONFIG_KPROBES"), k.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bridge.addUprobe("bad " + libc + ":no_such_symbol_here"));

        bridge.removeProbe("lkst_getppid");
        assertFalse(Tracefs.read(root.resolve("uprobe_events")).contains("lkst_getppid"));
        assertEquals("uprobe removed", engine.event("uprobes:lkst_getppid").unavailable());
        assertEquals(Set.of(), enabledInKernel());
    }

    @Test
    void uprobesOfAnAbandonedInstanceAreReclaimedThoseOfALiveOneKept() throws Exception {
        Path root = KernelTesting.tracefs();
        Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        if (!Files.exists(libc)) abort("no " + libc + " to probe");
        String gone = Uprobes.groupOf(TraceInstance.PREFIX + "4000000-1-1"); // no such instance
        try (TraceInstance live = TraceInstance.create(root, 0)) {
            String kept = Uprobes.groupOf(live.name()); // defined and disabled: the kernel alone would let it go
            Uprobes.Spec spec = new Uprobes(root, live.name()).parse("stale " + libc + ":getppid");
            Tracefs.append(root.resolve("uprobe_events"), spec.definition(gone) + "\n");
            Tracefs.append(root.resolve("uprobe_events"), spec.definition(kept) + "\n");
            try {
                bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", 256));
                String now = Tracefs.read(root.resolve("uprobe_events"));
                assertFalse(now.contains(gone + "/stale"), now);
                assertTrue(now.contains(kept + "/stale"), "the live instance's uprobe stays: " + now);
            } finally {
                for (String g : List.of(gone, kept)) {
                    if (Tracefs.read(root.resolve("uprobe_events")).contains(g + "/stale")) {
                        Tracefs.append(root.resolve("uprobe_events"), "-:" + g + "/stale\n");
                    }
                }
            }
        }
    }

    @Test
    void withoutTracefsTheRuntimeStillStartsAndSaysWhy(@TempDir Path notTracefs) {
        bridge = new KernelBridge(engine, engine, Map.of("tracefs", notTracefs.toString()));
        assertFalse(bridge.available());
        String why = bridge.status();
        assertTrue(why.startsWith("kernel events unavailable: "), why);
        assertTrue(why.contains("mount -t tracefs") || why.contains("root"), why);
        assertEquals(why, engine.event("PROCESS_CONTEXTSWITCH").unavailable());
        assertThrows(IllegalStateException.class, () -> bridge.addTracepoint("sched:sched_switch"));
    }

    /** Issue 9: a bad value is refused and the value before it stays; the status names it, the kernel is traced. */
    @Test
    void aBadValueIsRefusedAndTheKernelIsTracedAllTheSame() {
        KernelTesting.tracefs();
        bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", "lots", "trace.self", "yes"));
        assertTrue(bridge.available(), bridge.status());
        assertTrue(bridge.status().contains("\n  config refused lkst.kernel: bad value 'lots' for buffer.size.kb: expected an"
                + " integer (old value kept)"), bridge.status());
        assertTrue(bridge.status().contains("bad value 'yes' for trace.self: expected true or false"), bridge.status());
        assertFalse(bridge.status().contains("own JVM traced"), "trace.self kept its value, false: " + bridge.status());
    }

    /** A traced reader woken by every event (buffer_percent 0) would wake itself without end: refused. */
    @Test
    void traceSelfWithReadersWokenByEveryEventIsRefused() {
        KernelTesting.tracefs();
        bridge = new KernelBridge(engine, engine, Map.of("trace.self", true, "buffer.percent", 0));
        assertTrue(bridge.available(), bridge.status());
        assertTrue(bridge.status().contains("refused lkst.kernel: trace.self=true with buffer.percent=0"), bridge.status());
        assertFalse(bridge.status().contains("own JVM traced"), bridge.status());
    }

    @Test
    void aFailedStartLeavesNoInstance() {
        KernelTesting.tracefs();
        // more buffer than the machine has: the kernel refuses (ENOMEM) after the instance was made
        bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", 1_000_000_000));
        assertFalse(bridge.available());
        assertTrue(bridge.status().contains("Cannot allocate memory"), bridge.status());
        assertEquals(bridge.status(), engine.event("PROCESS_CONTEXTSWITCH").unavailable());
        assertTrue(ours().isEmpty(), "instances left behind: " + ours());
    }
}
