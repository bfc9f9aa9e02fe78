package lkst.buffers.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lkst.buffers.api.TraceRecord;

/**
 * Where each task's time went, from {@code sched:sched_switch} and {@code sched:sched_wakeup(_new)}, as
 * {@code perf sched latency} gives it: CPU time (switch-in to switch-out on each CPU, counted from each CPU's first
 * switch; a task still on a CPU at the end counts up to the trace's last event), times switched in, voluntary
 * switches out (prev_state not running: it slept or waited) and involuntary ones (prev_state R or R+: preempted),
 * and the latency from a wake-up to the task's next switch-in. A wake-up counts only when the task was not on a
 * CPU and no earlier wake-up is pending (as perf does: a wake-up of a running task is not a latency).
 * Hard and soft IRQ time is not subtracted from CPU time.
 */
final class SchedTable {
    /** The task-state bits of prev_state (S D T t X Z P I); R+ (preempted) is the bit above them. */
    static final long STATE_MASK = 0xff;

    static final class Task {
        final long tid;
        long cpuNs;
        long switchIns;
        long voluntary;
        long involuntary;
        final Latencies wakeup = new Latencies(true);
        long wokenAt = -1;   // a wake-up waiting for its switch-in
        boolean sleeping;    // last switched out voluntarily
        int onCpu = -1;

        Task(long tid) { this.tid = tid; }
    }

    private final Map<Long, Task> tasks = new HashMap<>();
    private final Map<Integer, long[]> running = new HashMap<>(); // cpu → {tid, since}
    long switches;
    /** Switches whose prev was not the task the CPU's previous switch put on it: events are missing between. */
    long unchained;
    long wakeups;
    long last;

    private Task task(long tid) { return tasks.computeIfAbsent(tid, Task::new); }

    void add(TraceRecord r) {
        last = Math.max(last, r.time());
        switch (r.event()) {
            case "sched:sched_switch" -> sw(r);
            case "sched:sched_wakeup", "sched:sched_wakeup_new" -> wakeup(r);
            default -> { }
        }
    }

    private void sw(TraceRecord r) {
        long prev = Fields.number(r, "prev_pid", -1);
        long next = Fields.number(r, "next_pid", -1);
        long state = Fields.number(r, "prev_state", 0);
        if (prev < 0 || next < 0) return;
        switches++;
        long[] cur = running.get(r.cpu());
        Task p = task(prev);
        if (cur != null && cur[0] == prev) p.cpuNs += r.time() - cur[1];
        else if (cur != null) unchained++;
        if ((state & STATE_MASK) == 0) {
            p.involuntary++;
            p.sleeping = false;
        } else {
            p.voluntary++;
            p.sleeping = true;
        }
        if (p.onCpu == r.cpu()) p.onCpu = -1;
        Task n = task(next);
        n.switchIns++;
        n.onCpu = r.cpu();
        if (n.wokenAt >= 0) {
            n.wakeup.add(n.wokenAt, r.time());
            n.wokenAt = -1;
        }
        n.sleeping = false;
        running.put(r.cpu(), new long[]{next, r.time()});
    }

    private void wakeup(TraceRecord r) {
        long pid = Fields.number(r, "pid", -1);
        if (pid <= 0) return;
        wakeups++;
        Task t = task(pid);
        boolean known = t.switchIns > 0 || t.voluntary + t.involuntary > 0;
        if (t.onCpu >= 0 || t.wokenAt >= 0 || (known && !t.sleeping)) return;
        t.wokenAt = r.time();
    }

    /** The tasks (idle, tid 0, left out), most CPU time first; the time of tasks still on a CPU counted up to the end. */
    List<Task> tasks() {
        running.forEach((cpu, cur) -> {
            Task t = tasks.get(cur[0]);
            if (t != null && last > cur[1]) t.cpuNs += last - cur[1];
            cur[1] = last;
        });
        List<Task> l = new ArrayList<>();
        for (Task t : tasks.values()) if (t.tid != 0) l.add(t);
        l.sort(Comparator.comparingLong((Task t) -> -t.cpuNs).thenComparingLong(t -> -t.switchIns).thenComparingLong(t -> t.tid));
        return l;
    }

    /** CPU time of the idle task (tid 0), summed over CPUs. */
    long idleNs() {
        Task t = tasks.get(0L);
        return t == null ? 0 : t.cpuNs;
    }
}
