package lkst.handlers.std;

import java.util.Arrays;
import java.util.Set;

/** An immutable set of pids, searched without allocation. */
final class PidSet {
    static final PidSet EMPTY = new PidSet(Set.of());

    private final int[] sorted;
    final Set<Integer> pids;

    PidSet(Set<Integer> pids) {
        this.pids = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(pids));
        this.sorted = pids.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    boolean contains(int pid) {
        return Arrays.binarySearch(sorted, pid) >= 0;
    }

    /** An ftrace filter matching these pids, e.g. {@code common_pid==1||common_pid==2}; "0" matches nothing. */
    String kernelFilter() {
        if (sorted.length == 0) return "common_pid==-1";
        StringBuilder s = new StringBuilder();
        for (int p : sorted) s.append(s.length() == 0 ? "" : "||").append("common_pid==").append(p);
        return s.toString();
    }
}
