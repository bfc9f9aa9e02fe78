package lkst.buffers.view;

import java.util.HashMap;
import java.util.Map;

/**
 * What each task does over time, from switches and wake-ups: running (switched in), runnable (preempted — the
 * switch's {@code prev_state} is R or R+ — or woken), sleeping ({@code S}, and {@code T t I P}), uninterruptible
 * ({@code D}). A task that exits ({@code X Z}) has no state after. Before a task's first switch or wake-up its state
 * is not known and not drawn, except that a task switched out was running since before the first event.
 */
final class TaskStates {
    static final int RUNNING = 0;
    static final int RUNNABLE = 1;
    static final int SLEEPING = 2;
    static final int UNINTERRUPTIBLE = 3;

    /** prev_state bits, as the kernel's sched_switch format prints them. */
    private static final long S = 0x1;
    private static final long D = 0x2;
    private static final long DEAD = 0x10 | 0x20; // X, Z
    private static final long STATE_MASK = 0xff;

    final Spans spans = new Spans();
    private final Map<Integer, int[]> current = new HashMap<>(); // task → {state, start event}

    void sw(int event, int prev, long prevState, int next) {
        if (prev >= 0) {
            int[] c = current.get(prev);
            // switched out: it ran since it was switched in, or since before the first event; a task not seen switched
            // in (its switch in was lost) keeps the state last known until here
            spans.add(prev, c == null ? Spans.OPEN : c[1], event, c == null ? RUNNING : c[0]);
            long s = prevState & STATE_MASK;
            if ((s & DEAD) != 0) current.remove(prev);
            else current.put(prev, new int[]{s == 0 ? RUNNABLE : (s & D) != 0 ? UNINTERRUPTIBLE : SLEEPING, event});
        }
        if (next >= 0) {
            int[] c = current.get(next);
            if (c != null && c[0] != RUNNING) spans.add(next, c[1], event, c[0]);
            current.put(next, new int[]{RUNNING, event});
        }
    }

    /** {@code task} woken at {@code event}: a sleeping task becomes runnable; one not seen before starts runnable. */
    void wakeup(int event, int task) {
        if (task < 0) return;
        int[] c = current.get(task);
        if (c == null) {
            current.put(task, new int[]{RUNNABLE, event});
        } else if (c[0] == SLEEPING || c[0] == UNINTERRUPTIBLE) {
            spans.add(task, c[1], event, c[0]);
            current.put(task, new int[]{RUNNABLE, event});
        }
    }

    void finish() {
        current.forEach((task, c) -> spans.add(task, c[1], Spans.OPEN, c[0]));
        current.clear();
    }
}
