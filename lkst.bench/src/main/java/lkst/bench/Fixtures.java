package lkst.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;
import lkst.api.Field;
import lkst.buffers.api.BufferMode;
import lkst.buffers.component.Recording;
import lkst.buffers.record.BufferSet;
import lkst.core.Engine;
import lkst.handlers.std.RecordHandler;
import lkst.hooks.api.HookPoint;
import lkst.hooks.jvm.JvmHooks;

/**
 * The plain objects the benchmarks run on, without OSGi: an engine, the JVM hook points, and (for enabled hooks)
 * the record handler writing into a buffer set on a temporary trace directory.
 */
final class Fixtures {
    private Fixtures() {}

    static final String EVENT = "BENCH";
    /**
     * Per buffer, overwrite mode: it wraps and never refuses a record (no "buffer full" path). Its first lap faults
     * the pages in during warm-up. Large, so that a writer descheduled between claim and commit is almost never
     * overtaken by a whole lap of another writer (the one way overwrite mode loses a record; counted and checked).
     * 64 MiB; {@code -Dlkst.bench.buffer=BYTES} for another size.
     */
    static final long BUFFER_SIZE = Long.getLong("lkst.bench.buffer", 64L << 20);

    /**
     * Fails a benchmark whose records were lost more than once per million written: then it would have measured
     * a loss path. A lapped writer on a busy machine (a thread preempted mid-record) may lose the odd record.
     */
    static void checkLoss(String what, long written, long lost, long unroutable) {
        String summary = what + ": written " + written + ", lost " + lost + (unroutable > 0 ? ", bad cpu " + unroutable : "");
        System.out.println("\n[" + summary + "]");
        if (written == 0 || unroutable > 0 || lost > written / 1_000_000) {
            throw new IllegalStateException("benchmark did not measure plain recording: " + summary);
        }
    }

    /** Where trace directories go: {@code -Dlkst.bench.dir=…}, else the JVM's temporary directory. */
    static Path tempDir(String prefix) {
        try {
            Path base = Paths.get(System.getProperty("lkst.bench.dir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPUs a thread may report (sched_getcpu): the buffer set needs one buffer for each. */
    static int cpus() {
        int n = Runtime.getRuntime().availableProcessors();
        try {
            // "0-3" or "0,2-5": the highest possible CPU number + 1
            String possible = Files.readString(Paths.get("/sys/devices/system/cpu/possible")).trim();
            for (String part : possible.split(",")) {
                String last = part.substring(part.indexOf('-') + 1);
                n = Math.max(n, Integer.parseInt(last.trim()) + 1);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: availableProcessors it is
        }
        return n;
    }

    /** An engine with the hook point BENCH(a, b, c: u64) declared. */
    static final class Hooked {
        final Engine engine = new Engine();
        final JvmHooks hooks = new JvmHooks(engine, engine);
        final HookPoint hook = hooks.declare(EVENT, "bench", Field.u64("a"), Field.u64("b"), Field.u64("c"));

        /** Selects the built-in maskset "off": no event is traced. */
        Hooked disabled() {
            engine.select("off");
            if (hook.enabled()) throw new IllegalStateException("hook still enabled under maskset off");
            return this;
        }
    }

    /** {@link Hooked}, with BENCH bound to the record handler (ID 1) writing into overwrite-mode buffers. */
    static final class Recorded {
        final Hooked h = new Hooked();
        final Path dir = tempDir("lkst-bench-");
        final BufferSet set = new BufferSet(dir, cpus(), BUFFER_SIZE, BufferMode.OVERWRITE, h.engine.events());
        final Recording recording = new Recording(set);

        Recorded() {
            h.engine.bind(new RecordHandler(recording), 1, "record", "bench");
            h.engine.copy("off", "bench");
            h.engine.set("bench", EVENT, 1);
            h.engine.select("bench");
            if (!h.hook.enabled()) throw new IllegalStateException("hook not enabled under maskset bench");
        }

        /** Checks that the benchmark measured recording, not a loss path, and removes the trace. */
        void close() {
            long written = 0;
            long lost = 0;
            for (var b : set.list()) {
                written += b.written();
                lost += b.lost();
            }
            long unroutable = set.unroutable();
            recording.close();
            delete(dir);
            checkLoss("record", written, lost, unroutable);
        }
    }
}
