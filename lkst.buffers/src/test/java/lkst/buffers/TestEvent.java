package lkst.buffers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.Payload;

/** A reusable event, as a source fills it: type, cpu, time, ids and a JVM-encoded payload. */
public final class TestEvent implements Event {
    public static final EventType SEQ = new EventType(1001, "TEST_SEQ", "jvm", EventSource.JVM, false, List.of(), List.of(),
            List.of(Field.u32("writer"), Field.u64("seq"), Field.s64("check")), null);
    public static final EventType NAMED = new EventType(1002, "TEST_NAMED", "jvm", EventSource.JVM, false, List.of(), List.of(),
            List.of(Field.s32("n"), Field.string("name")), null);

    private final ByteBuffer payload = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private EventType type;
    private int cpu;
    private long timestamp;
    private int pid = 42;
    private int tid;
    private int length;

    /** A TEST_SEQ event: writer, seq and a check value derived from both. */
    public TestEvent seq(int cpu, int writer, long seq) {
        this.type = SEQ;
        this.cpu = cpu;
        this.timestamp = System.nanoTime();
        this.tid = writer;
        payload.putInt(0, writer).putLong(4, seq).putLong(12, check(writer, seq));
        length = 20;
        return this;
    }

    public static long check(int writer, long seq) { return seq * 0x9E3779B97F4A7C15L ^ writer; }

    public TestEvent named(int cpu, long time, int n, String name) {
        this.type = NAMED;
        this.cpu = cpu;
        this.timestamp = time;
        this.tid = n;
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        payload.putInt(0, n).putShort(4, (short) b.length).put(6, b);
        length = 6 + b.length;
        return this;
    }

    /** An event with a payload of {@code bytes} bytes of TEST_SEQ shape (padded). */
    public TestEvent sized(int cpu, int bytes) {
        seq(cpu, 0, 0);
        length = bytes;
        return this;
    }

    public TestEvent time(long t) { this.timestamp = t; return this; }

    /** An event of {@code t} whose payload is {@code bytes} as they are (a kernel record: fields at their offsets). */
    public TestEvent raw(EventType t, int cpu, long time, byte[] bytes) {
        this.type = t;
        this.cpu = cpu;
        this.timestamp = time;
        payload.put(0, bytes);
        length = bytes.length;
        return this;
    }

    @Override public EventType type() { return type; }
    @Override public int cpu() { return cpu; }
    @Override public long timestamp() { return timestamp; }
    @Override public int pid() { return pid; }
    @Override public int tid() { return tid; }
    @Override public long number(int index) { return Payload.number(type.fields(), payload, 0, index); }
    @Override public String text(int index) { return Payload.text(type.fields(), payload, 0, index); }
    @Override public int payloadLength() { return length; }
    /** As a source should: word by word (a JDK bulk copy of a few bytes costs a native call). */
    @Override public ByteBuffer payload() { return payload; }
    @Override public int payloadOffset() { return 0; }
}
