package lkst.core;

import java.nio.ByteBuffer;
import lkst.api.Event;
import lkst.api.EventType;

/** A fixed event for engine tests: no payload. */
final class TestEvent implements Event {
    final EventType type;
    final long seq;

    TestEvent(EventType type, long seq) {
        this.type = type;
        this.seq = seq;
    }

    @Override public EventType type() { return type; }
    @Override public int cpu() { return 0; }
    @Override public long timestamp() { return seq; }
    @Override public int pid() { return 1; }
    @Override public int tid() { return 1; }
    @Override public long number(int index) { return seq; }
    @Override public String text(int index) { return Long.toString(seq); }
    @Override public int payloadLength() { return 0; }
    @Override public ByteBuffer payload() { return ByteBuffer.allocate(0); }
    @Override public int payloadOffset() { return 0; }
}
