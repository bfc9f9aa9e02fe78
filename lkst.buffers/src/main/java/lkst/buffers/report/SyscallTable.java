package lkst.buffers.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lkst.buffers.api.TraceRecord;

/**
 * Per task and syscall, as {@code perf trace -s} and {@code strace -c} give it: calls (each
 * {@code raw_syscalls:sys_enter}), and of the calls whose {@code sys_exit} (same thread, same id) the trace holds,
 * errors (ret &lt; 0), total, average and longest duration. An exit without its entry (a call in progress when
 * tracing began, a child's return from fork) is counted apart and not timed; so is an entry the thread never
 * returned from (exit_group, a lost exit).
 */
final class SyscallTable {
    static final class Row {
        final long tid;
        final long id;
        long calls;
        long errors;
        final Latencies time = new Latencies(false);

        Row(long tid, long id) {
            this.tid = tid;
            this.id = id;
        }
    }

    private record Key(long tid, long id) {}

    private final Map<Key, Row> rows = new HashMap<>();
    private final Map<Long, long[]> pending = new HashMap<>(); // tid → {id, time}
    long enters;
    long exits;
    long unmatchedExits;

    void add(TraceRecord r) {
        switch (r.event()) {
            case "raw_syscalls:sys_enter" -> enter(r);
            case "raw_syscalls:sys_exit" -> exit(r);
            default -> { }
        }
    }

    private void enter(TraceRecord r) {
        long id = Fields.number(r, "id", Long.MIN_VALUE);
        if (id == Long.MIN_VALUE) return;
        enters++;
        long tid = r.tid();
        rows.computeIfAbsent(new Key(tid, id), k -> new Row(k.tid, k.id)).calls++;
        pending.put(tid, new long[]{id, r.time()});
    }

    private void exit(TraceRecord r) {
        long id = Fields.number(r, "id", Long.MIN_VALUE);
        if (id == Long.MIN_VALUE) return;
        exits++;
        long[] p = pending.remove((long) r.tid());
        if (p == null || p[0] != id) {
            unmatchedExits++;
            return;
        }
        Row row = rows.get(new Key(r.tid(), id));
        row.time.add(p[1], r.time());
        if (Fields.number(r, "ret", 0) < 0) row.errors++;
    }

    /** Rows by task (most syscall time first), within a task by total time, then calls. */
    List<Row> rows() {
        Map<Long, Long> perTask = new HashMap<>();
        rows.values().forEach(r -> perTask.merge(r.tid, r.time.total, Long::sum));
        List<Row> l = new ArrayList<>(rows.values());
        l.sort(Comparator.comparingLong((Row r) -> -perTask.get(r.tid)).thenComparingLong(r -> r.tid)
                .thenComparingLong(r -> -r.time.total).thenComparingLong(r -> -r.calls).thenComparingLong(r -> r.id));
        return l;
    }
}
