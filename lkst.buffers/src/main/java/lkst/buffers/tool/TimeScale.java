package lkst.buffers.tool;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * How print shows a record's time ({@code --time}): {@code rel} seconds from the trace's first event, {@code mono}
 * the recorded CLOCK_MONOTONIC (the default), {@code wall} CLOCK_MONOTONIC plus the CLOCK_REALTIME − CLOCK_MONOTONIC
 * that {@code trace.meta} recorded when the trace was made (as the CTF export's clock offset), in UTC. In JSON the
 * time is nanoseconds on the same scale (since the first event, since boot, since 1970).
 */
enum TimeScale {
    REL, MONO, WALL;

    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z').toFormatter().withZone(ZoneOffset.UTC);

    static TimeScale parse(String s) {
        switch (s) {
            case "rel": return REL;
            case "mono": return MONO;
            case "wall": return WALL;
            default: throw new CommandLine.Usage("--time '" + Main.printable(s) + "': rel, mono or wall");
        }
    }

    /** {@code mono} on this scale, in nanoseconds. */
    long nanos(long mono, long first, long realtimeOffset) {
        switch (this) {
            case REL: return mono - first;
            case WALL: return mono + realtimeOffset;
            default: return mono;
        }
    }

    /** {@code nanos} (on this scale) as print shows it: seconds.nanoseconds, or a UTC date and time for wall. */
    String text(long nanos) {
        if (this == WALL) return ISO.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
        return seconds(nanos);
    }

    /** Nanoseconds as "s.nnnnnnnnn". */
    static String seconds(long nanos) {
        return lkst.buffers.api.TraceRecord.seconds(nanos);
    }
}
