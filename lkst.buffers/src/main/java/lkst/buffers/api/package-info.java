/**
 * The recording buffers as the shell and handlers use them: {@link lkst.buffers.api.Buffers} lists, creates,
 * chains and switches the per-CPU buffers, reads records back as {@link lkst.buffers.api.TraceRecord}s and runs the
 * logger. Records are written through {@link lkst.api.Recorder}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package lkst.buffers.api;
