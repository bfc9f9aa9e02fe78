/**
 * The kernel bridge, private to this bundle: LKST/J's ftrace instance, the per-CPU readers (read() or mmap, through
 * JNA), run-time tracepoints and uprobes, kernel filters, keeping its own JVM out of the trace. Other bundles reach it
 * through {@link lkst.hooks.kernel.api.KernelControl} and the {@code lkst.api} services it registers (status, losses,
 * the drain before a stop); what the kernel's pages and format files mean is in {@code lkst.hooks.ftrace}.
 *
 * <ul>
 * <li>{@link lkst.hooks.kernel.KernelBridge}: the component; follows the dispatch table, serves the control interface.</li>
 * <li>{@link lkst.hooks.kernel.TraceInstance}: {@code instances/lkstj-<pid>-<pidns>-<n>}, clock mono, buffer size, the
 *     exact set of enabled tracepoints, filters (the kernel's own error message on a bad one, nothing changed),
 *     {@code set_event_pid}; reclaims abandoned LKST/J instances (rmdir, refused while the owner holds a file open);
 *     removed on close.</li>
 * <li>{@link lkst.hooks.kernel.CpuReader}: one thread per CPU, mmap reader or read() of whole sub-buffers.</li>
 * <li>{@link lkst.hooks.kernel.SelfExclusion}, {@link lkst.hooks.kernel.Uprobes},
 *     {@link lkst.hooks.kernel.SavedProbes}: the JVM kept out, free hook points, what is re-added at start.</li>
 * </ul>
 *
 * <p>Why readers run SCHED_FIFO, why read() is the default and not mmap, and what each costs per event: measured in
 * lkst.bench/kernel/README.md.
 */
package lkst.hooks.kernel;
