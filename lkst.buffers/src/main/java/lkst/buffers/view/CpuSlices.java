package lkst.buffers.view;

import java.util.HashMap;
import java.util.Map;

/**
 * Which task runs when on each CPU, from {@code sched:sched_switch}: a slice from the switch that put a task on the
 * CPU to the switch that took it off. The task a CPU's first switch takes off ran from before the first event
 * ({@link Spans#OPEN}); a task still on at the end runs to after the last. The idle task (pid 0) makes no slice.
 */
final class CpuSlices {
    final Spans spans = new Spans();
    private final Map<Integer, int[]> running = new HashMap<>(); // cpu → {task, start event}

    /** A switch on {@code cpu} at {@code event} from task {@code prev} to {@code next} (-1: the idle task). */
    void sw(int cpu, int event, int prev, int next) {
        int[] on = running.get(cpu);
        if (on != null) {
            if (on[0] >= 0) spans.add(cpu, on[1], event, on[0]);
        } else if (prev >= 0) {
            spans.add(cpu, Spans.OPEN, event, prev);
        }
        running.put(cpu, new int[]{next, event});
    }

    /** The slices still open run to the end of the trace. */
    void finish() {
        running.forEach((cpu, on) -> {
            if (on[0] >= 0) spans.add(cpu, on[1], Spans.OPEN, on[0]);
        });
        running.clear();
    }
}
