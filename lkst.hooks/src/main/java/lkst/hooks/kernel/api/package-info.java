/**
 * Control of the kernel domain for other bundles (the shell, a launcher, an embedding application): tracepoints
 * and uprobes added at run time, kernel filters, which pids are traced, and why kernel events are unavailable. The
 * kernel bridge serves {@link lkst.hooks.kernel.api.KernelControl}; its implementation stays private.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package lkst.hooks.kernel.api;
