package lkst.bench;

import java.util.concurrent.TimeUnit;
import lkst.hooks.api.HookPoint;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A disabled hook point against an empty method of the same shape (void, no Blackhole): the target is
 * "within error of the empty method".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HookBench {
    private HookPoint hook;
    private long a = 1;
    private long b = 2;
    private long c = 3;

    @Setup
    public void setup() {
        hook = new Fixtures.Hooked().disabled().hook;
    }

    /** The empty baseline. */
    @Benchmark
    public void empty() {
    }

    /** The hook point as application code writes it, under maskset "off". */
    @Benchmark
    public void disabledHook() {
        if (hook.enabled()) hook.begin().put(a).put(b).put(c).fire();
    }
}
