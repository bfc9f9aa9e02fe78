package lkst.buffers.tool;

import java.util.HashMap;
import java.util.Map;
import lkst.buffers.api.TraceRecord;

/**
 * Learns task names from a trace's scheduler and task events, read in time order, so that print can show the
 * command of each record's task where the trace has told it (as ftrace's own output does).
 */
final class Comms {
    private final Map<Long, String> byTask = new HashMap<>();

    /** {@code r}, with the name of its task when known. */
    TraceRecord name(TraceRecord r) {
        learn(r);
        String comm = byTask.get((long) (r.tid() >= 0 ? r.tid() : r.pid()));
        return comm == null ? r : r.withComm(comm);
    }

    private void learn(TraceRecord r) {
        Map<String, Object> f = r.fields();
        switch (r.event()) {
            case "sched:sched_switch":
                put(f, "prev_pid", "prev_comm");
                put(f, "next_pid", "next_comm");
                break;
            case "sched:sched_wakeup":
            case "sched:sched_wakeup_new":
            case "sched:sched_waking":
            case "task:task_newtask":
            case "signal:signal_generate":
                put(f, "pid", "comm");
                break;
            case "task:task_rename":
                put(f, "pid", "newcomm");
                break;
            case "sched:sched_process_fork":
                put(f, "parent_pid", "parent_comm");
                put(f, "child_pid", "child_comm");
                break;
            default:
        }
    }

    private void put(Map<String, Object> f, String pid, String comm) {
        if (f.get(pid) instanceof Long p && f.get(comm) instanceof String c && !c.isEmpty()) byTask.put(p, c);
    }
}
