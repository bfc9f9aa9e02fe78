package lkst.handlers.std.timers;

/**
 * An object freed while a timer inside it was armed (LKST's worked example), or such a timer firing afterwards.
 * Times are CLOCK_MONOTONIC nanoseconds, as in the trace.
 *
 * @param object     the object's address
 * @param size       its size in bytes
 * @param createdAt  when it was created, and {@code createdBy} which pid created it
 * @param timer      the armed timer's address, inside {@code [object, object + size)}
 * @param armedAt    when the timer was last armed, by pid {@code armedBy}
 * @param freedAt    when the object was freed, by pid {@code freedBy}
 * @param firedAt    when the timer fired on the freed object (by pid {@code firedBy}), or 0 for the free itself
 */
public record Finding(long object, long size, long createdAt, int createdBy, long timer, long armedAt, int armedBy,
                      long freedAt, int freedBy, long firedAt, int firedBy) {

    /** True for a timer that fired on an object already freed (the crash LKST's example ends in). */
    public boolean fired() { return firedAt != 0; }

    /** The one log line: object, who armed its timer and when, who freed it and when. */
    @Override
    public String toString() {
        String head = String.format("object 0x%x (%d bytes, created %s by pid %d) freed at %s by pid %d while its timer "
                        + "0x%x was armed (at %s by pid %d)", object, size, seconds(createdAt), createdBy,
                seconds(freedAt), freedBy, timer, seconds(armedAt), armedBy);
        return fired() ? "timer 0x" + Long.toHexString(timer) + " fired at " + seconds(firedAt) + " by pid " + firedBy
                + " on a freed object: " + head : head;
    }

    /** CLOCK_MONOTONIC seconds with nanoseconds, as {@code lkst print} shows times. */
    static String seconds(long nanos) {
        return String.format("%d.%09d", nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
}
