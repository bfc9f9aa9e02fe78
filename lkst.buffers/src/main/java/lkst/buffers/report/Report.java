package lkst.buffers.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.TraceReader;

/**
 * {@code lkst report DIR}: where the time went, read in one pass over the trace (per-task aggregates only) — what
 * the trace lost first, then CPU time, switches and wake-up latency per task, syscalls per task, hard and soft IRQ
 * time, and events per type (the JVM's apart). A table whose events the trace does not hold says so in one line.
 * As aligned text, or with {@code --json} one JSON object.
 */
public final class Report {
    private final TraceReader reader;
    private final TaskNames names = new TaskNames();
    private final SchedTable sched = new SchedTable();
    private final SyscallTable syscalls = new SyscallTable();
    private final IrqTable irqs = new IrqTable();
    private final EventCounts counts;

    private Report(TraceReader reader) {
        this.reader = reader;
        this.counts = new EventCounts(reader.metadata().events());
    }

    /** Reads the trace of {@code reader} and prints the report (damage is left in {@code reader.damage()}). */
    public static void print(TraceReader reader, boolean json, PrintStream out) {
        Report r = new Report(reader);
        reader.forEach(RecordCursor.Torn.FAIL, r::add);
        Losses losses = Losses.of(reader);
        if (json) out.println(r.json(losses));
        else r.text(losses, out);
    }

    private void add(TraceRecord r) {
        names.learn(r);
        counts.add(r);
        sched.add(r);
        syscalls.add(r);
        irqs.add(r);
    }

    // ---- what is recorded

    /** Null when the trace holds the events of the sched table, else why not. */
    private String schedMissing() {
        return counts.count("sched:sched_switch") == 0 ? "no sched:sched_switch in this trace" : null;
    }

    private String wakeupMissing() {
        return counts.count("sched:sched_wakeup") + counts.count("sched:sched_wakeup_new") == 0
                ? "no sched:sched_wakeup/sched_wakeup_new in this trace" : null;
    }

    private String syscallsMissing() {
        return missing("raw_syscalls:sys_enter", "raw_syscalls:sys_exit");
    }

    private String hardMissing() { return missing("irq:irq_handler_entry", "irq:irq_handler_exit"); }

    private String softMissing() { return missing("irq:softirq_entry", "irq:softirq_exit"); }

    private String missing(String enter, String exit) {
        boolean a = counts.count(enter) > 0;
        boolean b = counts.count(exit) > 0;
        if (a && b) return null;
        if (!a && !b) return "no " + enter + "/" + exit.substring(exit.indexOf(':') + 1) + " in this trace";
        return "no " + (a ? exit : enter) + " in this trace, only " + (a ? enter : exit);
    }

    // ---- text

    private void text(Losses losses, PrintStream out) {
        lossesText(losses, out);
        out.printf("trace %s: %d events%s%n", reader.dir(), counts.total, counts.total == 0 ? ""
                : String.format(" from %s to %s (%.3f s), %d cpus", TraceRecord.seconds(counts.first), TraceRecord.seconds(counts.last),
                (counts.last - counts.first) / 1e9, reader.metadata().cpus()));
        out.println();
        List<SchedTable.Task> tasks = sched.tasks();
        if (schedMissing() != null) {
            out.println("per task: not recorded (" + schedMissing() + ")");
        } else {
            String wake = wakeupMissing();
            out.println("per task (sched:sched_switch: CPU time from each CPU's first switch, hard/soft IRQ time not subtracted; "
                    + "vol = slept or waited, invol = preempted; wake-up to switch-in latency in us):");
            Table t = new Table("tid", "<comm", "cpu ms", "switched in", "vol", "invol", "wakeups", "avg", "p99", "max", "<max at (switch-in)");
            for (SchedTable.Task k : tasks) {
                Latencies l = k.wakeup;
                boolean any = wake == null && l.count > 0;
                t.row(k.tid, names.of(k.tid), Table.ms(k.cpuNs), k.switchIns, k.voluntary, k.involuntary, wake == null ? l.count : "-",
                        any ? Table.us(l.average()) : "-", any ? Table.us(l.p99()) : "-", any ? Table.us(l.max) : "-",
                        any ? TraceRecord.seconds(l.maxAt) : "-");
            }
            t.print(out);
            out.printf("  idle (tid 0, all cpus): %s ms; %d switches%n", Table.ms(sched.idleNs()), sched.switches);
            if (sched.unchained > 0) {
                out.printf("  %d switches did not follow on from their CPU's previous one (switches missing: lost, or "
                        + "between two of LKST/J's own threads, which it keeps out of the trace): the time between is not counted%n", sched.unchained);
            }
            if (wake != null) out.println("  wake-up latency: not recorded (" + wake + ")");
        }
        out.println();
        if (syscallsMissing() != null) {
            out.println("syscalls: not recorded (" + syscallsMissing() + ")");
        } else {
            out.println("syscalls per task (raw_syscalls:sys_enter -> sys_exit of the same thread; times in us):");
            Table t = new Table("tid", "<comm", "<syscall", "calls", "errors", "total ms", "avg", "max");
            for (SyscallTable.Row r : syscalls.rows()) {
                boolean timed = r.time.count > 0;
                t.row(r.tid, names.of(r.tid), SyscallNames.of(r.id), r.calls, r.errors, Table.ms(r.time.total),
                        timed ? Table.us(r.time.average()) : "-", timed ? Table.us(r.time.max) : "-");
            }
            t.print(out);
            if (syscalls.unmatchedExits > 0) {
                out.printf("  %d exits without their entry in the trace (calls in progress when tracing began, returns from fork): not timed%n",
                        syscalls.unmatchedExits);
            }
        }
        out.println();
        irqText(out);
        out.println();
        out.println("events per type:");
        Table e = new Table("count", "<event", "<lkst event");
        List<EventCounts.Row> jvm = new ArrayList<>();
        for (EventCounts.Row r : counts.rows()) {
            e.row(r.count(), r.event(), r.lkst());
            if (r.jvm()) jvm.add(r);
        }
        if (counts.total == 0) out.println("  none: the trace holds no events");
        else e.print(out);
        out.println();
        if (jvm.isEmpty()) {
            out.println("JVM events: none in this trace");
        } else {
            out.println("JVM events per type:");
            Table j = new Table("count", "<event");
            for (EventCounts.Row r : jvm) j.row(r.count(), r.event());
            j.print(out);
        }
    }

    private void lossesText(Losses losses, PrintStream out) {
        switch (losses.known) {
            case ABSENT -> out.println("losses: not known (no trace.lost: the logger did not stop, or the trace predates it); "
                    + "the figures below may miss events");
            case DAMAGED -> out.println("losses: not known (trace.lost is damaged); the figures below may miss events");
            case YES -> {
                if (losses.total == 0) {
                    out.println("losses: none (trace.lost: no event lost on any CPU)");
                } else {
                    out.printf("LOST: %d events were not recorded; the figures below miss them:%n", losses.total);
                    losses.losses.perCpu().forEach((cpu, m) -> {
                        if (losses.losses.total(cpu) == 0) return;
                        StringBuilder s = new StringBuilder();
                        m.forEach((src, n) -> s.append(s.length() == 0 ? "" : ", ").append(src).append(' ').append(n)
                                .append(src.equals("kernel") ? " (dropped by the kernel)" : src.equals("buffers") ? " (refused by full buffers)" : ""));
                        out.printf("  cpu %d: %s%n", cpu, s);
                    });
                    out.println("  on those CPUs switches, wake-ups, syscalls and IRQs may be missing: CPU times, counts and "
                            + "latencies are lower bounds there, and a lost entry or exit leaves its call untimed");
                }
            }
        }
    }

    private void irqText(PrintStream out) {
        String hard = hardMissing();
        String soft = softMissing();
        if (hard != null) out.println("hard IRQs: not recorded (" + hard + ")");
        if (soft != null) out.println("soft IRQs: not recorded (" + soft + ")");
        if (hard != null && soft != null) return;
        out.println("IRQ time per vector (entry -> exit on the same CPU; not subtracted from the tasks' CPU time; times in us):");
        Table t = new Table("<kind", "irq", "<name", "count", "total ms", "avg", "max");
        for (IrqTable.Row r : irqs.rows()) {
            t.row(r.kind, r.number, r.name, r.time.count, Table.ms(r.time.total), Table.us(r.time.average()), Table.us(r.time.max));
        }
        t.print(out);
    }

    // ---- JSON

    private String json(Losses losses) {
        Json j = new Json().open();
        j.field("trace", reader.dir().toString()).field("events", counts.total).field("cpus", reader.metadata().cpus());
        if (counts.total > 0) j.field("first_ns", counts.first).field("last_ns", counts.last);
        j.name("losses").open().field("known", losses.known == Losses.Known.YES);
        if (losses.known == Losses.Known.YES) {
            j.field("total", losses.total).name("cpus").array();
            losses.losses.perCpu().forEach((cpu, m) -> {
                j.open().field("cpu", cpu);
                m.forEach(j::field);
                j.close();
            });
            j.end();
        } else {
            j.field("why", losses.known == Losses.Known.ABSENT ? "no trace.lost" : "trace.lost is damaged");
        }
        j.close();

        List<SchedTable.Task> tasks = sched.tasks();
        j.name("tasks").open();
        if (recorded(j, schedMissing())) {
            String wake = wakeupMissing();
            j.field("irq_time_subtracted", false).field("idle_ns", sched.idleNs()).field("switches", sched.switches).field("unchained_switches", sched.unchained)
                    .field("wakeups_recorded", wake == null).name("rows").array();
            for (SchedTable.Task k : tasks) {
                j.open().field("tid", k.tid).field("comm", names.of(k.tid)).field("cpu_ns", k.cpuNs).field("switched_in", k.switchIns)
                        .field("voluntary", k.voluntary).field("involuntary", k.involuntary);
                Latencies l = k.wakeup;
                if (wake == null) {
                    j.field("wakeups", l.count);
                    if (l.count > 0) {
                        j.field("wakeup_avg_ns", l.average()).field("wakeup_p99_ns", l.p99()).field("wakeup_max_ns", l.max)
                                .field("wakeup_max_woken_ns", l.maxFrom).field("wakeup_max_at_ns", l.maxAt);
                    }
                }
                j.close();
            }
            j.end();
        }
        j.close();

        j.name("syscalls").open();
        if (recorded(j, syscallsMissing())) {
            j.field("unmatched_exits", syscalls.unmatchedExits).name("rows").array();
            for (SyscallTable.Row r : syscalls.rows()) {
                j.open().field("tid", r.tid).field("comm", names.of(r.tid)).field("id", r.id).field("name", SyscallNames.of(r.id))
                        .field("calls", r.calls).field("errors", r.errors).field("timed", r.time.count).field("total_ns", r.time.total);
                if (r.time.count > 0) j.field("avg_ns", r.time.average()).field("max_ns", r.time.max);
                j.close();
            }
            j.end();
        }
        j.close();

        j.name("irqs").open().field("subtracted_from_task_cpu_time", false);
        j.name("hard").open();
        if (recorded(j, hardMissing())) irqRows(j, "hard");
        j.close();
        j.name("soft").open();
        if (recorded(j, softMissing())) irqRows(j, "soft");
        j.close();
        j.close();

        j.name("event_types").array();
        for (EventCounts.Row r : counts.rows()) {
            j.open().field("event", r.event()).field("count", r.count()).field("jvm", r.jvm());
            if (!r.lkst().isEmpty()) j.field("lkst", r.lkst());
            j.close();
        }
        j.end();
        j.name("jvm_event_types").array();
        for (EventCounts.Row r : counts.rows()) {
            if (r.jvm()) j.open().field("event", r.event()).field("count", r.count()).close();
        }
        j.end();
        return j.close().toString();
    }

    /** Writes "recorded" (and "why" when not); true when the table is recorded. */
    private static boolean recorded(Json j, String why) {
        j.field("recorded", why == null);
        if (why != null) j.field("why", why);
        return why == null;
    }

    private void irqRows(Json j, String kind) {
        j.name("rows").array();
        for (IrqTable.Row r : irqs.rows()) {
            if (!r.kind.equals(kind)) continue;
            j.open().field("number", r.number).field("name", r.name).field("count", r.time.count).field("total_ns", r.time.total)
                    .field("avg_ns", r.time.average()).field("max_ns", r.time.max).close();
        }
        j.end();
    }

}
