package lkst.buffers.component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import lkst.api.KernelFiles;
import lkst.api.LossSource;
import lkst.api.Recorder;
import lkst.api.RuntimeProperties;
import lkst.api.StatusSource;
import lkst.api.Tracer;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.Buffers;
import lkst.buffers.component.Recording;
import lkst.buffers.record.BufferSet;
import lkst.buffers.record.Cpus;
import lkst.buffers.record.Sizes;
import lkst.buffers.trace.TraceDirectory;
import lkst.buffers.trace.TraceMetadata;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The recording buffers in the framework. Framework properties:
 * <ul>
 * <li>{@code lkst.trace.dir} — the trace directory; else {@code ${lkst.home}/var/trace}; else a new temporary
 * directory. A trace left there by the previous run is moved to {@code <dir>.old} (so that it can still be
 * recovered after a crash), replacing an older one. The launcher gives this property to a runtime that does not hold
 * its home's lock ({@code var/lkst.lock}), so that only the owner of a home ever moves or writes its trace.</li>
 * <li>{@code lkst.buffers.size} — size of each CPU's default buffer (default 4M); {@code lkst.buffers.mode} —
 * overwrite (default) or discard; {@code lkst.buffers.cpus} — CPU count (default: the kernel's possible CPUs).</li>
 * <li>{@code lkst.logger.rtprio} — SCHED_FIFO priority of the logger thread (default {@value #LOGGER_RTPRIO}, one
 * below the kernel readers'; 0: the normal scheduler).</li>
 * <li>{@code lkst.logger.nap.ms} — the logger's longest nap between rounds that found records (default 250; a
 * writer filling a buffer past another quarter wakes it sooner).</li>
 * </ul>
 */
@Component(service = {Recorder.class, Buffers.class, StatusSource.class}, immediate = true)
public class BuffersComponent extends Recording {
    public static final String TRACE_DIR = RuntimeProperties.TRACE_DIR;
    public static final String HOME = RuntimeProperties.HOME;
    public static final int LOGGER_RTPRIO = 1;

    @Activate
    public BuffersComponent(BundleContext context) {
        super(new BufferSet(traceDirectory(context), cpus(context),
                Sizes.parse(property(context, RuntimeProperties.BUFFERS_SIZE, "4M")),
                BufferMode.parse(property(context, RuntimeProperties.BUFFERS_MODE, "overwrite")), List.of()));
        logger().lossSources(() -> List.copyOf(lossSources));
        logger().kernelFiles(() -> List.copyOf(kernelFiles));
        String rt = property(context, RuntimeProperties.LOGGER_RTPRIO, String.valueOf(LOGGER_RTPRIO));
        try {
            logger().realtime(Integer.parseInt(rt));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad lkst.logger.rtprio '" + rt + "'");
        }
        String nap = property(context, RuntimeProperties.LOGGER_NAP_MS, "");
        if (!nap.isEmpty()) {
            try {
                logger().napNanos(Long.parseLong(nap) * 1_000_000L);
            } catch (IllegalArgumentException e) { // NumberFormatException too
                throw new IllegalArgumentException("bad lkst.logger.nap.ms '" + nap + "': milliseconds > 0");
            }
        }
    }

    private final List<LossSource> lossSources = new CopyOnWriteArrayList<>();

    /** Event sources that count what they lose (the kernel bridge): the logger writes it into each log's trace.lost. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addLossSource(LossSource source) {
        lossSources.add(source);
    }

    void removeLossSource(LossSource source) {
        lossSources.remove(source);
    }

    private final List<KernelFiles> kernelFiles = new CopyOnWriteArrayList<>();

    /** Event sources that hand over the kernel's files (the kernel bridge): the logger writes them into kernel/. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addKernelFiles(KernelFiles source) {
        kernelFiles.add(source);
    }

    void removeKernelFiles(KernelFiles source) {
        kernelFiles.remove(source);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTracer(Tracer tracer) {
        bufferSet().describe(tracer.events());
    }

    void unbindTracer(Tracer tracer) {
        // the catalog stays in the metadata: the records already written need it
    }

    @Deactivate
    void deactivate() {
        close();
    }

    private static String property(BundleContext context, String key, String fallback) {
        String v = context.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int cpus(BundleContext context) {
        String v = context.getProperty(RuntimeProperties.BUFFERS_CPUS);
        if (v == null || v.isBlank()) return Cpus.possible();
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad lkst.buffers.cpus '" + v + "'");
        }
    }

    static Path traceDirectory(BundleContext context) {
        try {
            String dir = context.getProperty(TRACE_DIR);
            String home = context.getProperty(HOME);
            Path d;
            if (dir != null && !dir.isBlank()) d = Paths.get(dir.trim());
            else if (home != null && !home.isBlank()) d = Paths.get(home.trim(), RuntimeProperties.VAR, RuntimeProperties.TRACE);
            else return Files.createTempDirectory("lkst-trace");
            keepPrevious(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the trace directory: " + e.getMessage(), e);
        }
    }

    /** Moves a trace left by an earlier run to {@code <dir>.old} (replacing an older one). */
    static void keepPrevious(Path d) throws IOException {
        if (!Files.exists(d.resolve(TraceMetadata.FILE))) return;
        Path previous = TraceDirectory.sibling(d, TraceDirectory.OLD);
        if (Files.exists(previous)) {
            try (Stream<Path> s = Files.walk(previous)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.move(d, previous);
    }
}
