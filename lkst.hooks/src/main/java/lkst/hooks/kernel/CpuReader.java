package lkst.hooks.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import lkst.api.Dispatcher;
import lkst.hooks.ftrace.KernelTypes;
import lkst.hooks.ftrace.PageDecoder;
import lkst.hooks.ftrace.PageLayout;

/**
 * Reads one CPU's ring buffer of an instance ({@code per_cpu/cpuN/trace_pipe_raw}) on its own thread and dispatches
 * every event on that thread: waits in poll(), pumps its {@link PageSource} (whole sub-buffers copied with read(),
 * {@link ReadPages}, or the mapped buffer consumed in place, {@link MappedPages}), and tunes its thread (nice,
 * SCHED_FIFO, pinning, kept out of the trace). Either way a page is decoded straight from native memory, with no
 * allocation per event.
 */
public final class CpuReader implements AutoCloseable {
    /** How the buffer is consumed. */
    public enum Mode { MMAP, READ }

    /**
     * Longest wait for data: the kernel wakes a poller only when the buffer is buffer_percent full, and a syscall
     * storm fills 4 MiB in ~60 ms here, so the reader also looks on its own this often (a few µs each time).
     */
    static final int POLL_MS = 20;
    /**
     * Longest wait when the last wake-up found no full page (events trickle in): the kernel still wakes the reader at
     * buffer_percent, so a storm that begins meanwhile is read in time, and a stop or a flush wakes it at once through
     * its eventfd ({@link #nudge}). It bounds how late a trickling event reaches its handler, and handlers that order
     * events across CPUs wait that long for them (timerwatch, timer-free: a window of 100 ms); a 1 s wait made
     * their events late and the worked example missed its finding. So this bound holds only while a handler needs
     * its events promptly ({@link #promptDelivery}); when every enabled tracepoint is only recorded, an idle reader
     * waits for the kernel (buffer_percent) or a nudge, with no timer, as trace-cmd's recorders do.
     */
    static final int IDLE_POLL_MS = 200;

    private final int cpu;
    private final TraceInstance instance;
    private final Path dir;
    private final PageDecoder decoder;
    private final PageSource pages;
    private final int fd;
    /** Two struct pollfd: the buffer, then {@link #wakeFd}. */
    private final Memory pollfd = new Memory(16);
    /** An eventfd that {@link #nudge} writes and the reader's poll() waits on beside the buffer. */
    private final int wakeFd;
    private final Memory counter = new Memory(8);

    private volatile boolean running;
    private volatile long lastCpuTime = -1;
    /** poll() calls made: a fixed cost of the reader, counted by its thread only */
    private long polls;
    private volatile String failure;
    private volatile String schedFailure;
    private volatile Thread thread;
    private volatile int nice;
    private volatile int rtPriority;
    private volatile boolean pin;
    private volatile String pinFailure;
    private volatile boolean traced;
    /** Longest wait once caught up: {@link #IDLE_POLL_MS}, or -1 (no timer) while no handler needs prompt events. */
    private volatile int idleWaitMs = IDLE_POLL_MS;

    /**
     * The nice value the reader thread takes when it starts (0 keeps the JVM's): a negative one lets it run before
     * the workload it traces when CPUs are scarce, which is when buffers overflow.
     */
    public void nice(int value) {
        if (value < -20 || value > 19) throw new IllegalArgumentException("nice value " + value + " is not -20..19");
        nice = value;
    }

    /**
     * Whether the reader thread's own events are traced (LKST/J's trace.self=true); by default it keeps itself out
     * of the trace. Traced, it reads its own syscalls and switches too, a few per wake-up: it still rests as long as
     * it is woken by buffer_percent or its poll timeout, not by every event (buffer_percent 0).
     */
    public void traced(boolean on) { traced = on; }

    /**
     * Whether a handler needs this reader's events soon after they happen (true, the default: the reader looks every
     * {@link #IDLE_POLL_MS} when events trickle in), or only in the end (false: every enabled tracepoint is bound to
     * {@code record}, whose records are read at stop or when the kernel's buffer reaches buffer_percent; the reader
     * then sleeps without a timer, and an idle LKST/J does not wake). A sleeping reader is woken to take a change.
     */
    public void promptDelivery(boolean on) {
        int ms = on ? IDLE_POLL_MS : -1;
        if (idleWaitMs == ms) return;
        idleWaitMs = ms;
        if (thread != null) nudge();
    }

    /**
     * Whether the reader thread runs only on the CPU whose buffer it reads: the pages are in that CPU's caches, and a
     * real-time reader that may run anywhere chases the workload from CPU to CPU (it preempts it, the workload moves
     * to the other CPU, whose reader preempts it there …).
     */
    public void pin(boolean on) { pin = on; }

    /**
     * The SCHED_FIFO priority the reader thread takes when it starts (0: stays under the normal scheduler, at its
     * nice value). A reader at nice -10 still gets only its weight's share of a CPU against hundreds of runnable
     * tasks (hackbench: 400), so it falls behind for seconds; a real-time reader runs whenever a page is waiting. It
     * sleeps in poll() once it has caught up, and the kernel's RT throttling bounds it if it ever did not.
     */
    public void realtime(int priority) {
        if (priority < 0 || priority > 99) throw new IllegalArgumentException("SCHED_FIFO priority " + priority + " is not 0..99");
        rtPriority = priority;
    }

    /**
     * Opens the CPU's buffer; tries the mmap reader first when {@code preferMmap}, falls back to read().
     *
     * @param layout page layout from header_page/header_event; sized to the instance's sub-buffers here
     */
    public CpuReader(TraceInstance instance, int cpu, PageLayout layout, KernelTypes types, Dispatcher sink,
                     boolean preferMmap) throws IOException {
        this.cpu = cpu;
        this.instance = instance;
        this.dir = instance.perCpu(cpu);
        String file = dir.resolve("trace_pipe_raw").toString();
        try {
            fd = Libc.open(file, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + file + ": " + Libc.describe(e));
        }
        try {
            wakeFd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        } catch (LastErrorException e) {
            Libc.close(fd);
            throw new IOException("cannot create an eventfd for the cpu" + cpu + " reader: " + Libc.describe(e));
        }
        pollfd.setInt(0, fd);
        pollfd.setShort(4, Libc.POLLIN);
        pollfd.setInt(8, wakeFd);
        pollfd.setShort(12, Libc.POLLIN);
        PageSource p = null;
        if (preferMmap) {
            try {
                p = new MappedPages(fd);
            } catch (LastErrorException e) {
                Log.info("cpu" + cpu + ": mmap of trace_pipe_raw refused (" + Libc.describe(e) + "); reading pages with read()");
            }
        }
        this.pages = p != null ? p : new ReadPages(fd, instanceSubbufSize(instance, layout), layout.dataOffset());
        this.decoder = new PageDecoder(layout.withSubbufSize(pages.subbufSize()), types, cpu, sink);
    }

    private static int instanceSubbufSize(TraceInstance instance, PageLayout layout) {
        try {
            return Integer.parseInt(Tracefs.read(instance.dir().resolve("buffer_subbuf_size_kb")).trim()) * 1024;
        } catch (IOException | NumberFormatException e) {
            return layout.subbufSize();
        }
    }

    public int cpu() { return cpu; }

    public Mode mode() { return pages.mode(); }

    public PageDecoder decoder() { return decoder; }

    /** read() or GET_READER calls so far (may lag: counted without synchronisation). */
    public long calls() { return pages.calls(); }

    /** Waits for data so far. */
    public long polls() { return polls; }

    /** The reader thread's scheduling: "fifo N", or "nice N" (also when SCHED_FIFO was refused). */
    public String scheduling() {
        return (rtPriority > 0 && schedFailure == null ? "fifo " + rtPriority : "nice " + nice)
                + (pin && pinFailure == null ? ", pinned" : "");
    }

    /** Why the reader thread stopped on its own, or null. */
    public String failure() { return failure; }

    /**
     * CPU time the reader thread has used so far, in nanoseconds (-1 when the JVM cannot tell), so that the cost of
     * reading can be shown per event.
     */
    public long cpuTimeNs() {
        Thread t = thread;
        if (t == null) return lastCpuTime;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long now = mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(t.getId()) : -1;
        if (now > 0) lastCpuTime = now;
        return lastCpuTime;
    }

    /**
     * Starts the reader thread; returns once the thread has asked the kernel to leave its own events out, so that
     * changing that list never races with tracing that has begun.
     */
    public synchronized void start() {
        if (thread != null) return;
        running = true;
        CountDownLatch ready = new CountDownLatch(1);
        thread = new Thread(() -> loop(ready), "lkst-kernel-cpu" + cpu);
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                ready.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void loop(CountDownLatch ready) {
        try {
            try {
                int tid = Libc.gettid();
                try {
                    if (!traced) instance.ignoreTask(tid);
                    if (nice != 0) Libc.setpriority(Libc.PRIO_PROCESS, tid, nice);
                } catch (IOException | RuntimeException e) {
                    Log.warn("cpu" + cpu + ": cannot keep the reader's own events out of the trace or set its nice value: " + e);
                }
                if (pin) {
                    try {
                        int bytes = (cpu / 64 + 1) * 8;
                        Memory mask = new Memory(bytes);
                        mask.clear();
                        mask.setByte(cpu / 8, (byte) (1 << (cpu % 8)));
                        Libc.sched_setaffinity(tid, bytes, mask);
                    } catch (RuntimeException e) {
                        pinFailure = e instanceof LastErrorException l ? Libc.describe(l) : e.toString();
                        Log.warn("cpu" + cpu + ": cannot pin the reader to its CPU (" + pinFailure + "); it runs anywhere");
                    }
                }
                if (rtPriority > 0) {
                    try {
                        Memory param = new Memory(4);
                        param.setInt(0, rtPriority);
                        Libc.sched_setscheduler(tid, Libc.SCHED_FIFO, param);
                    } catch (RuntimeException e) {
                        schedFailure = e instanceof LastErrorException l ? Libc.describe(l) : e.toString();
                        Log.warn("cpu" + cpu + ": cannot make the reader SCHED_FIFO " + rtPriority + " (" + schedFailure
                                + "); it stays at nice " + nice);
                    }
                }
            } catch (UnsatisfiedLinkError e) {
                Log.warn("cpu" + cpu + ": cannot set up the reader thread: " + e);
            } finally {
                ready.countDown();
            }
            boolean busy = false;
            while (running) {
                // a page the kernel is still writing is decoded as far as it goes, then the reader waits for more
                // rather than spinning on it: it decodes whole pages under load and touches no line being written
                if (pump() == PageSource.FULL) {
                    busy = true;
                } else {
                    waitForData(busy ? POLL_MS : idleWaitMs);
                    busy = false;
                }
            }
        } catch (LastErrorException e) {
            failure = "cpu" + cpu + " reader stopped: " + Libc.describe(e);
            Log.error(failure, e);
        } catch (RuntimeException | Error e) {
            failure = "cpu" + cpu + " reader stopped: " + e;
            Log.error(failure, e);
        }
    }

    private void waitForData(int timeoutMs) {
        polls++;
        try {
            Libc.poll(pollfd, 2, timeoutMs);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Libc.EINTR) throw e;
        }
        if ((pollfd.getShort(14) & Libc.POLLIN) != 0) {
            try {
                Libc.read(wakeFd, counter, 8); // resets the eventfd: the nudge is taken
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Libc.EAGAIN && e.getErrorCode() != Libc.EINTR) throw e;
            }
        }
    }

    /**
     * Wakes the reader thread if it sleeps in poll(), so that it reads what the kernel holds now (flush) or sees
     * that it is to stop; a nudge while it works makes its next poll() return at once.
     */
    public void nudge() {
        Memory one = new Memory(8);
        one.setLong(0, 1);
        try {
            Libc.write(wakeFd, one, 8);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Libc.EAGAIN) throw e; // EAGAIN: the counter is full, a nudge is pending anyway
        }
    }

    /** Consumes what the kernel has ready now without waiting (see {@link PageSource#pump}). */
    int pump() {
        return pages.pump(decoder);
    }

    /** Reads until the buffer is empty, on the calling thread; only while the reader thread is not running. */
    public synchronized void drain() {
        if (thread != null) throw new IllegalStateException("cpu" + cpu + " reader thread is running");
        while (pump() != PageSource.NOTHING) {
            // keep consuming
        }
    }

    /** Asks the reader thread to stop and wakes it ({@link #nudge}), without waiting. */
    public void stopSoon() {
        running = false;
        nudge();
    }

    /** Stops the reader thread (woken at once, {@link #nudge}) and waits for it. */
    public synchronized void stop() {
        running = false;
        if (thread != null) nudge();
        Thread t = thread;
        if (t == null) return;
        cpuTimeNs();
        thread = null;
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** The kernel's per_cpu/cpuN/stats counters for this CPU. */
    public CpuStats stats() throws IOException {
        return CpuStats.parse(Tracefs.lines(dir.resolve("stats")));
    }

    @Override
    public synchronized void close() {
        stop();
        pages.close();
        try {
            Libc.close(fd);
            Libc.close(wakeFd);
        } catch (LastErrorException e) {
            Log.warn("cpu" + cpu + ": close failed: " + Libc.describe(e));
        }
    }
}
