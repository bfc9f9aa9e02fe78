package lkst.buffers.report;

import java.nio.file.Files;
import lkst.buffers.trace.TraceLosses;
import lkst.buffers.trace.TraceReader;

/** What the trace lacks ({@code trace.lost}): per CPU, events the kernel dropped and records LKST/J's buffers refused. */
final class Losses {
    enum Known { YES, ABSENT, DAMAGED }

    final Known known;
    final TraceLosses losses;
    final long total;

    private Losses(Known known, TraceLosses losses) {
        this.known = known;
        this.losses = losses;
        long t = 0;
        if (losses != null) for (int cpu : losses.perCpu().keySet()) t += losses.total(cpu);
        this.total = t;
    }

    static Losses of(TraceReader reader) {
        TraceLosses l = reader.losses();
        if (l != null) return new Losses(Known.YES, l);
        return new Losses(Files.exists(reader.dir().resolve(TraceLosses.FILE)) ? Known.DAMAGED : Known.ABSENT, null);
    }
}
