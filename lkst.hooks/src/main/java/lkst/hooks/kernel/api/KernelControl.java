package lkst.hooks.kernel.api;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import lkst.api.EventType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The kernel domain as other bundles control it. Every method that changes something either succeeds or throws
 * {@link IllegalArgumentException} with one clear message (the kernel's own, when it refused) and changes nothing;
 * while kernel events are unavailable ({@link #unavailable()} not null) they throw {@link IllegalStateException}
 * with that reason.
 */
@ProviderType
public interface KernelControl {
    /** Why kernel events are unavailable and how to fix it, in one line or a few; null while the kernel is traced. */
    String unavailable();

    /** The tracepoints enabled in LKST/J's ftrace instance now ("sys:name", as the kernel names them). */
    Set<String> enabledTracepoints();

    /**
     * Adds any tracepoint of the running kernel to the catalog by "subsystem:name"; bind it in a maskset by that
     * name. Adding one already added returns its event type.
     */
    EventType addTracepoint(String tracepoint);

    /** The uprobes added, by name. */
    Set<String> probes();

    /**
     * Adds a uprobe (LKST's free hook point): event {@code uprobes:NAME} at {@code PATH:SYMBOL}, with a field per
     * fetch argument ({@code ARG=FETCH}, the kernel's syntax, e.g. {@code obj=%di:u64}). A kernel function as target
     * is refused with why.
     */
    EventType addProbe(String name, String target, List<String> fetchArgs);

    /** Removes uprobe {@code name}: disabled, deleted from the kernel, its event marked unavailable. */
    void removeProbe(String name);

    /**
     * Sets a kernel filter (ftrace's syntax) on a tracepoint or uprobe of the catalog, combined with what its
     * handler asks for; null or blank clears it.
     */
    void filter(String event, String filter);

    /**
     * Traces only these processes in the kernel ({@code set_event_pid}; empty: every process), and with
     * {@code children} also what they fork from now on ({@code options/event-fork}).
     */
    void traceOnly(Collection<Integer> pids, boolean children);

    /**
     * Traces process {@code pid}, which this JVM started: LKST/J keeps its own JVM and what it starts out of the
     * trace, so a launcher names the command it starts, best before tracing starts and before the command execs.
     *
     * @return false when the process was traced already (or the JVM is traced itself: trace.self=true)
     */
    boolean traceProcess(int pid);
}
