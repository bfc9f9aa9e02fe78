/**
 * JVM hook points: how an application declares its own event types and fires them through LKST/J's masksets,
 * handlers and buffers. Get the {@link lkst.hooks.api.Hooks} service, declare once, fire often:
 * <pre>
 * HookPoint request = hooks.declare("APP_REQUEST", "app", Field.u64("id"), Field.string("path"));
 * ...
 * if (request.enabled()) request.begin().put(id).put(path).fire();
 * </pre>
 * A disabled hook point costs one field read.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package lkst.hooks.api;
