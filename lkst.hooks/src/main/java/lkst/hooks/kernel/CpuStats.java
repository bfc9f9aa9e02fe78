package lkst.hooks.kernel;

import java.util.List;

/**
 * One CPU's {@code per_cpu/cpuN/stats}: what the kernel wrote and what it lost.
 *
 * @param entries        events in the buffer now
 * @param overrun        events overwritten before they were read (overwrite mode)
 * @param commitOverrun  events lost because the buffer filled while nested writers were committing
 * @param dropped        events refused because the buffer was full (discard mode)
 * @param read           events consumed by readers
 */
public record CpuStats(long entries, long overrun, long commitOverrun, long dropped, long read) {
    /** Every way the kernel says an event was lost on this CPU. */
    public long lost() { return overrun + commitOverrun + dropped; }

    static CpuStats parse(List<String> lines) {
        long entries = 0, overrun = 0, commit = 0, dropped = 0, read = 0;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (!value.matches("\\d+")) continue;
            long v = Long.parseLong(value);
            switch (key) {
                case "entries" -> entries = v;
                case "overrun" -> overrun = v;
                case "commit overrun" -> commit = v;
                case "dropped events" -> dropped = v;
                case "read events" -> read = v;
                default -> { }
            }
        }
        return new CpuStats(entries, overrun, commit, dropped, read);
    }
}
