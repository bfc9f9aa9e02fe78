package lkst.buffers.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lkst.buffers.api.TraceRecord;

/**
 * Hard IRQ time per IRQ ({@code irq:irq_handler_entry} → {@code irq_handler_exit} on the same CPU) and soft IRQ
 * time per vector ({@code irq:softirq_entry} → {@code softirq_exit}). It is not subtracted from the tasks' CPU time
 * (the scheduler charges an interrupt to the task it interrupted).
 */
final class IrqTable {
    static final String[] SOFTIRQS = {"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU"};

    static final class Row {
        final String kind;   // "hard" or "soft"
        final long number;   // IRQ number or softirq vector
        String name;
        final Latencies time = new Latencies(false);

        Row(String kind, long number, String name) {
            this.kind = kind;
            this.number = number;
            this.name = name;
        }
    }

    private final Map<Long, Row> hard = new TreeMap<>();
    private final Map<Long, Row> soft = new TreeMap<>();
    private final Map<Integer, long[]> hardOpen = new HashMap<>(); // cpu → {irq, time}
    private final Map<Integer, long[]> softOpen = new HashMap<>();
    final Map<String, Long> seen = new HashMap<>();

    void add(TraceRecord r) {
        switch (r.event()) {
            case "irq:irq_handler_entry" -> open(r, hardOpen, "irq");
            case "irq:irq_handler_exit" -> close(r, hardOpen, hard, "irq", "hard");
            case "irq:softirq_entry" -> open(r, softOpen, "vec");
            case "irq:softirq_exit" -> close(r, softOpen, soft, "vec", "soft");
            default -> { return; }
        }
        seen.merge(r.event(), 1L, Long::sum);
        if (r.event().equals("irq:irq_handler_entry")) {
            long irq = Fields.number(r, "irq", -1);
            String name = Fields.text(r, "name");
            if (irq >= 0 && name != null) hard.computeIfAbsent(irq, k -> new Row("hard", k, name)).name = name;
        }
    }

    private static void open(TraceRecord r, Map<Integer, long[]> open, String field) {
        long n = Fields.number(r, field, -1);
        if (n >= 0) open.put(r.cpu(), new long[]{n, r.time()});
    }

    private static void close(TraceRecord r, Map<Integer, long[]> open, Map<Long, Row> rows, String field, String kind) {
        long n = Fields.number(r, field, -1);
        long[] o = open.remove(r.cpu());
        if (o == null || o[0] != n) return; // its entry is not in the trace
        rows.computeIfAbsent(n, k -> new Row(kind, k, kind.equals("soft") && k < SOFTIRQS.length ? SOFTIRQS[k.intValue()] : "irq " + k))
                .time.add(o[1], r.time());
    }

    boolean hardRecorded() { return seen.containsKey("irq:irq_handler_entry") && seen.containsKey("irq:irq_handler_exit"); }
    boolean softRecorded() { return seen.containsKey("irq:softirq_entry") && seen.containsKey("irq:softirq_exit"); }

    /** Hard IRQs then soft ones, each by total time. */
    List<Row> rows() {
        List<Row> l = new ArrayList<>();
        if (hardRecorded()) hard.values().stream().filter(r -> r.time.count > 0).sorted(Comparator.comparingLong((Row r) -> -r.time.total)).forEach(l::add);
        if (softRecorded()) soft.values().stream().filter(r -> r.time.count > 0).sorted(Comparator.comparingLong((Row r) -> -r.time.total)).forEach(l::add);
        return l;
    }
}
