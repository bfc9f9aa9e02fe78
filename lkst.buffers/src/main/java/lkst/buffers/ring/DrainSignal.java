package lkst.buffers.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Lets the single consumer of a set of buffers (the logger) sleep until a writer commits, instead of looking for
 * records on a timer: an idle LKST/J then never wakes.
 *
 * <p>Protocol (Dekker's, on the written counters): the consumer announces itself ({@link #awaitData}: a volatile
 * store of its thread), sets the flag {@code RecordBuffer.DRAINER_WAITS} in every buffer's written counter
 * ({@link RecordBuffer#drainerWaits}), then looks once more for records by the written counters, and parks only if
 * there are none. A writer increments its buffer's written counter (an atomic add, which it makes anyway): either
 * the consumer's last look sees the new count, or the add returns the flag, and the writer clears it and unparks the
 * consumer ({@link #signal}). A record costs the writer no load for this, only a test of what its add returned
 * (issue 9 allows 1 ns on the record path: lkst.bench/README.md).
 *
 * <p>Between rounds that found records the consumer naps instead ({@link #nap}), and writers wake it when a record
 * reaches into another quarter of a buffer's lap ({@link #filling}).
 */
public final class DrainSignal {
    /** A signal nobody waits on: for buffers without a logger. */
    public static final DrainSignal NONE = new DrainSignal();
    private static final VarHandle WAITER;
    private static final VarHandle NAPPER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WAITER = lookup.findVarHandle(DrainSignal.class, "waiter", Thread.class);
            NAPPER = lookup.findVarHandle(DrainSignal.class, "napper", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The consumer while it is parked or about to park; null while it works. */
    private volatile Thread waiter;
    /** The consumer while it naps between rounds ({@link #nap}); null otherwise. */
    private volatile Thread napper;

    /** Writer side, after its written-counter add returned the consumer's flag: wakes the consumer if it sleeps. */
    public void signal() {
        Thread t = waiter;
        if (t != null && WAITER.compareAndSet(this, t, null)) LockSupport.unpark(t);
    }

    /**
     * Consumer side: parks until a writer signals, {@code timeoutNanos} pass (0: no limit), or an interrupt or
     * spurious wake-up; returns at once when {@code hasData} says a record came since the consumer last looked.
     * {@code hasData} must set the flag in every buffer ({@link RecordBuffer#drainerWaits}) before it reads their
     * written counters.
     */
    public void awaitData(long timeoutNanos, BooleanSupplier hasData) {
        waiter = Thread.currentThread();
        try {
            if (hasData.getAsBoolean()) return;
            if (timeoutNanos > 0) LockSupport.parkNanos(this, timeoutNanos);
            else LockSupport.park(this);
        } finally {
            waiter = null;
        }
    }

    /**
     * Writer side, when a record reaches into another quarter of a buffer's lap: wakes the consumer if it naps between
     * rounds, so that a burst never waits out the nap (one volatile load, once per quarter of a buffer).
     */
    public void filling() {
        Thread t = napper;
        if (t != null && NAPPER.compareAndSet(this, t, null)) LockSupport.unpark(t);
    }

    /**
     * Consumer side, between rounds that found records: parks up to {@code nanos}, or until a writer fills a buffer
     * past a quarter ({@link #filling}), a {@link #wake}, an interrupt or a spurious wake-up; returns at once when
     * {@code full} (read after the announcement) says a buffer is already a quarter full.
     */
    public void nap(long nanos, BooleanSupplier full) {
        napper = Thread.currentThread();
        try {
            if (full.getAsBoolean()) return;
            LockSupport.parkNanos(this, nanos);
        } finally {
            napper = null;
        }
    }

    /** Wakes the consumer whatever it waits for (stop). */
    public void wake(Thread consumer) {
        LockSupport.unpark(consumer);
    }
}
