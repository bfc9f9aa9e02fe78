package lkst.handlers.std.timers;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Which objects are alive and which timers inside them are armed; reports an object freed while a timer inside it
 * is armed, and such a timer firing afterwards. Fed with events in timestamp order (see {@link ReorderWindow}):
 * {@link #CREATE} (address, size), {@link #DESTROY}, {@link #ARM}, {@link #DISARM} and {@link #FIRE} (the timer's
 * address). A timer belongs to the live object whose {@code [address, address + size)} holds it; only objects
 * whose creation was seen can be checked.
 *
 * <p>Memory is bounded: at most {@code capacity} objects are tracked (about {@value #BYTES_PER_OBJECT} bytes each,
 * with their armed timers); when full, the object tracked longest is forgotten (an <em>eviction</em>, counted),
 * as are its timers. At most {@code capacity} freed objects whose timers were armed are kept to recognise the
 * timer's fire. Not thread-safe: the window's sink calls it one event at a time.
 */
public final class TimerLedger implements ReorderWindow.Sink {
    public static final int CREATE = 0;
    public static final int DESTROY = 1;
    public static final int ARM = 2;
    public static final int DISARM = 3;
    public static final int FIRE = 4;
    /**
     * Estimated heap per tracked object (64-bit JVM, compressed references): its {@code Tracked} (56), the sorted
     * map's entry and boxed key (56), its slot in the age queue (up to 32), and for an armed timer a hash-map node
     * and boxed key (48).
     */
    public static final int BYTES_PER_OBJECT = 192;

    /** One object being tracked. */
    private static final class Tracked {
        final long address;
        final long size;
        final long createdAt;
        final int createdBy;
        long timer;          // last timer armed inside it, 0 when none
        long armedAt;
        int armedBy;
        int armed;           // timers inside it armed now
        boolean alive = true;
        long freedAt;
        int freedBy;

        Tracked(long address, long size, long createdAt, int createdBy) {
            this.address = address;
            this.size = size;
            this.createdAt = createdAt;
            this.createdBy = createdBy;
        }
    }

    private final int capacity;
    private final Consumer<Finding> findings;
    private final TreeMap<Long, Tracked> objects = new TreeMap<>();
    private final ArrayDeque<Tracked> age = new ArrayDeque<>();      // creation order, with dead entries dropped lazily
    private final Map<Long, Tracked> timers = new HashMap<>();        // armed timer → its object (alive or freed)
    private final ArrayDeque<Tracked> freedArmed = new ArrayDeque<>(); // freed with timers armed, oldest first
    private long created, destroyed, untrackedFrees, evictions, armings, untrackedArmings, found;

    public TimerLedger(int capacity, Consumer<Finding> findings) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.capacity = capacity;
        this.findings = findings;
    }

    @Override
    public void accept(int kind, long timestamp, long address, long size, int pid) {
        switch (kind) {
            case CREATE: create(address, size, timestamp, pid); break;
            case DESTROY: destroy(address, timestamp, pid); break;
            case ARM: arm(address, timestamp, pid); break;
            case DISARM: disarm(address, 0, 0); break;
            case FIRE: disarm(address, timestamp, pid); break;
            default: throw new IllegalArgumentException("unknown event kind " + kind);
        }
    }

    private void create(long address, long size, long at, int pid) {
        Tracked stale = objects.remove(address); // its free was not seen: forget it
        if (stale != null) forget(stale);
        if (objects.size() >= capacity) evictOldest();
        Tracked t = new Tracked(address, Math.max(1, size), at, pid);
        objects.put(address, t);
        age.addLast(t);
        // freed objects leave the age queue in batches: kept long, they would outlive the young generation and
        // make every collection copy them (measured: 1.2 s of GC in 10 s of TimerFreeBench)
        if (age.size() > 2 * objects.size() + 1024) age.removeIf(x -> !x.alive);
        created++;
    }

    private void evictOldest() {
        for (Tracked t; (t = age.pollFirst()) != null; ) {
            if (t.alive && objects.get(t.address) == t) {
                objects.remove(t.address);
                forget(t);
                evictions++;
                return;
            }
        }
    }

    /** Drops an object and its armed timers without a finding. */
    private void forget(Tracked t) {
        t.alive = false;
        if (t.armed > 0) timers.values().removeIf(o -> o == t);
    }

    private void destroy(long address, long at, int pid) {
        Tracked t = objects.remove(address);
        if (t == null) {
            untrackedFrees++;
            return;
        }
        t.alive = false;
        destroyed++;
        if (t.armed == 0) return;
        t.freedAt = at;
        t.freedBy = pid;
        found++;
        findings.accept(new Finding(t.address, t.size, t.createdAt, t.createdBy, t.timer, t.armedAt, t.armedBy, at, pid, 0, 0));
        freedArmed.addLast(t); // its timers stay in the map: their fire is the crash
        if (freedArmed.size() > capacity) {
            Tracked old = freedArmed.pollFirst();
            timers.values().removeIf(o -> o == old);
        }
    }

    private void arm(long timer, long at, int pid) {
        Tracked t = timers.get(timer);
        if (t == null) {
            Map.Entry<Long, Tracked> e = objects.floorEntry(timer);
            if (e == null || timer >= e.getValue().address + e.getValue().size) {
                untrackedArmings++;
                return;
            }
            t = e.getValue();
            timers.put(timer, t);
            t.armed++;
        }
        if (!t.alive) return; // armed again after the free: already reported
        t.timer = timer;
        t.armedAt = at;
        t.armedBy = pid;
        armings++;
    }

    /** A timer deleted ({@code at} 0) or fired: no longer armed. Firing on a freed object is reported. */
    private void disarm(long timer, long at, int pid) {
        Tracked t = timers.remove(timer);
        if (t == null) return;
        t.armed--;
        if (at != 0 && !t.alive && t.freedAt != 0) {
            found++;
            findings.accept(new Finding(t.address, t.size, t.createdAt, t.createdBy, timer, t.armedAt, t.armedBy,
                    t.freedAt, t.freedBy, at, pid));
        }
    }

    /** Objects tracked now. */
    public int objects() { return objects.size(); }

    /** Timers armed now inside tracked objects (and freed ones still remembered). */
    public int armedTimers() { return timers.size(); }

    public long created() { return created; }
    public long destroyed() { return destroyed; }
    /** Frees of objects whose creation was not seen (or was evicted). */
    public long untrackedFrees() { return untrackedFrees; }
    /** Objects forgotten because {@code capacity} were tracked. */
    public long evictions() { return evictions; }
    public long armings() { return armings; }
    /** Timers armed outside every tracked object. */
    public long untrackedArmings() { return untrackedArmings; }
    /** Findings reported. */
    public long found() { return found; }
    public int capacity() { return capacity; }
}
