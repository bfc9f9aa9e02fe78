package lkst.hooks.jvm;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The CPU and kernel thread ID of the calling thread, from glibc through JNA. A JNA call costs more than the rest of
 * an event (lkst.bench/README.md), so callers cache the CPU per thread and ask again only every {@link #REFRESH}
 * events; without JNA, CPUs are spread by thread ID.
 */
final class CallingThread {
    /** Events between two sched_getcpu calls of one thread: the call's cost shared by many events. */
    static final int REFRESH = 256;
    static final int COUNT = Runtime.getRuntime().availableProcessors();
    static final boolean NATIVE;

    static {
        boolean ok;
        try {
            Native.register(CallingThread.class, NativeLibrary.getInstance("c"));
            sched_getcpu();
            ok = true;
        } catch (Throwable t) {
            ok = false;
        }
        NATIVE = ok;
    }

    private CallingThread() {}

    private static native int sched_getcpu();

    private static native int gettid();

    /** The CPU this thread runs on now (or was on a moment ago). */
    static int cpu(long javaThreadId) {
        if (NATIVE) {
            int c = sched_getcpu();
            if (c >= 0) return c;
        }
        return (int) (javaThreadId % COUNT);
    }

    /** The kernel's ID of the calling thread, or -1 without JNA. */
    static int tid() {
        return NATIVE ? gettid() : -1;
    }
}
