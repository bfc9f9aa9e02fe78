package lkst.buffers.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.report.TaskNames;

/**
 * The tasks (threads) of a trace, each with an index the page's arrays use, its process and its command: the last
 * name the scheduler and task events told. The process is the record's pid where it differs from its tid (JVM
 * events carry both); kernel records carry only the task ID, so a task seen only there is its own process.
 */
final class Tasks {
    /** One task: thread ID, process ID, command ("" until the trace names it). */
    static final class Task {
        final int tid;
        int pid;
        String comm = "";

        Task(int tid) {
            this.tid = tid;
            this.pid = tid;
        }
    }

    private final Map<Integer, Integer> index = new HashMap<>();
    private final List<Task> tasks = new ArrayList<>();

    /** The index of task {@code tid}, made on first sight; -1 for an unknown task (tid < 0). */
    int of(int tid) {
        if (tid < 0) return -1;
        Integer i = index.get(tid);
        if (i != null) return i;
        tasks.add(new Task(tid));
        index.put(tid, tasks.size() - 1);
        return tasks.size() - 1;
    }

    Task get(int i) { return tasks.get(i); }

    int size() { return tasks.size(); }

    /** The task of {@code r} (its tid, else its pid), learning its process and the names the record tells. */
    int learn(TraceRecord r) {
        int task = of(r.tid() >= 0 ? r.tid() : r.pid());
        if (task >= 0 && r.pid() >= 0 && r.pid() != r.tid() && r.tid() >= 0) tasks.get(task).pid = r.pid();
        TaskNames.namingFields(r.event(), (pid, comm) -> name(r, pid, comm));
        return task;
    }

    private void name(TraceRecord r, String pid, String comm) {
        if (r.fields().get(pid) instanceof Long p && r.fields().get(comm) instanceof String c && !c.isEmpty() && p >= 0 && p <= Integer.MAX_VALUE) {
            tasks.get(of(p.intValue())).comm = c;
        }
    }
}
