package lkst.hooks.jvm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 *
 * <p>The hot path does not walk {@code List<Field>}: each event type's schema is turned once per thread into an
 * {@code int[]} of field codes (the size of a number field, {@link #VARIABLE} or {@link #BYTES}), kept in a small
 * per-thread cache indexed by event ID and checked by identity, so that a changed schema (a new {@link EventType})
 * is picked up. Numbers are stored with a little-endian {@code byte[]} view {@link VarHandle}.
 */
final class ThreadEvent implements EventWriter, Event {
    static final int MAX_PAYLOAD = 65535;
    static final int PID = (int) ProcessHandle.current().pid();

    /** Field code of a string, chars or array field: not a number, takes a string or bytes. */
    static final int VARIABLE = 0;
    /** Field code of a bytes field: a string put into it is stored as its UTF-8 bytes. */
    static final int BYTES = -1;
    private static final int CACHE = 64; // power of two
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Dispatcher dispatcher;
    private final EventType[] cachedTypes = new EventType[CACHE];
    private final int[][] cachedCodes = new int[CACHE][];
    private final long javaTid = Thread.currentThread().getId();
    private final int tid = CallingThread.tid();
    private byte[] bytes = new byte[256];
    private ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    private EventType type;
    private int[] codes;
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
        int slot = t.id() & (CACHE - 1);
        int[] c = cachedCodes[slot];
        if (cachedTypes[slot] != t) c = learn(slot, t);
        codes = c;
        field = 0;
        length = 0;
        timestamp = System.nanoTime();
        return this;
    }

    /** Slow path, once per event type (and schema) per thread: the field codes of {@code t}. */
    private int[] learn(int slot, EventType t) {
        List<Field> fs = t.fields();
        int[] c = new int[fs.size()];
        for (int i = 0; i < c.length; i++) {
            FieldType ft = fs.get(i).type();
            c[i] = ft.isNumber() ? ft.size() : ft == FieldType.BYTES ? BYTES : VARIABLE;
        }
        cachedTypes[slot] = t;
        cachedCodes[slot] = c;
        return c;
    }

    /** The next field, which must be a number ({@code number}) or not; returns its code. */
    private int next(boolean number) {
        int i = field;
        int[] c = codes;
        if (i >= c.length) {
            throw new IllegalArgumentException(type.name() + " has " + c.length + " fields; got one more");
        }
        int code = c[i];
        if (code > 0 != number) {
            Field f = type.fields().get(i);
            throw new IllegalArgumentException("field " + f.name() + " of " + type.name() + " is " + f.type()
                    + ", got a " + (number ? "number" : "string or bytes"));
        }
        field = i + 1;
        return code;
    }

    private void room(int n) {
        if (length + n <= bytes.length) return;
        if (length + n > MAX_PAYLOAD) throw new IllegalArgumentException(type.name() + ": payload over " + MAX_PAYLOAD + " bytes");
        bytes = java.util.Arrays.copyOf(bytes, Math.min(MAX_PAYLOAD, Math.max(bytes.length * 2, length + n)));
        view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public EventWriter put(long value) {
        int size = next(true);
        int at = length;
        if (at + size > bytes.length) room(size);
        byte[] b = bytes;
        switch (size) {
            case 1: b[at] = (byte) value; break;
            case 2: I16.set(b, at, (short) value); break;
            case 4: I32.set(b, at, (int) value); break;
            default: I64.set(b, at, value);
        }
        length = at + size;
        return this;
    }

    @Override
    public EventWriter put(String value) {
        if (codes.length > field && codes[field] == BYTES) {
            return put(value.getBytes(StandardCharsets.UTF_8));
        }
        next(false);
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
        if (field != codes.length) {
            throw new IllegalArgumentException(type.name() + " has " + codes.length + " fields; got " + field);
        }
        if (--untilRefresh < 0) {
            cpu = CallingThread.cpu(javaTid);
            untilRefresh = CallingThread.REFRESH;
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
    public long number(int index) { return Payload.number(type.fields(), view, 0, index); }

    @Override
    public String text(int index) { return Payload.text(type.fields(), view, 0, index); }

    @Override
    public int payloadLength() { return length; }

    @Override
    public ByteBuffer payload() { return view; }

    @Override
    public int payloadOffset() { return 0; }
}
