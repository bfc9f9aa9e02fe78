package lkst.handlers.std;

import java.nio.ByteBuffer;
import lkst.api.Event;
import lkst.api.EventType;

/** An event with a pid, a thread ID and one numeric field. */
record FakeEvent(EventType type, int pid, int tid, long value) implements Event {
    @Override public int cpu() { return 0; }
    @Override public long timestamp() { return 0; }
    @Override public long number(int index) { return value; }
    @Override public String text(int index) { return Long.toString(value); }
    @Override public int payloadLength() { return 0; }
    @Override public ByteBuffer payload() { return ByteBuffer.allocate(0); }
    @Override public int payloadOffset() { return 0; }
}
