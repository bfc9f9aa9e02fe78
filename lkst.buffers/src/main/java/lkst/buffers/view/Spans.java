package lkst.buffers.view;

/**
 * Spans of one kind of lane (CPU slices, task states, IRQs), each from one event to another (indexes into the
 * {@link EventTable}; {@value #OPEN} as a start: before the first event; as an end: after the last) with a value
 * (the task, the state, the kind), in the order they ended. {@link #byLane} sorts them by lane, then start, and
 * gives each lane's first span: the page draws a lane from its own slice of the arrays.
 */
final class Spans {
    static final int OPEN = -1;

    final Ints lane = new Ints();
    final Ints start = new Ints();
    final Ints end = new Ints();
    final Ints value = new Ints();

    void add(int lane, int start, int end, int value) {
        this.lane.add(lane);
        this.start.add(start);
        this.end.add(end);
        this.value.add(value);
    }

    int size() { return lane.size(); }

    /** Sorted by lane, then start (OPEN first), then end; {@code first[l]} the first span of lane l, {@code first[lanes]} = size. */
    record Sorted(int[] start, int[] end, int[] value, int[] first) {
        int count(int lane) { return first[lane + 1] - first[lane]; }
    }

    Sorted byLane(int lanes) {
        int n = size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Integer.compare(lane.get(a), lane.get(b));
            if (c == 0) c = Integer.compare(start.get(a), start.get(b)); // event indexes are in time order; OPEN (-1) first
            if (c == 0) c = Integer.compare(end.get(a) == OPEN ? Integer.MAX_VALUE : end.get(a), end.get(b) == OPEN ? Integer.MAX_VALUE : end.get(b));
            return c;
        });
        int[] s = new int[n];
        int[] e = new int[n];
        int[] v = new int[n];
        int[] first = new int[lanes + 1];
        for (int i = 0; i < n; i++) {
            int k = order[i];
            s[i] = start.get(k);
            e[i] = end.get(k);
            v[i] = value.get(k);
            first[lane.get(k) + 1]++;
        }
        for (int l = 0; l < lanes; l++) first[l + 1] += first[l];
        return new Sorted(s, e, v, first);
    }
}
