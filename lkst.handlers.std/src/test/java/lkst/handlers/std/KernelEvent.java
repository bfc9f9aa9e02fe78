package lkst.handlers.std;

import java.nio.ByteBuffer;
import java.util.List;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;

/** A synthetic kernel event: a tracepoint's type with its fields' values, on a CPU at a time. */
record KernelEvent(EventType type, int cpu, long timestamp, int pid, long[] values) implements Event {
    static final EventType KMALLOC = type(1, "kmem:kmalloc", "call_site", "ptr", "bytes_req", "bytes_alloc");
    static final EventType CACHE_ALLOC = type(2, "kmem:kmem_cache_alloc", "call_site", "ptr", "bytes_req", "bytes_alloc");
    static final EventType KFREE = type(3, "kmem:kfree", "call_site", "ptr");
    static final EventType CACHE_FREE = type(4, "kmem:kmem_cache_free", "call_site", "ptr");
    static final EventType TIMER_START = type(5, "timer:timer_start", "timer", "function", "expires");
    static final EventType TIMER_CANCEL = type(6, "timer:timer_cancel", "timer");
    static final EventType TIMER_EXPIRE = type(7, "timer:timer_expire_entry", "timer", "now", "function");

    private static EventType type(int id, String name, String... fields) {
        return new EventType(1000 + id, name, "memory", EventSource.KERNEL, false, List.of(), List.of(name),
                java.util.Arrays.stream(fields).map(Field::u64).toList(), null);
    }

    static KernelEvent alloc(int cpu, long t, long ptr, long bytes) { return new KernelEvent(CACHE_ALLOC, cpu, t, 1, new long[] {0, ptr, bytes, bytes}); }
    static KernelEvent kmalloc(int cpu, long t, long ptr, long bytes) { return new KernelEvent(KMALLOC, cpu, t, 1, new long[] {0, ptr, bytes, bytes}); }
    static KernelEvent free(int cpu, long t, long ptr) { return new KernelEvent(CACHE_FREE, cpu, t, 1, new long[] {0, ptr}); }
    static KernelEvent kfree(int cpu, long t, long ptr) { return new KernelEvent(KFREE, cpu, t, 1, new long[] {0, ptr}); }
    static KernelEvent start(int cpu, long t, long timer) { return new KernelEvent(TIMER_START, cpu, t, 2, new long[] {timer, 0, 0}); }
    static KernelEvent cancel(int cpu, long t, long timer) { return new KernelEvent(TIMER_CANCEL, cpu, t, 2, new long[] {timer}); }
    static KernelEvent expire(int cpu, long t, long timer) { return new KernelEvent(TIMER_EXPIRE, cpu, t, 0, new long[] {timer, 0, 0}); }

    @Override public int tid() { return pid; }
    @Override public long number(int index) { return values[index]; }
    @Override public String text(int index) { return Long.toString(values[index]); }
    @Override public int payloadLength() { return 0; }
    @Override public ByteBuffer payload() { return ByteBuffer.allocate(0); }
    @Override public int payloadOffset() { return 0; }
}
