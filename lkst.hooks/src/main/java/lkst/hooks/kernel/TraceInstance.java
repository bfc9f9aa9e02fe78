package lkst.hooks.kernel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LKST/J's own ftrace instance ({@code instances/lkstj-<pid>-<pidns>-<n>}): its clock, buffer size, enabled
 * tracepoints, filters and pid list. It never writes outside its directory (except to reclaim abandoned LKST/J
 * instances, see {@link #reclaim}), so the top-level buffer and other tools' instances are left alone. {@link #close}
 * disables what it enabled and removes the directory.
 *
 * <p><b>Names.</b> The pid alone does not tell two runtimes apart: a runtime in another pid namespace on the same
 * kernel (a container, {@code unshare --pid}) can have the same pid, even 1. The name also carries the inode of the
 * process's pid namespace ({@code /proc/self/ns/pid}), unique among the namespaces that exist, and a sequence number.
 *
 * <p><b>Proof of liveness.</b> Whether the process that made an instance still runs cannot be told from its name:
 * its pid may be in a namespace this process cannot see, or reused. The kernel knows: it refuses {@code rmdir} of an
 * instance while any file of it is open ({@code EBUSY}), and a process's files are closed when it dies, even by
 * {@code kill -9}. So an instance keeps one of its files ({@code trace_clock}) open from its creation to
 * {@link #close}, also while no reader runs, and reclaiming is simply trying {@code rmdir} on every
 * {@code lkstj-*} instance: it succeeds only on abandoned ones. Seen on Linux 6.18: with {@code tracing_on},
 * {@code trace_clock}, {@code buffer_size_kb}, {@code set_event_notrace_pid}, {@code trace_marker},
 * {@code per_cpu/cpu0/stats}, {@code per_cpu/cpu0/trace_pipe_raw} or an event's {@code enable} file held open,
 * also by a process in another pid namespace, rmdir failed with EBUSY; once the holder was gone it succeeded.
 */
public final class TraceInstance implements AutoCloseable {
    public static final String PREFIX = "lkstj-";
    private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX) + "[0-9-]+");
    /**
     * {@code lkstj-<pid>-<n>}: made by an LKST/J from before names carried the pid namespace, which held no file of
     * its instance open outside its readers; such an instance is left alone while its pid is in use.
     */
    private static final Pattern BY_PID = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-\\d+");
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Path root;
    private final Path dir;
    private final String name;
    private final Set<String> enabled = new LinkedHashSet<>();
    private final Map<String, String> filters = new LinkedHashMap<>();
    /** Held open for the instance's whole life: the kernel's proof that it is alive (see the class comment). */
    private FileChannel hold;
    private boolean closed;

    private TraceInstance(Path root, String name) {
        this.root = root;
        this.name = name;
        this.dir = root.resolve("instances").resolve(name);
    }

    /**
     * Has the kernel keep each traced task's thread group in {@code saved_tgids} ({@code options/record-tgid}), as
     * trace-cmd does, so that a trace names every record's process. A kernel without the option: nothing kept.
     */
    private void recordTgid() {
        Path option = dir.resolve("options").resolve("record-tgid");
        try {
            if (Files.exists(option)) Tracefs.write(option, "1");
        } catch (IOException e) {
            // a trace then names processes only where saved_tgids already knew them
        }
    }

    /** {@code lkstj-<pid>-<pidns>-<n>}; the next n when the name is taken. */
    private static String nextName() {
        return PREFIX + ProcessHandle.current().pid() + "-" + PidNamespace.id() + "-" + SEQ.incrementAndGet();
    }

    /**
     * Reclaims abandoned LKST/J instances, then creates a new instance with clock {@code mono} and {@code bufferKb}
     * KiB per CPU (0 keeps the kernel's default).
     */
    public static TraceInstance create(Path root, int bufferKb) throws IOException {
        reclaim(root);
        TraceInstance t = make(root);
        try {
            Tracefs.write(t.dir.resolve("trace_clock"), "mono");
            if (bufferKb > 0) Tracefs.write(t.dir.resolve("buffer_size_kb"), Integer.toString(bufferKb));
            t.recordTgid();
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /**
     * Makes the directory and opens the file that keeps it. Between the two another runtime's {@link #reclaim} may
     * remove the empty instance: then the open fails and the next name is tried.
     */
    private static TraceInstance make(Path root) throws IOException {
        for (int attempt = 0; ; attempt++) {
            TraceInstance t = new TraceInstance(root, nextName());
            try {
                Files.createDirectory(t.dir);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 10) continue; // left by an older process of the same pid and namespace, still held
                throw e;
            }
            try {
                t.hold = FileChannel.open(t.dir.resolve("trace_clock"), StandardOpenOption.READ);
                return t;
            } catch (NoSuchFileException e) {
                if (attempt >= 10) throw e;
            }
        }
    }

    /**
     * Removes every abandoned LKST/J instance ({@code lkstj-*}) and returns their names: rmdir is tried on each, and
     * the kernel refuses it (EBUSY) for an instance whose runtime lives, as that runtime holds one of its files open.
     */
    public static List<String> reclaim(Path root) throws IOException {
        List<String> removed = new ArrayList<>();
        Path instances = root.resolve("instances");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(instances)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!OURS.matcher(name).matches()) continue;
                Matcher byPid = BY_PID.matcher(name);
                if (byPid.matches() && ProcessHandle.of(Long.parseLong(byPid.group(1))).isPresent()) continue;
                try {
                    Files.delete(p); // rmdir: the kernel disables the instance's events and frees its buffers
                    removed.add(p.getFileName().toString());
                    Log.info("reclaimed ftrace instance " + p.getFileName() + ", left behind by an LKST/J that is gone");
                } catch (FileSystemException e) {
                    if (!isBusy(e)) Log.warn("cannot reclaim ftrace instance " + p + ": " + Tracefs.reason(e));
                }
            }
        }
        return removed;
    }

    /** EBUSY: a file of the instance is open, its runtime is alive. */
    private static boolean isBusy(FileSystemException e) {
        return e.getReason() != null && e.getReason().contains("busy");
    }

    public String name() { return name; }

    public Path dir() { return dir; }

    public Path root() { return root; }

    /** The instance's own events directory (same tracepoints as the top level, private switches). */
    public Path events() { return dir.resolve("events"); }

    public boolean exists(String tracepoint) {
        return Files.isDirectory(eventDir(tracepoint));
    }

    Path eventDir(String tracepoint) {
        int colon = tracepoint.indexOf(':');
        if (colon <= 0 || colon == tracepoint.length() - 1 || tracepoint.indexOf('/') >= 0 || tracepoint.contains("..")) {
            throw new IllegalArgumentException("bad tracepoint '" + tracepoint + "' (expected subsystem:name, e.g. sched:sched_switch)");
        }
        return events().resolve(tracepoint.substring(0, colon)).resolve(tracepoint.substring(colon + 1));
    }

    public String traceClock() throws IOException {
        String s = Tracefs.read(dir.resolve("trace_clock"));
        int a = s.indexOf('['), b = s.indexOf(']');
        return a >= 0 && b > a ? s.substring(a + 1, b) : s.trim();
    }

    public int bufferSizeKb() throws IOException {
        return Integer.parseInt(Tracefs.read(dir.resolve("buffer_size_kb")).trim().replaceAll("\\D.*", ""));
    }

    /** Enabled tracepoints as LKST/J set them. */
    public synchronized Set<String> enabled() { return new TreeSet<>(enabled); }

    /**
     * Enables exactly {@code wanted} (tracepoints "sys:name") and disables every other one this instance enabled.
     * Tracepoints that do not exist are refused before anything changes.
     */
    public synchronized void enableExactly(Collection<String> wanted) throws IOException {
        checkOpen();
        for (String tp : wanted) {
            if (!exists(tp)) throw new IllegalArgumentException("no tracepoint " + tp + " on this kernel");
        }
        for (String tp : new ArrayList<>(enabled)) {
            if (!wanted.contains(tp)) {
                Tracefs.write(eventDir(tp).resolve("enable"), "0");
                enabled.remove(tp);
            }
        }
        for (String tp : wanted) {
            if (enabled.contains(tp)) continue;
            Tracefs.write(eventDir(tp).resolve("enable"), "1");
            enabled.add(tp);
        }
    }

    /** Tracepoints the kernel says are enabled in this instance (reads every enable file: for tests and checks). */
    public Set<String> enabledInKernel() throws IOException {
        Set<String> out = new TreeSet<>();
        try (DirectoryStream<Path> systems = Files.newDirectoryStream(events(), Files::isDirectory)) {
            for (Path sys : systems) {
                try (DirectoryStream<Path> evs = Files.newDirectoryStream(sys, Files::isDirectory)) {
                    for (Path ev : evs) {
                        Path en = ev.resolve("enable");
                        if (Files.exists(en) && Tracefs.read(en).trim().startsWith("1")) {
                            out.add(sys.getFileName() + ":" + ev.getFileName());
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Sets the kernel filter of a tracepoint (ftrace filter syntax). A filter the kernel refuses throws with the
     * kernel's own message (from the instance's error_log) and leaves the previous filter in place: the kernel
     * itself would keep the bad one, disabled, so it is put back.
     */
    public synchronized void setFilter(String tracepoint, String filter) throws IOException {
        checkOpen();
        if (!exists(tracepoint)) throw new IllegalArgumentException("no tracepoint " + tracepoint + " on this kernel");
        if (filter == null || filter.isBlank()) {
            clearFilter(tracepoint);
            return;
        }
        Path file = eventDir(tracepoint).resolve("filter");
        String before = filters.get(tracepoint);
        clearErrorLog();
        try {
            Tracefs.write(file, filter);
        } catch (IOException e) {
            String why = kernelError(file, e);
            if (before != null) Tracefs.write(file, before);
            else Tracefs.write(file, "0");
            throw new IllegalArgumentException("kernel refused filter '" + filter + "' on " + tracepoint + ": " + why);
        }
        filters.put(tracepoint, filter);
    }

    public synchronized void clearFilter(String tracepoint) throws IOException {
        checkOpen();
        Tracefs.write(eventDir(tracepoint).resolve("filter"), "0");
        filters.remove(tracepoint);
    }

    /** The filter LKST/J set on a tracepoint, or null. */
    public synchronized String filter(String tracepoint) { return filters.get(tracepoint); }

    /** The filter as the kernel shows it ("none" when there is none). */
    public String kernelFilter(String tracepoint) throws IOException {
        return Tracefs.read(eventDir(tracepoint).resolve("filter")).trim();
    }

    /** Traces only events of these pids (set_event_pid); an empty set traces every pid. */
    public synchronized void setEventPids(Collection<Integer> pids) throws IOException {
        checkOpen();
        Path file = dir.resolve("set_event_pid");
        if (pids.isEmpty()) {
            Tracefs.write(file, "");
            return;
        }
        StringBuilder b = new StringBuilder();
        for (int p : new TreeSet<>(pids)) b.append(b.length() == 0 ? "" : " ").append(p);
        try {
            Tracefs.write(file, b.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("kernel refused set_event_pid '" + b + "': " + Tracefs.reason(e));
        }
    }

    /**
     * Never records events of this thread (set_event_notrace_pid): a reader must not trace itself, or every page it
     * reads makes syscall events that make the next page, and it never rests. Added to the list without truncating
     * it, so the pids already there stay excluded throughout (see {@link #excludePids}).
     */
    public synchronized void ignoreTask(int tid) throws IOException {
        excludePids(List.of(tid));
    }

    /**
     * Adds pids to set_event_notrace_pid. The kernel builds the new list from the old one plus these and swaps it in
     * at once: no pid already listed is traced at any moment. (Writing with O_TRUNC would first empty the list.)
     */
    public synchronized void excludePids(Collection<Integer> pids) throws IOException {
        checkOpen();
        if (pids.isEmpty()) return;
        Tracefs.append(dir.resolve("set_event_notrace_pid"), join(pids));
    }

    /**
     * Replaces set_event_notrace_pid by {@code pids}. The kernel can only remove pids by emptying the list (opening
     * it with O_TRUNC), so between that and the write every pid is traced: use it while nothing is enabled.
     */
    public synchronized void replaceExcludedPids(Collection<Integer> pids) throws IOException {
        checkOpen();
        Path file = dir.resolve("set_event_notrace_pid");
        if (pids.isEmpty()) Tracefs.write(file, "");
        else Tracefs.write(file, join(pids));
    }

    /** The pids in set_event_notrace_pid now, as the kernel holds them (it adds forks and drops exits, see {@link #followForks}). */
    public Set<Integer> excludedPids() throws IOException {
        Set<Integer> out = new TreeSet<>();
        for (String l : Tracefs.lines(dir.resolve("set_event_notrace_pid"))) if (!l.isBlank()) out.add(Integer.parseInt(l.trim()));
        return out;
    }

    /**
     * options/event-fork: the kernel adds a task to the instance's pid lists (set_event_pid, set_event_notrace_pid)
     * when a listed task forks or starts a thread, before the new task runs, and removes every listed task when it
     * is freed.
     */
    public void followForks(boolean on) throws IOException {
        option("event-fork", on);
    }

    private static String join(Collection<Integer> pids) {
        StringBuilder b = new StringBuilder();
        for (int p : new TreeSet<>(pids)) b.append(b.length() == 0 ? "" : " ").append(p);
        return b.toString();
    }

    public Set<Integer> eventPids() throws IOException {
        Set<Integer> out = new TreeSet<>();
        for (String l : Tracefs.lines(dir.resolve("set_event_pid"))) if (!l.isBlank()) out.add(Integer.parseInt(l.trim()));
        return out;
    }

    /** Turns recording into this instance's buffers on or off (tracing_on), without changing what is enabled. */
    public void tracingOn(boolean on) throws IOException {
        Tracefs.write(dir.resolve("tracing_on"), on ? "1" : "0");
    }

    /**
     * Sets the size of the ring buffer's sub-buffers (pages) in KiB (buffer_subbuf_size_kb; the kernel rounds it to
     * a power of two of system pages). Larger sub-buffers mean fewer hand-overs per event: each GET_READER ioctl or
     * read() moves one sub-buffer. Only before readers open the buffers.
     */
    public void subbufSizeKb(int kb) throws IOException {
        try {
            Tracefs.write(dir.resolve("buffer_subbuf_size_kb"), Integer.toString(kb));
        } catch (IOException e) {
            throw new IllegalArgumentException("kernel refused sub-buffer size " + kb + " KiB: " + Tracefs.reason(e));
        }
    }

    /**
     * How full (percent) a CPU's buffer must be before a waiting reader is woken (buffer_percent): lower wakes the
     * readers earlier, so that a burst finds room; 0 wakes them on every event.
     */
    public void bufferPercent(int percent) throws IOException {
        if (percent < 0 || percent > 100) throw new IllegalArgumentException("buffer percent " + percent + " is not 0..100");
        Tracefs.write(dir.resolve("buffer_percent"), Integer.toString(percent));
    }

    public void option(String option, boolean on) throws IOException {
        Tracefs.write(dir.resolve("options").resolve(option), on ? "1" : "0");
    }

    public Path perCpu(int cpu) { return dir.resolve("per_cpu").resolve("cpu" + cpu); }

    /** CPUs with a per-CPU buffer in this instance. */
    public List<Integer> cpus() throws IOException {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("per_cpu"), "cpu*")) {
            for (Path p : ds) out.add(Integer.parseInt(p.getFileName().toString().substring(3)));
        }
        out.sort(null);
        return out;
    }

    private void clearErrorLog() {
        try {
            Tracefs.write(dir.resolve("error_log"), "");
        } catch (IOException e) {
            // older kernels: no error_log; the filter file still shows the error
        }
    }

    /** The kernel's words for a refused write: the instance's error_log, else the filter file, else errno. */
    private String kernelError(Path filterFile, IOException e) {
        try {
            String log = Tracefs.read(dir.resolve("error_log")).strip();
            if (!log.isEmpty()) return log.replaceAll("\\[\\s*[0-9.]+\\]\\s*", "").replaceAll("\n\\s*", " | ");
        } catch (IOException ignored) {
            // fall through
        }
        try {
            String shown = Tracefs.read(filterFile).strip();
            int i = shown.indexOf("parse_error:");
            if (i >= 0) return shown.substring(i).strip();
        } catch (IOException ignored) {
            // fall through
        }
        return Tracefs.reason(e);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("ftrace instance " + name + " is closed");
    }

    public synchronized boolean isClosed() { return closed; }

    /** Disables what was enabled, clears filters and pids, removes the instance. Each step is tried even if one fails. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        IOException first = null;
        for (String tp : enabled) {
            try {
                Tracefs.write(eventDir(tp).resolve("enable"), "0");
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        enabled.clear();
        filters.clear();
        try {
            if (hold != null) hold.close();
        } catch (IOException e) {
            if (first == null) first = e;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                break;
            } catch (IOException e) {
                // EBUSY while a reader still has a per-CPU file open: the caller closes readers first
                if (attempt >= 2) {
                    if (first == null) first = new IOException("cannot remove ftrace instance " + dir + ": " + Tracefs.reason(e), e);
                    break;
                }
                Thread.onSpinWait();
            }
        }
        if (first != null) throw first;
    }

    @Override
    public String toString() { return name; }
}
