/**
 * The kernel domain: LKST/J's private ftrace instance, the layouts the kernel publishes in tracefs, the per-CPU
 * ring-buffer readers (mmap or read, through JNA) and the {@link lkst.hooks.kernel.KernelBridge} service that the
 * shell calls to add tracepoints, uprobes and kernel filters.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package lkst.hooks.kernel;
