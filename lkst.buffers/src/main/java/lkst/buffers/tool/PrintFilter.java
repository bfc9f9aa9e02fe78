package lkst.buffers.tool;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import lkst.api.EventType;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.trace.TraceMetadata;

/**
 * Which records print shows: every option given must match, and any one of its values. {@code --event} names
 * event types (sched:sched_switch), LKST events (PROCESS_CONTEXTSWITCH: every tracepoint that makes it) or globs
 * of either ('sched:*', 'syscalls:sys_enter_*'); {@code --comm} is a glob on the command name print shows (a record
 * whose task the trace never named has none, and does not match); {@code --from}/{@code --to} are seconds from
 * the trace's first event, both ends included.
 */
final class PrintFilter {
    private final Set<Integer> pids;
    private final Set<Integer> tids;
    private final Set<Integer> cpus;
    private final List<Glob> comms;
    /** The names of the event types shown, or null for all. */
    private final Set<String> events;
    private final long from;
    private final long to;
    private final FieldFilter fields;

    private PrintFilter(PrintOptions o, Set<String> events) {
        this.pids = Set.copyOf(o.pids);
        this.tids = Set.copyOf(o.tids);
        this.cpus = Set.copyOf(o.cpus);
        this.comms = o.comms.stream().map(Glob::of).toList();
        this.events = events;
        this.from = o.from;
        this.to = o.to;
        this.fields = o.filter;
    }

    /**
     * The filter of {@code o} on the trace that {@code meta} describes.
     *
     * @throws CommandLine.Usage for an event that is no event of the trace, a CPU it does not have, a field no
     *         event of it has
     */
    static PrintFilter of(PrintOptions o, TraceMetadata meta) {
        for (int cpu : o.cpus) {
            if (cpu >= meta.cpus()) {
                throw new CommandLine.Usage("--cpu " + cpu + ": the trace has " + meta.cpus() + " CPUs (0-" + (meta.cpus() - 1) + ")");
            }
        }
        Set<String> events = null;
        if (!o.events.isEmpty()) {
            events = new HashSet<>();
            for (String name : o.events) {
                Glob g = Glob.of(name);
                boolean any = false;
                for (EventType t : meta.events()) {
                    if (g.matches(t.name()) || t.groups().stream().anyMatch(g::matches)) {
                        events.add(t.name());
                        any = true;
                    }
                    for (String tp : t.tracepoints()) { // an LKST event's tracepoints: known names, maybe never recorded
                        if (g.matches(tp)) {
                            events.add(tp);
                            any = true;
                        }
                    }
                }
                if (!any) {
                    throw new CommandLine.Usage("--event '" + Main.printable(name) + "' is no event of this trace (no event type,"
                            + " LKST event or tracepoint of its trace.meta; lkst stats DIR shows what it holds)");
                }
            }
        }
        if (o.filter != null) o.filter.check(meta.events());
        return new PrintFilter(o, events);
    }

    /** True when {@code r} (named, where the trace told its command) is shown; {@code rel}: ns from the first event. */
    boolean accepts(TraceRecord r, long rel) {
        if (from >= 0 && rel < from) return false;
        if (to >= 0 && rel > to) return false;
        if (!cpus.isEmpty() && !cpus.contains(r.cpu())) return false;
        if (!pids.isEmpty() && !pids.contains(r.pid())) return false;
        if (!tids.isEmpty() && !tids.contains(r.tid())) return false;
        if (events != null && !events.contains(r.event())) return false;
        if (!comms.isEmpty() && !anyMatches(comms, r.comm())) return false;
        return fields == null || fields.test(r);
    }

    /** True when no record {@code rel} ns or more after the first event can be shown any more. */
    boolean over(long rel) {
        return to >= 0 && rel > to;
    }

    private static boolean anyMatches(List<Glob> globs, String s) {
        if (s == null) return false;
        for (Glob g : globs) if (g.matches(s)) return true;
        return false;
    }
}
