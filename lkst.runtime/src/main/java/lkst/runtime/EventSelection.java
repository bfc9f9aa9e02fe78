package lkst.runtime;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code -e} of ./lkst record, as trace-cmd takes it: an LKST or JVM event name (upper case, from the catalog),
 * a tracepoint {@code system:event} of the running kernel, a whole ftrace system ({@code sched}), a glob
 * ({@code 'sched:sched_wak*'}), or {@code uprobes:NAME} of a {@code --probe} of the same command; with the
 * {@code -f} filter that followed it, if any.
 */
final class EventSelection {
    /** Where the kernel lists its tracepoints, "system:event" per line. */
    static final Path AVAILABLE = Path.of("/sys/kernel/tracing/available_events");

    final String spec;
    String filter;
    /** The tracepoints it names, "system:event"; empty for an LKST, JVM or uprobe event name. */
    final List<String> tracepoints = new ArrayList<>();

    EventSelection(String spec) {
        this.spec = spec;
    }

    /** A catalog name (LKST, JVM or uprobe event) rather than tracepoints of the kernel. */
    boolean catalogName() { return tracepoints.isEmpty(); }

    boolean isUprobe() { return spec.startsWith("uprobes:"); }

    /** True when {@code spec} can only be kernel tracepoints (it has a ':', is lower case or a glob). */
    boolean kernelForm() {
        return !isUprobe() && (spec.contains(":") || !spec.equals(spec.toUpperCase(java.util.Locale.ROOT)) || glob(spec));
    }

    /** Expands a kernel form against the kernel's list of tracepoints; refuses one that names none. */
    void expand(List<String> available) {
        if (!kernelForm()) return;
        if (!spec.contains(":") && !glob(spec) && available.stream().noneMatch(tp -> tp.startsWith(spec + ":"))) {
            return; // no ftrace system of that name: a catalog name (a JVM event, say), which the runtime checks
        }
        String pattern = spec.contains(":") ? spec : spec + ":*";
        if (!glob(pattern)) {
            if (!available.contains(pattern)) {
                throw new Refused(1, "no tracepoint " + spec + " on this kernel (" + AVAILABLE + " lists them)");
            }
            tracepoints.add(pattern);
            return;
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replace('/', '_'));
        for (String tp : available) if (m.matches(Path.of(tp.replace('/', '_')))) tracepoints.add(tp);
        if (tracepoints.isEmpty()) {
            throw new Refused(1, (spec.contains(":") ? "no tracepoint matches " : "no ftrace system matches ") + spec
                    + " on this kernel (" + AVAILABLE + " lists them)");
        }
    }

    static List<String> available() {
        try {
            Set<String> out = new LinkedHashSet<>();
            for (String l : Files.readAllLines(AVAILABLE)) if (!l.isBlank()) out.add(l.trim());
            return new ArrayList<>(out);
        } catch (IOException e) {
            throw new Refused(1, "kernel events unavailable: cannot read " + AVAILABLE
                    + " (as root: mount -t tracefs nodev /sys/kernel/tracing)");
        }
    }

    private static boolean glob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }
}
