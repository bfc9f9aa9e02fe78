package lkst.hooks.ftrace;

import java.util.Arrays;
import lkst.api.EventType;

/**
 * The kernel's event type IDs (a record's common_type) mapped to LKST/J's catalog entries, read lock-free by the
 * readers and replaced whole when a tracepoint is declared.
 */
public final class KernelTypes {
    /** One tracepoint as the decoder needs it. */
    public record Entry(EventType type, EventFormat format) {}

    private volatile Entry[] byKernelId = new Entry[0];

    /** The entry for a kernel event type ID, or null when that tracepoint was never declared. Lock-free. */
    public Entry get(int kernelId) {
        Entry[] a = byKernelId;
        return kernelId >= 0 && kernelId < a.length ? a[kernelId] : null;
    }

    public synchronized void put(EventType type, EventFormat format) {
        Entry[] a = byKernelId;
        a = Arrays.copyOf(a, Math.max(a.length, format.id() + 1));
        a[format.id()] = new Entry(type, format);
        byKernelId = a;
    }

    public synchronized void remove(int kernelId) {
        Entry[] a = byKernelId.clone();
        if (kernelId < a.length) a[kernelId] = null;
        byKernelId = a;
    }
}
