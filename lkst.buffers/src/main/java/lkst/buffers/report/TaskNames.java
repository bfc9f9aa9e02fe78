package lkst.buffers.report;

import java.util.HashMap;
import java.util.Map;
import lkst.buffers.api.TraceRecord;

/** The command name of each thread, the last one the trace's scheduler and task events told. */
final class TaskNames {
    private final Map<Long, String> byTid = new HashMap<>();

    void learn(TraceRecord r) {
        switch (r.event()) {
            case "sched:sched_switch" -> {
                put(r, "prev_pid", "prev_comm");
                put(r, "next_pid", "next_comm");
            }
            case "sched:sched_wakeup", "sched:sched_wakeup_new", "sched:sched_waking", "task:task_newtask" -> put(r, "pid", "comm");
            case "task:task_rename" -> put(r, "pid", "newcomm");
            case "sched:sched_process_fork" -> {
                put(r, "parent_pid", "parent_comm");
                put(r, "child_pid", "child_comm");
            }
            default -> { }
        }
    }

    private void put(TraceRecord r, String pid, String comm) {
        long p = Fields.number(r, pid, -1);
        String c = Fields.text(r, comm);
        if (p >= 0 && c != null && !c.isEmpty()) byTid.put(p, c);
    }

    /** The name of {@code tid}, or "?" when the trace never told it. */
    String of(long tid) {
        if (tid == 0) return "swapper";
        return byTid.getOrDefault(tid, "?");
    }
}
