/**
 * The launcher, {@code lkst.jar}: starts a Felix framework with LKST/J's bundles ({@link lkst.runtime.LkstRuntime}),
 * opens the Gogo shell or runs {@code -c} commands through it ({@link lkst.runtime.Batch}), records a command
 * ({@link lkst.runtime.Record}) and runs the trace-directory tool without the framework.
 *
 * <p><b>How the launcher talks to the bundles.</b> The API packages ({@code lkst.api}, {@code lkst.hooks.kernel.api},
 * {@code lkst.buffers.api}, …) are system packages: lkst.jar has the API bundles' jars on its class path and the
 * framework exports their API packages from the system bundle ({@link lkst.runtime.ApiPackages}, versions read from
 * the bundles' own manifests), so the bundles and the launcher share one copy of each API type and {@code record}
 * calls {@code Tracer}, {@code KernelControl} and {@code Buffers} directly: typed arguments, typed results, the
 * services' own exceptions, nothing parsed. Chosen over a component inside the framework that would do the work with
 * only JDK types crossing, because that component would need a JDK-typed protocol of its own (command names and maps
 * of strings, the scripting and text parsing this replaces, only moved) while the API types already say everything;
 * the price is that an API package cannot be updated without restarting the JVM, which a runtime started per run by
 * this launcher never does (handler bundles, which only import the API, still come and go). {@code EmbeddingTest}
 * shares the API with a framework the same way. Gogo stays what people type into; the launcher no longer scripts it.
 *
 * <p>The framework properties the launcher sets are {@link lkst.api.RuntimeProperties}, with the folders of a home.
 */
package lkst.runtime;
