package lkst.buffers.tool;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of {@code print} beyond the trace directory, as typed: which records ({@code --pid}, {@code --tid},
 * {@code --comm}, {@code --cpu}, {@code --event}, {@code --from}, {@code --to}, {@code --filter}) and how to show
 * them ({@code --json}, {@code --time}). Values are checked here as far as the command line alone allows (numbers,
 * from ≤ to, a filter's syntax); what needs the trace (event names, CPUs, the clock offset) is checked by
 * {@link PrintFilter} and {@link Printer} once it is open. Each option takes {@code --opt VALUE} or
 * {@code --opt=VALUE}; pid, tid, cpu and event take comma lists and may repeat (any of them matches), as may comm.
 */
final class PrintOptions {
    static final String USAGE = "usage: lkst print [--json] [--time rel|mono|wall] [--pid PID,…] [--tid TID,…] [--comm GLOB]"
            + " [--cpu CPU,…] [--event NAME|GLOB,…] [--from S] [--to S] [--filter 'FIELD OP VALUE [&& …]'] DIR"
            + "   (the records, one per line in time order; every option given must match, any of its values)";

    boolean json;
    TimeScale time = TimeScale.MONO;
    final Set<Integer> pids = new LinkedHashSet<>();
    final Set<Integer> tids = new LinkedHashSet<>();
    final Set<Integer> cpus = new LinkedHashSet<>();
    final List<String> comms = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    /** Nanoseconds from the trace's first event, or -1 when not given. */
    long from = -1;
    long to = -1;
    FieldFilter filter;

    /**
     * Takes the option at {@code args[i]} (with its value) when it is one of print's.
     *
     * @return the index of the last argument taken, or -1 when {@code args[i]} is no option of print
     * @throws CommandLine.Usage for a missing or bad value
     */
    int take(String[] args, int i) {
        String a = args[i];
        if (a.equals("--json")) {
            json = true;
            return i;
        }
        int eq = a.indexOf('=');
        String name = eq > 0 ? a.substring(0, eq) : a;
        switch (name) {
            case "--pid": case "--tid": case "--cpu": case "--comm": case "--event": case "--from": case "--to":
            case "--time": case "--filter":
                break;
            default:
                return -1;
        }
        String value;
        int last = i;
        if (eq > 0) {
            value = a.substring(eq + 1);
        } else {
            if (i + 1 >= args.length) throw new CommandLine.Usage(name + " needs a value");
            value = args[++last];
        }
        if (value.isEmpty()) throw new CommandLine.Usage(name + " needs a value");
        switch (name) {
            case "--pid": numbers(name, value, "a process ID", pids); break;
            case "--tid": numbers(name, value, "a thread ID", tids); break;
            case "--cpu": numbers(name, value, "a CPU number", cpus); break;
            case "--comm":
                Glob.of(value); // a pattern that is none is refused here
                comms.add(value);
                break;
            case "--event":
                for (String e : value.split(",", -1)) {
                    if (e.isBlank()) throw new CommandLine.Usage(name + " '" + Main.printable(value) + "': an empty event name");
                    Glob.of(e.strip());
                    events.add(e.strip());
                }
                break;
            case "--from": from = seconds(name, value, from); break;
            case "--to": to = seconds(name, value, to); break;
            case "--time": time = TimeScale.parse(value); break;
            default:
                if (filter != null) throw new CommandLine.Usage("--filter given twice (join conditions with && or ||)");
                filter = FieldFilter.parse(value);
        }
        if (from >= 0 && to >= 0 && from > to) {
            throw new CommandLine.Usage("--from " + TimeScale.seconds(from) + " is after --to " + TimeScale.seconds(to));
        }
        return last;
    }

    private static void numbers(String option, String list, String what, Set<Integer> into) {
        for (String s : list.split(",", -1)) {
            String n = s.strip();
            try {
                int v = Integer.parseInt(n);
                if (v < 0) throw new NumberFormatException();
                into.add(v);
            } catch (NumberFormatException e) {
                throw new CommandLine.Usage(option + " '" + Main.printable(n) + "' is not " + what + " (a number ≥ 0)");
            }
        }
    }

    /** Seconds ("1", "0.25", "1e-3") as nanoseconds; given once. */
    private static long seconds(String option, String value, long before) {
        if (before >= 0) throw new CommandLine.Usage(option + " given twice");
        try {
            BigDecimal s = new BigDecimal(value.strip());
            if (s.signum() < 0) throw new NumberFormatException();
            return s.movePointRight(9).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandLine.Usage(option + " '" + Main.printable(value) + "' is not a number of seconds ≥ 0 (from the trace's first event)");
        }
    }
}
