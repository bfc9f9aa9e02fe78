package lkst.buffers.report;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import lkst.buffers.api.TraceRecord;

/** The command name of each thread, the last one the trace's scheduler and task events told. */
public final class TaskNames {
    private final Map<Long, String> byTid = new HashMap<>();

    void learn(TraceRecord r) {
        namingFields(r.event(), (pid, comm) -> put(r, pid, comm));
    }

    /**
     * The fields of an event of type {@code event} that name a task: each pair of its pid field and its command field
     * (the view's task table reads the same pairs).
     */
    public static void namingFields(String event, BiConsumer<String, String> pair) {
        switch (event) {
            case "sched:sched_switch" -> {
                pair.accept("prev_pid", "prev_comm");
                pair.accept("next_pid", "next_comm");
            }
            case "sched:sched_wakeup", "sched:sched_wakeup_new", "sched:sched_waking", "task:task_newtask" -> pair.accept("pid", "comm");
            case "task:task_rename" -> pair.accept("pid", "newcomm");
            case "sched:sched_process_fork" -> {
                pair.accept("parent_pid", "parent_comm");
                pair.accept("child_pid", "child_comm");
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
