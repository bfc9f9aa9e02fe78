package lkst.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import lkst.api.EventType;
import lkst.hooks.kernel.api.KernelControl;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code lkst} Gogo commands for the kernel bridge: tracepoints added at run time, uprobes (LKST's free hook
 * points), kernel filters and pid restriction.
 */
@Component(service = KernelCommands.class, property = {
        "osgi.command.scope=lkst", "osgi.command.function=tracepoint", "osgi.command.function=probe",
        "osgi.command.function=filter", "osgi.command.function=pids"})
public final class KernelCommands {
    private final KernelControl kernel;

    @Activate
    public KernelCommands(@Reference KernelControl kernel) {
        this.kernel = kernel;
    }

    @Descriptor("list the tracepoints enabled in LKST/J's ftrace instance now")
    public Set<String> tracepoint() { return new TreeSet<>(kernel.enabledTracepoints()); }

    @Descriptor("add any tracepoint of the running kernel to the catalog, e.g. lkst:tracepoint add sched:sched_process_exec; bind it in a maskset by that name")
    public EventType tracepoint(@Descriptor("add") String action, @Descriptor("subsystem:name") String tracepoint) {
        return Refusal.of(() -> {
            if (!action.equals("add")) throw new IllegalArgumentException("unknown tracepoint action '" + action + "' (add)");
            return kernel.addTracepoint(tracepoint);
        });
    }

    @Descriptor("list the uprobes added")
    public Set<String> probe() { return kernel.probes(); }

    @Descriptor("add a free hook point: lkst:probe add NAME PATH:SYMBOL ['ARG=FETCH' …] (a uprobe; it becomes event "
            + "uprobes:NAME with a field per ARG), or lkst:probe remove NAME. FETCH is the kernel's uprobe fetch "
            + "argument, e.g. 'obj=%di:u64' (first argument on x86_64; 'obj=%x0:u64' on aarch64): quote it, or write "
            + "\\%, as Gogo reads an unquoted % as the start of an expression")
    public Object probe(@Descriptor("add or remove") String action,
                        @Descriptor("NAME, then for add PATH:SYMBOL and fetch arguments") String... args) {
        return Refusal.of(() -> {
            switch (action) {
                case "add":
                    if (args.length < 2) throw new IllegalArgumentException("usage: lkst:probe add NAME PATH:SYMBOL ['ARG=FETCH' …]");
                    return kernel.addProbe(args[0], args[1], List.of(args).subList(2, args.length));
                case "remove":
                    if (args.length != 1) throw new IllegalArgumentException("usage: lkst:probe remove NAME");
                    kernel.removeProbe(args[0]);
                    return kernel.probes();
                default:
                    throw new IllegalArgumentException("unknown probe action '" + action + "' (add, remove)");
            }
        });
    }

    @Descriptor("set a kernel filter on a tracepoint in ftrace's syntax, e.g. lkst:filter sched:sched_switch 'next_pid == 1'; an empty filter clears it; the kernel's own error message shows when it refuses one")
    public String filter(@Descriptor("tracepoint, as subsystem:name") String event, @Descriptor("filter expression") String... filter) {
        return Refusal.of(() -> {
            String f = String.join(" ", filter);
            kernel.filter(event, f);
            return f.isBlank() ? "filter of " + event + " cleared" : event + " filtered in the kernel: " + f;
        });
    }

    @Descriptor("trace only these pids in the kernel (set_event_pid); 'all' traces every pid")
    public String pids(@Descriptor("pids, comma-separated, or all") String pids) {
        return Refusal.of(() -> {
            List<Integer> list = new ArrayList<>();
            if (!pids.equals("all")) {
                for (String p : pids.split("[,\\s]+")) {
                    list.add(Args.intAtLeast(p, 1, "bad pid '" + p + "' (positive integers, comma-separated, or all)"));
                }
            }
            // without children: event-fork off, else the listed processes' forks would join the list; 'all' turns
            // it back on, as the kernel bridge keeps its own JVM's new threads out through it
            kernel.traceOnly(list, list.isEmpty());
            return list.isEmpty() ? "kernel events of every pid are traced" : "kernel events of pids " + list + " only";
        });
    }

    @Descriptor("trace only these pids in the kernel, and the processes they fork from now on (set_event_pid with event-fork)")
    public String pids(@Descriptor("pids, comma-separated") String pids, @Descriptor("children") String children) {
        if (!children.equals("children")) throw new IllegalArgumentException("usage: lkst:pids PIDS children");
        List<Integer> list = new ArrayList<>();
        for (String p : pids.split("[,\\s]+")) {
            list.add(Args.intAtLeast(p, 1, "bad pid '" + p + "' (positive integers, comma-separated)"));
        }
        kernel.traceOnly(list, true);
        return "kernel events of pids " + list + " and their children only";
    }
}
