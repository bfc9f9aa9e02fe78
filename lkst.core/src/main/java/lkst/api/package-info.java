/**
 * The LKST/J API: the event catalog's types, the {@link lkst.api.EventHandler} SPI that handler bundles
 * implement, the {@link lkst.api.Tracer} control plane, the {@link lkst.api.Dispatcher} that event sources
 * feed and the {@link lkst.api.Recorder} that recording buffers provide.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package lkst.api;
