package lkst.hooks.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.HandlerContext;
import lkst.core.Engine;

/**
 * Prints what the kernel bridge sustains on a syscall storm ({@code dd bs=1}: two syscalls, four events per byte)
 * or any command: events decoded and dispatched per reader, reader CPU ns per event, lost counts, for the mmap and
 * the read() reader, and the floor: a reader that only copies pages. A program, not a test:
 * {@code java -cp ... lkst.hooks.kernel.KernelThroughput [BYTES] [BUFFER_KB] [READER_NICE] [COMMAND]}.
 *
 * <p>System properties: {@code lkst.modes} (comma-separated, run in that order; default {@code mmap,read,mmap,read}):
 * {@code mmap} and {@code read} decode and dispatch every event to a handler that counts it (LKST/J's readers as
 * they run, minus the recording); {@code raw-read} copies whole pages with read() and {@code raw-mmap} hands them
 * over with GET_READER, neither decoding anything (the floor: what any reader pays to move pages).
 * {@code lkst.tracepoints}: a file of {@code subsystem:name} lines, or a comma-separated list (default: the
 * tracepoints of SYSCALL_ENTRY, SYSCALL_EXIT, PROCESS_CONTEXTSWITCH, PROCESS_WAKEUP). {@code lkst.subbuf}: sub-buffer
 * size in KiB (0: the kernel's). {@code lkst.rtprio}: SCHED_FIFO priority of every reader (0: nice only). Every line printed starts with {@code RESULT} and carries key=value pairs.
 */
public final class KernelThroughput {
    private KernelThroughput() {}

    private static final List<String> DEFAULT_EVENTS =
            List.of("SYSCALL_ENTRY", "SYSCALL_EXIT", "PROCESS_CONTEXTSWITCH", "PROCESS_WAKEUP");

    public static void main(String[] args) throws Exception {
        long bytes = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int kb = args.length > 1 ? Integer.parseInt(args[1]) : 8192;
        int nice = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        String command = args.length > 3 ? args[3] : "dd if=/dev/zero of=/dev/null bs=1 count=" + bytes;
        String modes = System.getProperty("lkst.modes", "mmap,read,mmap,read");
        for (String mode : modes.split(",")) {
            switch (mode.trim()) {
                case "mmap", "read" -> run(command, kb, nice, mode.trim().equals("mmap"));
                case "raw-read", "raw-mmap" -> raw(command, kb, nice, mode.trim().equals("raw-mmap"));
                default -> throw new IllegalArgumentException("unknown mode " + mode + " (mmap, read, raw-read, raw-mmap)");
            }
        }
    }

    static void run(long bytes, int kb, boolean mmap) throws Exception {
        run("dd if=/dev/zero of=/dev/null bs=1 count=" + bytes, kb, 0, mmap);
    }

    /** The tracepoints asked for with lkst.tracepoints, or null for the default events. */
    static List<String> tracepoints() throws IOException {
        String spec = System.getProperty("lkst.tracepoints");
        if (spec == null || spec.isBlank()) return null;
        List<String> lines = Files.isRegularFile(Path.of(spec)) ? Files.readAllLines(Path.of(spec)) : List.of(spec.split(","));
        List<String> out = new ArrayList<>();
        for (String l : lines) if (!l.isBlank() && !l.startsWith("#")) out.add(l.trim());
        return out;
    }

    static int subbuf() { return Integer.getInteger("lkst.subbuf", 0); }

    static int rtprio() { return Integer.getInteger("lkst.rtprio", 0); }

    static void run(String command, int kb, int nice, boolean mmap) throws Exception {
        Engine engine = new Engine();
        LongAdder handled = new LongAdder();
        EventHandler count = new EventHandler() {
            @Override public void handle(Event e, HandlerContext c) { handled.increment(); }
        };
        KernelBridge bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", kb, "mmap", mmap, "reader.nice", nice,
                "subbuf.size.kb", subbuf(), "reader.rtprio", rtprio()));
        try {
            if (!bridge.available()) throw new IllegalStateException(bridge.unavailable());
            engine.bind(count, 1000, "count", "bench");
            engine.create("storm");
            List<String> tps = tracepoints();
            if (tps == null) {
                for (String e : DEFAULT_EVENTS) engine.set("storm", e, 1000);
            } else {
                for (String tp : tps) {
                    bridge.addTracepoint(tp);
                    engine.set("storm", tp, 1000);
                }
            }
            engine.select("storm");
            int enabled = bridge.enabledTracepoints().size();
            long t0 = System.nanoTime();
            // held on its stdin until the bridge traces it: the processes this JVM starts are kept out otherwise
            Process p = new ProcessBuilder("sh", "-c", "read _ && exec sh -c \"$0\"", command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            bridge.traceProcess((int) p.pid());
            p.getOutputStream().write('\n');
            p.getOutputStream().close();
            p.waitFor();
            long ns = System.nanoTime() - t0;
            engine.select("off"); // stop recording (other processes keep making syscalls), then let the readers drain
            for (int i = 0; i < 300 && bridge.counters().stream().anyMatch(c -> c.unread() > 0); i++) Thread.sleep(100);
            long events = 0, cpu = 0, lost = 0;
            StringBuilder per = new StringBuilder();
            for (CpuCounters c : bridge.counters()) {
                events += c.read();
                cpu += Math.max(0, c.cpuTimeNs());
                lost += c.lost();
                per.append(String.format(" cpu%d_read=%d cpu%d_lost=%d cpu%d_ns_per_event=%s cpu%d_events_per_s=%.0f cpu%d_calls=%d cpu%d_waits=%d",
                        c.cpu(), c.read(), c.cpu(), c.lost(), c.cpu(), c.read() > 0 ? c.cpuTimeNs() / c.read() : "-",
                        c.cpu(), c.read() / (ns / 1e9), c.cpu(), c.calls(), c.cpu(), c.waits()));
            }
            print(mmap ? "mmap" : "read", kb, nice, enabled, ns, events, handled.sum(), lost, cpu, per);
        } finally {
            bridge.deactivate();
        }
    }

    private static void print(String mode, int kb, int nice, int tracepoints, long ns, long events, long handled,
                              long lost, long cpu, CharSequence per) {
        System.out.printf("RESULT mode=%s subbuf_kb=%d nice=%d rtprio=" + rtprio() + " buffer_kb=%d tracepoints=%d workload_s=%.2f events=%d"
                        + " events_per_s=%.0f handled=%d lost=%d lost_pct=%.1f ns_per_event=%.1f%s%n",
                mode, subbuf(), nice, kb, tracepoints, ns / 1e9, events, events / (ns / 1e9), handled, lost,
                100.0 * lost / Math.max(1, events + lost), events > 0 ? (double) cpu / events : 0, per);
    }

    // ------------------------------------------------------------------ the floor: pages moved, nothing decoded

    /** One CPU's page mover: read() of whole pages into one buffer, or GET_READER hand-overs of the mapping. */
    private static final class RawReader {
        final int cpu;
        final int fd;
        final boolean mmap;
        final Memory page;
        final Memory pollfd = new Memory(8);
        Pointer meta, data;
        long metaLen, dataLen;
        volatile boolean running = true;
        volatile long cpuNs;
        long calls, waits;
        Thread thread;

        RawReader(TraceInstance instance, int cpu, boolean mmap, int subbufBytes) throws IOException {
            this.cpu = cpu;
            this.mmap = mmap;
            fd = Libc.open(instance.perCpu(cpu).resolve("trace_pipe_raw").toString(), Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            pollfd.setInt(0, fd);
            pollfd.setShort(4, Libc.POLLIN);
            page = new Memory(subbufBytes);
            if (mmap) {
                meta = Libc.mmap(null, 4096, Libc.PROT_READ, Libc.MAP_SHARED, fd, 0);
                metaLen = 4096;
                int metaPageSize = meta.getInt(0);
                dataLen = (long) meta.getInt(8) * meta.getInt(12);
                data = Libc.mmap(null, dataLen, Libc.PROT_READ, Libc.MAP_SHARED, fd, metaPageSize);
            }
        }

        void start(TraceInstance instance, int nice) throws InterruptedException {
            CountDownLatch ready = new CountDownLatch(1);
            thread = new Thread(() -> {
                try {
                    int tid = Libc.gettid();
                    instance.ignoreTask(tid);
                    if (nice != 0) Libc.setpriority(Libc.PRIO_PROCESS, tid, nice);
                    if (rtprio() > 0) {
                        Memory param = new Memory(4);
                        param.setInt(0, rtprio());
                        Libc.sched_setscheduler(tid, Libc.SCHED_FIFO, param);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    ready.countDown();
                }
                ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                while (running) {
                    boolean more;
                    calls++;
                    if (mmap) {
                        // GET_READER first marks a page it handed over read, and moves on at the next call
                        int before = meta.getInt(24);
                        Libc.ioctl(fd, MappedPages.TRACE_MMAP_IOCTL_GET_READER, 0);
                        more = meta.getInt(24) != before;
                        if (!more) {
                            calls++;
                            Libc.ioctl(fd, MappedPages.TRACE_MMAP_IOCTL_GET_READER, 0);
                            more = meta.getInt(24) != before;
                        }
                    } else {
                        long n;
                        try {
                            n = Libc.read(fd, page, page.size());
                        } catch (LastErrorException e) {
                            n = 0;
                        }
                        more = n > 0;
                    }
                    if (!more) {
                        waits++;
                        try {
                            Libc.poll(pollfd, 1, CpuReader.POLL_MS);
                        } catch (LastErrorException e) {
                            // EINTR: look again
                        }
                    }
                    cpuNs = mx.getCurrentThreadCpuTime();
                }
            }, "raw-reader-cpu" + cpu);
            thread.setDaemon(true);
            thread.start();
            ready.await();
        }

        void close() throws InterruptedException {
            running = false;
            thread.join();
            if (mmap) {
                Libc.munmap(data, dataLen);
                Libc.munmap(meta, metaLen);
            }
            Libc.close(fd);
        }
    }

    static CpuStats stats(TraceInstance instance, int cpu) throws IOException {
        return CpuStats.parse(Tracefs.lines(instance.perCpu(cpu).resolve("stats")));
    }

    static void raw(String command, int kb, int nice, boolean mmap) throws Exception {
        Engine engine = new Engine(); // only for the catalog: the tracepoints of the default events
        Set<String> tps = new LinkedHashSet<>();
        List<String> asked = tracepoints();
        if (asked != null) {
            tps.addAll(asked);
        } else {
            for (String e : DEFAULT_EVENTS) tps.addAll(engine.event(e).tracepoints());
        }
        TraceInstance instance = TraceInstance.create(Tracefs.DEFAULT_ROOT, kb);
        List<RawReader> readers = new ArrayList<>();
        try {
            if (subbuf() > 0) instance.subbufSizeKb(subbuf());
            int subbufBytes = Integer.parseInt(Tracefs.read(instance.dir().resolve("buffer_subbuf_size_kb")).trim()) * 1024;
            for (int cpu : instance.cpus()) readers.add(new RawReader(instance, cpu, mmap, subbufBytes));
            for (RawReader r : readers) r.start(instance, nice);
            instance.enableExactly(tps);
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("sh", "-c", command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
            long ns = System.nanoTime() - t0;
            instance.enableExactly(Set.of());
            for (int i = 0; i < 300; i++) {
                boolean left = false;
                for (RawReader r : readers) left |= stats(instance, r.cpu).entries() > 0;
                if (!left) break;
                Thread.sleep(100);
            }
            long events = 0, cpuNs = 0, lost = 0;
            StringBuilder per = new StringBuilder();
            for (RawReader r : readers) {
                CpuStats s = stats(instance, r.cpu);
                long ns1 = r.cpuNs;
                events += s.read();
                cpuNs += ns1;
                lost += s.lost();
                per.append(String.format(" cpu%d_read=%d cpu%d_lost=%d cpu%d_ns_per_event=%s cpu%d_events_per_s=%.0f cpu%d_calls=%d cpu%d_waits=%d",
                        r.cpu, s.read(), r.cpu, s.lost(), r.cpu, s.read() > 0 ? ns1 / s.read() : "-",
                        r.cpu, s.read() / (ns / 1e9), r.cpu, r.calls, r.cpu, r.waits));
            }
            print(mmap ? "raw-mmap" : "raw-read", kb, nice, tps.size(), ns, events, 0, lost, cpuNs, per);
        } finally {
            for (RawReader r : readers) r.close();
            instance.close();
        }
    }
}
