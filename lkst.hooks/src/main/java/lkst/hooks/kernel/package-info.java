/**
 * The kernel domain: LKST/J's private ftrace instance, the layouts the kernel publishes in tracefs, the per-CPU
 * ring-buffer readers (mmap or read, through JNA) and the {@link lkst.hooks.kernel.KernelBridge} service that the
 * shell calls to add tracepoints, uprobes and kernel filters.
 *
 * <ul>
 * <li>{@link lkst.hooks.kernel.TraceInstance}: {@code instances/lkstj-<pid>-<pidns>-<n>}, clock mono, buffer size, the exact
 *     set of enabled tracepoints, filters (the kernel's own error message on a bad one, nothing changed),
 *     {@code set_event_pid}; reclaims abandoned LKST/J instances (rmdir, refused while the owner holds a file open); removed on close.</li>
 * <li>{@link lkst.hooks.kernel.FormatParser}: header_page, header_event and each event's format into
 *     {@link lkst.api.Field}s at kernel offsets (the common_* header left out of the schema).</li>
 * <li>{@link lkst.hooks.kernel.PageDecoder}: sub-buffers into one reused event, counting what the kernel dropped.</li>
 * <li>{@link lkst.hooks.kernel.CpuReader}: one thread per CPU, mmap reader or read() of whole pages.</li>
 * </ul>
 *
 * <p>Measured on the 2-CPU test VM (syscall storm, dd bs=1, 8 M events, decode + dispatch to a counting handler):
 * the read() reader costs 35–48 ns of CPU per event (25–31 ns with 16–64 KiB sub-buffers), the mmap reader 60–95 ns,
 * about half of it kernel time in GET_READER; both kept up with ~2.3 M events/s with nothing lost. Under hackbench
 * (perf bench sched messaging -g 10 -l 1300, syscalls and scheduler events) readers at nice 0 lost 42–57 %, at
 * nice -10 0.6–14 %; with LKST's DEF tracepoints (49) at nice -10 20–47 %, in proportion to the reader's CPU cost per
 * event, as the readers got only their weight's share of the CPUs against 400 runnable tasks. Readers run
 * SCHED_FIFO (2 by default, {@code reader.rtprio}; SCHED_FIFO 1 lost 0.2–1 % on the same run). The mmap reader's
 * floor is higher than read()'s: most of its CPU is spent inside the kernel's GET_READER under the reader lock, in
 * proportion to events rather than sub-buffers (64 KiB sub-buffers do not lower it); see lkst.bench/kernel. Decodes
 * equal the kernel's own rendering of the same buffers, event by event.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package lkst.hooks.kernel;
