package lkst.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventType;
import lkst.api.HandlerContext;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.ring.RecordBuffer;
import lkst.buffers.ring.RecordDescriptor;
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

/**
 * Where the enabled event's time goes, one thread: the clock read alone; hook point + dispatch to a handler that
 * does nothing (includes the clock read); the record path alone (BufferSet.record of a ready-made event, no clock);
 * and the buffer's claim + commit of the same 56-byte record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Breakdown {
    /** An event made once: BENCH with three u64 fields, CPU 0, a fixed timestamp. */
    static final class Fixed implements Event {
        final EventType type;
        final ByteBuffer payload = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);

        Fixed(EventType type) { this.type = type; }

        @Override public EventType type() { return type; }
        @Override public int cpu() { return 0; }
        @Override public long timestamp() { return 42; }
        @Override public int pid() { return 1; }
        @Override public int tid() { return 2; }
        @Override public long number(int index) { return 0; }
        @Override public String text(int index) { return ""; }
        @Override public int payloadLength() { return payload.capacity(); }
        @Override public ByteBuffer payload() { return payload; }
        @Override public int payloadOffset() { return 0; }
    }

    @State(Scope.Benchmark)
    public static class Noop {
        HookPoint hook;

        @Setup(Level.Trial)
        public void setup() {
            Fixtures.Hooked h = new Fixtures.Hooked();
            h.engine.bind((EventHandler) (Event e, HandlerContext c) -> { }, 2, "noop", "bench");
            h.engine.copy("off", "noop");
            h.engine.set("noop", Fixtures.EVENT, 2);
            h.engine.select("noop");
            hook = h.hook;
        }
    }

    @State(Scope.Benchmark)
    public static class Set {
        Path dir;
        BufferSet set;
        Fixed event;
        RecordBuffer buffer;
        ByteBuffer src = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);

        @Setup(Level.Trial)
        public void setup() {
            Fixtures.Hooked h = new Fixtures.Hooked();
            dir = Fixtures.tempDir("lkst-bench-set-");
            set = new BufferSet(dir, 1, Fixtures.BUFFER_SIZE, BufferMode.OVERWRITE, h.engine.events());
            event = new Fixed(h.hook.type());
            buffer = set.current(0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            set.close();
            Fixtures.delete(dir);
        }
    }

    @State(Scope.Thread)
    public static class Values {
        long n;
    }

    @Benchmark
    public long nanoTime() { return System.nanoTime(); }

    @Benchmark
    public void fireToNoopHandler(Noop s, Values v) {
        long n = v.n++;
        HookPoint h = s.hook;
        if (h.enabled()) h.begin().put(n).put(n + 1).put(n + 2).fire();
    }

    @Benchmark
    public boolean recordOnly(Set s) { return s.set.record(s.event); }

    @Benchmark
    public boolean claimCommit56(Set s) {
        RecordBuffer b = s.buffer;
        int size = RecordDescriptor.align(RecordDescriptor.HEADER_LENGTH + 24);
        long p = b.claim(size);
        if (p < 0) {
            b.countLost();
            return false;
        }
        return b.commit(p, size, 1000, 42, 1, 2, s.src, 0, 24);
    }
}
