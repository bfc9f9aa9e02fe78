package lkst.hooks.jvm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import lkst.api.Dispatcher;
import lkst.api.Event;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.api.Payload;
import lkst.hooks.api.EventWriter;

/**
 * One thread's event under construction and, while it is dispatched, its {@link Event} view. Reused for every
 * event the thread fires, so firing allocates nothing. Payload encoding: see {@link Field}.
 */
final class ThreadEvent implements EventWriter, Event {
    static final int MAX_PAYLOAD = 65535;
    static final int PID = (int) ProcessHandle.current().pid();

    private final Dispatcher dispatcher;
    private final long javaTid = Thread.currentThread().getId();
    private final int tid = Cpus.tid();
    private byte[] bytes = new byte[256];
    private ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    private EventType type;
    private List<Field> fields;
    private int field;
    private int length;
    private long timestamp;
    private int cpu;
    private int untilRefresh;
    /** true while a handler runs for this event: a hook fired from inside a handler gets a fresh writer */
    boolean dispatching;

    ThreadEvent(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    ThreadEvent start(EventType t) {
        type = t;
        fields = t.fields();
        field = 0;
        length = 0;
        timestamp = System.nanoTime();
        return this;
    }

    private Field next(boolean number) {
        if (field >= fields.size()) {
            throw new IllegalArgumentException(type.name() + " has " + fields.size() + " fields; got one more");
        }
        Field f = fields.get(field);
        if (f.type().isNumber() != number) {
            throw new IllegalArgumentException("field " + f.name() + " of " + type.name() + " is " + f.type()
                    + ", got a " + (number ? "number" : "string or bytes"));
        }
        field++;
        return f;
    }

    private void room(int n) {
        if (length + n > MAX_PAYLOAD) throw new IllegalArgumentException(type.name() + ": payload over " + MAX_PAYLOAD + " bytes");
        if (length + n > bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, Math.min(MAX_PAYLOAD, Math.max(bytes.length * 2, length + n)));
            view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Override
    public EventWriter put(long value) {
        Field f = next(true);
        int size = f.type().size();
        room(size);
        switch (size) {
            case 1: view.put(length, (byte) value); break;
            case 2: view.putShort(length, (short) value); break;
            case 4: view.putInt(length, (int) value); break;
            default: view.putLong(length, value);
        }
        length += size;
        return this;
    }

    @Override
    public EventWriter put(String value) {
        if (fields.size() > field && fields.get(field).type() == FieldType.BYTES) {
            return put(value.getBytes(StandardCharsets.UTF_8));
        }
        Field f = next(false);
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return putVariable(b);
    }

    @Override
    public EventWriter put(byte[] value) {
        next(false);
        return putVariable(value);
    }

    private EventWriter putVariable(byte[] b) {
        int n = Math.min(b.length, 0xffff);
        room(2 + n);
        view.putShort(length, (short) n);
        view.put(length + 2, b, 0, n);
        length += 2 + n;
        return this;
    }

    @Override
    public void fire() {
        if (field != fields.size()) {
            throw new IllegalArgumentException(type.name() + " has " + fields.size() + " fields; got " + field);
        }
        if (--untilRefresh < 0) {
            cpu = Cpus.cpu(javaTid);
            untilRefresh = Cpus.REFRESH;
        }
        dispatching = true;
        try {
            dispatcher.dispatch(this);
        } finally {
            dispatching = false;
        }
    }

    // ------------------------------------------------------------------ Event view

    @Override
    public EventType type() { return type; }

    @Override
    public int cpu() { return cpu; }

    @Override
    public long timestamp() { return timestamp; }

    @Override
    public int pid() { return PID; }

    @Override
    public int tid() { return tid; }

    @Override
    public long number(int index) { return Payload.number(fields, view, 0, index); }

    @Override
    public String text(int index) { return Payload.text(fields, view, 0, index); }

    @Override
    public int payloadLength() { return length; }

    @Override
    public void copyPayload(ByteBuffer dst, int at) { dst.put(at, bytes, 0, length); }
}
