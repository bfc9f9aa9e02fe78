package lkst.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.handlers.std.TimerFreeHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-event cost of handler 6 {@code timer-free} (the kernel's timers in freed objects): a stream like a busy
 * kernel's — allocations, timer starts, cancels and expiries, frees; 256 objects alive at a time, every fourth with
 * a timer started inside it — one event every 10 µs of trace time (100,000 events/s, a busy kernel's kmem rate), so
 * the 100 ms reorder window holds about 10,000 events; drained every 16 events (the handler's clock: every 20 ms). Baseline: reading the same two fields of the event ({@code fieldsOnly}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerFreeBench {
    /** A reused event whose type, values and time change per operation, as the readers' flyweight does. */
    static final class Flyweight implements Event {
        EventType type;
        long time;
        final long[] values = new long[4];
        @Override public EventType type() { return type; }
        @Override public int cpu() { return 0; }
        @Override public long timestamp() { return time; }
        @Override public int pid() { return 1; }
        @Override public int tid() { return 1; }
        @Override public long number(int index) { return values[index]; }
        @Override public String text(int index) { return Long.toString(values[index]); }
        @Override public int payloadLength() { return 0; }
        @Override public ByteBuffer payload() { return null; }
        @Override public int payloadOffset() { return 0; }
    }

    static EventType type(int id, String name, String... fields) {
        return new EventType(2000 + id, name, "memory", EventSource.KERNEL, false, List.of(), List.of(name),
                java.util.Arrays.stream(fields).map(Field::u64).toList(), null);
    }

    static final EventType ALLOC = type(1, "kmem:kmem_cache_alloc", "call_site", "ptr", "bytes_req", "bytes_alloc");
    static final EventType FREE = type(2, "kmem:kmem_cache_free", "call_site", "ptr");
    static final EventType START = type(3, "timer:timer_start", "timer", "function", "expires");
    static final EventType CANCEL = type(4, "timer:timer_cancel", "timer");
    static final EventType EXPIRE = type(5, "timer:timer_expire_entry", "timer", "now", "function");

    private EventType[] types;
    private long[] address;
    private long[] size;
    private int next;
    private long clock;
    private final Flyweight event = new Flyweight();
    private TimerFreeHandler handler;

    @Setup
    public void setup() {
        handler = new TimerFreeHandler();
        Random r = new Random(6);
        List<Object[]> stream = new ArrayList<>();
        int live = 256;
        long base = 0xffff_8880_0000_0000L;
        // a ring of object lifetimes, each object's events spread over the next objects' so 256 are alive at once
        List<List<Object[]>> lanes = new ArrayList<>();
        for (int i = 0; i < live; i++) lanes.add(new ArrayList<>());
        for (int i = 0; i < 16_384; i++) {
            long obj = base + (long) i * 0x200;
            List<Object[]> lane = lanes.get(i % live);
            lane.add(new Object[] {ALLOC, obj, 512L});
            if (i % 4 == 0) {
                long timer = obj + 64;
                lane.add(new Object[] {START, timer, 0L});
                lane.add(new Object[] {r.nextBoolean() ? CANCEL : EXPIRE, timer, 0L});
            }
            lane.add(new Object[] {FREE, obj, 0L});
        }
        for (int step = 0; ; step++) {
            boolean any = false;
            for (List<Object[]> lane : lanes) {
                if (step < lane.size()) { stream.add(lane.get(step)); any = true; }
            }
            if (!any) break;
        }
        types = new EventType[stream.size()];
        address = new long[stream.size()];
        size = new long[stream.size()];
        for (int i = 0; i < stream.size(); i++) {
            types[i] = (EventType) stream.get(i)[0];
            address[i] = (Long) stream.get(i)[1];
            size[i] = (Long) stream.get(i)[2];
        }
    }

    private Flyweight nextEvent() {
        int i = next;
        next = i + 1 == types.length ? 0 : i + 1;
        Flyweight e = event;
        e.type = types[i];
        e.time = clock += 10_000;
        e.values[0] = address[i];
        e.values[1] = address[i];
        e.values[2] = size[i];
        e.values[3] = size[i];
        return e;
    }

    /** Handling one event, and a sixteenth of a drain. */
    @Benchmark
    public void timerFree() {
        Flyweight e = nextEvent();
        handler.handle(e, null);
        if ((next & 15) == 0) handler.drain(clock); // every 16 events
    }

    /** The floor: making the event and reading the fields the handler reads. */
    @Benchmark
    public void fieldsOnly(Blackhole bh) {
        Flyweight e = nextEvent();
        bh.consume(e.number(0) + e.number(3));
    }
}
