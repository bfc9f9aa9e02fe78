package lkst.hooks.kernel;

import java.io.IOException;
import lkst.hooks.ftrace.PageDecoder;

/**
 * One CPU's reader counters: what it read and what the kernel says was lost, for the status and the trace's losses.
 *
 * @param missed        events the kernel reported lost on the pages read
 * @param missedPages   pages flagged "events lost before" without a number
 * @param overrun       per_cpu stats: overwritten before read
 * @param commitOverrun per_cpu stats: lost by nested writers
 * @param dropped       per_cpu stats: refused, buffer full
 * @param unread        per_cpu stats: events in the buffer not read yet (-1: the stats could not be read)
 * @param cpuTimeNs     CPU time of the reader thread, -1 when unknown
 * @param calls         read() or GET_READER calls of the reader
 * @param waits         poll() calls of the reader (waits for data)
 * @param scheduling    the reader thread's scheduling: "fifo N" or "nice N"
 */
public record CpuCounters(int cpu, CpuReader.Mode mode, long read, long missed, long missedPages, long overrun,
                          long commitOverrun, long dropped, long unread, long cpuTimeNs, long calls, long waits,
                          String scheduling, String failure) {
    static CpuCounters of(CpuReader r) {
        CpuStats s;
        try {
            s = r.stats();
        } catch (IOException e) {
            s = new CpuStats(-1, 0, 0, 0, 0);
        }
        PageDecoder d = r.decoder();
        return new CpuCounters(r.cpu(), r.mode(), d.events(), d.missedEvents(), d.missedUnknown(), s.overrun(),
                s.commitOverrun(), s.dropped(), s.entries(), r.cpuTimeNs(), r.calls(), r.polls(), r.scheduling(), r.failure());
    }

    /**
     * Events lost on this CPU as the kernel counts them (the same losses show on the pages read as
     * {@code missed}; when the stats cannot be read, those are the count).
     */
    public long lost() { return unread < 0 ? missed : overrun + commitOverrun + dropped; }

    /** The reader's line of the kernel's status: mode, scheduling, read, lost and why, its CPU time. */
    String line() {
        StringBuilder s = new StringBuilder();
        s.append("cpu").append(cpu).append(": reader ").append(mode.name().toLowerCase())
                .append(" (").append(scheduling).append(')')
                .append(", read ").append(read).append(", lost ").append(lost())
                .append(" (kernel: overrun ").append(overrun).append(", dropped ").append(dropped)
                .append(", commit overrun ").append(commitOverrun).append("; reported on pages read: ").append(missed);
        if (missedPages > 0) s.append(" + ").append(missedPages).append(" pages with an unknown number");
        s.append(')');
        if (cpuTimeNs > 0) {
            s.append(", reader CPU ").append(cpuTimeNs / 1_000_000).append(" ms");
            // per event only once waiting and start-up no longer dominate
            if (read >= 100_000) s.append(" (").append(cpuTimeNs / read).append(" ns per event)");
        }
        if (failure != null) s.append(" FAILED: ").append(failure);
        return s.toString();
    }
}
