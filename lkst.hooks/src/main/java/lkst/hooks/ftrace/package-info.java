/**
 * What the kernel's ftrace publishes, read without the framework and without JNA: the layouts of
 * {@code events/header_page} and {@code events/header_event} ({@link lkst.hooks.ftrace.PageLayout}), each event's
 * {@code format} file ({@link lkst.hooks.ftrace.FormatParser}, {@link lkst.hooks.ftrace.EventFormat}), and the decoder
 * of ring-buffer sub-buffers ({@link lkst.hooks.ftrace.PageDecoder}) into events for a {@link lkst.api.Dispatcher}.
 *
 * <p>Exported for tools that run on a plain class path (this bundle's jar and {@code lkst.core}'s, nothing else):
 * nothing here touches JNA, a file descriptor or a thread. The kernel bridge ({@code lkst.hooks.kernel}, private)
 * reads the pages; this package says what they mean. {@code FtraceWithoutJnaTest} loads it without JNA.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package lkst.hooks.ftrace;
