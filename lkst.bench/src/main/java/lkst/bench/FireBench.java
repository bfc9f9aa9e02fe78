package lkst.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import lkst.hooks.api.HookPoint;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * One enabled event, end to end: hook point → engine dispatch → record handler → buffer (claim, fill, commit into
 * a memory-mapped file), against a JDK Flight Recorder event with the same three long fields committed to a
 * running recording. 1 and 2 threads; with 2, each thread records into its own CPU's buffer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FireBench {
    /** A fresh engine and trace directory per trial; overwrite mode, so no record is ever refused. */
    @State(Scope.Benchmark)
    public static class Lkst {
        Fixtures.Recorded r;
        HookPoint hook;

        @Setup(Level.Trial)
        public void setup() {
            r = new Fixtures.Recorded();
            hook = r.h.hook;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            r.close();
        }
    }

    /** A running JFR recording with only the benchmark event enabled, without stack traces. */
    @State(Scope.Benchmark)
    public static class Jfr {
        Recording recording;
        Path dir;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            dir = Fixtures.tempDir("lkst-bench-jfr-");
            recording = new Recording();
            recording.enable(JfrBenchEvent.class).withoutStackTrace();
            recording.setToDisk(true);
            recording.setDestination(dir.resolve("bench.jfr"));
            recording.setMaxSize(256L << 20);
            recording.setMaxAge(Duration.ofMinutes(1));
            recording.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            recording.stop();
            recording.close();
            Fixtures.delete(dir);
        }
    }

    /** Per-thread values, so that every event carries different data. */
    @State(Scope.Thread)
    public static class Values {
        long n;
    }

    static void lkst(Lkst s, Values v) {
        long n = v.n++;
        HookPoint h = s.hook;
        if (h.enabled()) h.begin().put(n).put(n + 1).put(n + 2).fire();
    }

    static void jfr(Values v) {
        long n = v.n++;
        JfrBenchEvent e = new JfrBenchEvent();
        e.a = n;
        e.b = n + 1;
        e.c = n + 2;
        e.commit();
    }

    @Benchmark
    @Threads(1)
    public void lkst_1t(Lkst s, Values v) { lkst(s, v); }

    @Benchmark
    @Threads(2)
    public void lkst_2t(Lkst s, Values v) { lkst(s, v); }

    @Benchmark
    @Threads(1)
    public void jfr_1t(Jfr s, Values v) { jfr(v); }

    @Benchmark
    @Threads(2)
    public void jfr_2t(Jfr s, Values v) { jfr(v); }
}
