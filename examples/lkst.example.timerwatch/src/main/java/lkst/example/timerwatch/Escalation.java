package lkst.example.timerwatch;

import java.util.List;
import lkst.api.Tracer;
import lkst.buffers.api.BufferInfo;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.Buffers;

/**
 * What timerwatch does on a finding, as LKST's slides do on a fault: switch to a detailed maskset, and switch every
 * CPU's buffer so that the history before the fault stays in the buffer it was written to.
 */
final class Escalation {
    /** Size of the buffer created on a CPU that has none with the asked ID. */
    static final long BUFFER_SIZE = 4L << 20;

    private final Tracer tracer;
    private final Buffers buffers;

    Escalation(Tracer tracer, Buffers buffers) {
        this.tracer = tracer;
        this.buffers = buffers;
    }

    /**
     * Makes maskset {@code detailed} (when missing: a copy of {@code from} that also binds {@code detail} events to
     * handler 1, record) and selects it.
     */
    void maskset(String from, String detailed, List<String> detail) {
        if (tracer.masksets().stream().noneMatch(m -> m.name().equals(detailed))) {
            tracer.copy(from, detailed);
            for (String event : detail) tracer.set(detailed, event, 1);
        }
        tracer.select(detailed);
    }

    /** Makes buffer {@code id} current on every CPU, creating it (overwrite mode) where it is missing. */
    void buffers(int id) {
        for (int cpu = 0; cpu < buffers.cpus(); cpu++) {
            int c = cpu;
            boolean exists = buffers.list().stream().anyMatch((BufferInfo b) -> b.cpu() == c && b.id() == id);
            if (!exists) buffers.create(cpu, id, BUFFER_SIZE, BufferMode.OVERWRITE);
            buffers.switchTo(cpu, id);
        }
    }
}
