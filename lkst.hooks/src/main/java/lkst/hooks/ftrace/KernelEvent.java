package lkst.hooks.ftrace;

import java.nio.ByteBuffer;
import lkst.api.Event;
import lkst.api.EventType;
import lkst.api.Payload;

/**
 * The flyweight {@link Event} a CPU's decoder points at each record in turn: no allocation per event. The payload is
 * the kernel's record as written (common header included), so field offsets are the format file's.
 */
final class KernelEvent implements Event {
    private final int cpu;
    private EventType type;
    private long timestamp;
    private int pid;
    private ByteBuffer buf;
    private int start;
    private int length;

    KernelEvent(int cpu) { this.cpu = cpu; }

    void set(EventType type, long timestamp, int pid, ByteBuffer buf, int start, int length) {
        this.type = type;
        this.timestamp = timestamp;
        this.pid = pid;
        this.buf = buf;
        this.start = start;
        this.length = length;
    }

    @Override public EventType type() { return type; }
    @Override public int cpu() { return cpu; }
    @Override public long timestamp() { return timestamp; }

    /** The record's common_pid: the kernel's task ID, which the trace file also shows as the PID. */
    @Override public int pid() { return pid; }

    /** The kernel's task ID (common_pid); the record carries no separate thread group ID. */
    @Override public int tid() { return pid; }

    @Override public long number(int index) { return Payload.number(type.fields(), buf, start, index); }
    @Override public String text(int index) { return Payload.text(type.fields(), buf, start, index); }
    @Override public int payloadLength() { return length; }

    @Override public ByteBuffer payload() { return buf; }
    @Override public int payloadOffset() { return start; }

    @Override
    public String toString() {
        return timestamp + " cpu" + cpu + " pid " + pid + " " + type.name() + " " + Payload.format(type, buf, start);
    }
}
