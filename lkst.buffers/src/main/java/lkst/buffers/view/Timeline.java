package lkst.buffers.view;

import java.util.Map;
import lkst.buffers.api.TraceRecord;

/**
 * A trace as the page draws it, built in one pass over its records in time order: the {@link EventTable}, which
 * task runs on each CPU ({@link CpuSlices}), what each task does ({@link TaskStates}) and IRQs ({@link Interrupts}).
 * The markers of each task's lane (its events) the page finds itself, from the events' tasks.
 */
final class Timeline {
    final Tasks tasks = new Tasks();
    final EventTable events;
    final CpuSlices slices = new CpuSlices();
    final TaskStates states = new TaskStates();
    final Interrupts interrupts = new Interrupts();
    int cpus;

    /** @param jvm event name → true when the JVM made it; {@code cpus} the trace's CPUs (more if records say so) */
    Timeline(Map<String, Boolean> jvm, int cpus) {
        this.events = new EventTable(jvm);
        this.cpus = cpus;
    }

    void add(TraceRecord r) {
        int task = tasks.learn(r);
        int e = events.add(r, task);
        cpus = Math.max(cpus, r.cpu() + 1);
        switch (r.event()) {
            case "sched:sched_switch" -> {
                int prev = task(r, "prev_pid");
                int next = task(r, "next_pid");
                slices.sw(r.cpu(), e, prev, next);
                states.sw(e, prev, r.fields().get("prev_state") instanceof Long s ? s : 0, next);
            }
            case "sched:sched_wakeup", "sched:sched_wakeup_new" -> states.wakeup(e, task(r, "pid"));
            default -> interrupts.add(r.event(), r.cpu(), e);
        }
    }

    /** The task a pid field names; -1 for the idle task (0) or none. */
    private int task(TraceRecord r, String field) {
        return r.fields().get(field) instanceof Long p && p > 0 && p <= Integer.MAX_VALUE ? tasks.of(p.intValue()) : -1;
    }

    void finish() {
        slices.finish();
        states.finish();
        interrupts.finish();
    }
}
