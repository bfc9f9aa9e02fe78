package lkst.api;

/**
 * The framework properties through which a launcher sets up LKST/J's bundles, and the folders of an LKST/J home:
 * one place for the names that both sides use ({@code BundleContext.getProperty} in the bundles, the framework's
 * configuration in the launcher).
 */
public final class RuntimeProperties {
    private RuntimeProperties() {}

    /** The home: {@code deploy/} (FileInstall), {@code var/} (configuration, trace, lock). */
    public static final String HOME = "lkst.home";
    /** The trace directory of the buffers; default {@code HOME/var/trace}. */
    public static final String TRACE_DIR = "lkst.trace.dir";
    /** {@value #TRACING_STOPPED}: the engine starts with tracing stopped (./lkst record sets up, then starts). */
    public static final String TRACING = "lkst.tracing";
    public static final String TRACING_STOPPED = "stopped";
    /** Each CPU's first buffer: its size (4096, 64k, 4M, 1G) and mode (overwrite or discard). */
    public static final String BUFFERS_SIZE = "lkst.buffers.size";
    public static final String BUFFERS_MODE = "lkst.buffers.mode";
    /** How many CPUs get buffers (default: every CPU the JVM sees). */
    public static final String BUFFERS_CPUS = "lkst.buffers.cpus";
    /** SCHED_FIFO priority of the logger thread (0: the normal scheduler). */
    public static final String LOGGER_RTPRIO = "lkst.logger.rtprio";
    /** Longest nap of the logger between drains while records come in, in ms. */
    public static final String LOGGER_NAP_MS = "lkst.logger.nap.ms";
    /** A system property: {@code warn} leaves INFO lines out of the log ({@code ./lkst -c}). */
    public static final String LOG_LEVEL = "lkst.log.level";

    /** Folders of a home. */
    public static final String DEPLOY = "deploy";
    public static final String VAR = "var";
    /** Under {@link #VAR}: Configuration Admin's store and the owner's flight recorder. */
    public static final String CONFIG = "config";
    public static final String TRACE = "trace";
}
