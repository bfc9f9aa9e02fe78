package lkst.ship;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One message on the topic. Its key is {@code HOST/TRACE/cpuN} (records and losses of CPU N: one partition, in
 * order) or {@code HOST/TRACE/meta} (metadata and the end of the trace); its value, little-endian:
 *
 * <pre>
 *   0  u32  magic 'LKSF'
 *   4  u8   format version (1)
 *   5  u8   kind: 1 RECORDS, 2 META, 3 LOST, 4 END
 *   6  u16  host length H, then H bytes UTF-8
 *      u16  trace ID length T, then T bytes UTF-8
 *      s32  cpu (-1 for META and END)
 *      s64  RECORDS: the per-CPU sequence number of the first record; LOST: of the first record lost; META: the
 *           metadata version (1, 2 … : sent again whenever event types are added); END: 0
 *      s64  RECORDS: record count; LOST: records lost (0: not known); META, END: 0
 *      …    body: RECORDS: the records, each
 *             s32 buffer  s32 event  s32 payload length L  s32 pid  s32 tid  s64 timestamp (CLOCK_MONOTONIC ns)  L bytes payload
 *           META: the trace's trace.meta; LOST: the reason, UTF-8; END: the trace's trace.lost (may be empty)
 * </pre>
 * A consumer tells a gap from a quiet CPU by the sequence numbers: they count every record of a CPU from 0, and a
 * number that never arrives was lost (a LOST message says why, when the shipper knows).
 */
public record Frame(Kind kind, String host, String trace, int cpu, long seq, long count, ByteBuffer body) {
    public static final int MAGIC = 0x46534b4c; // "LKSF" little-endian
    public static final int VERSION = 1;
    /** Bytes of a record's header in a RECORDS body. */
    public static final int RECORD_HEADER = 28;

    public enum Kind { RECORDS, META, LOST, END }

    /** The message key: the CPU's (-1: the trace's own). */
    public static String key(String host, String trace, int cpu) {
        return host + "/" + trace + "/" + (cpu < 0 ? "meta" : "cpu" + cpu);
    }

    public String key() { return key(host, trace, cpu); }

    /** The value: this frame's header followed by {@code body} (from its position to its limit). */
    public byte[] encode() {
        byte[] h = host.getBytes(StandardCharsets.UTF_8);
        byte[] t = trace.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(6 + 2 + h.length + 2 + t.length + 4 + 16 + body.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) (kind.ordinal() + 1));
        b.putShort((short) h.length).put(h).putShort((short) t.length).put(t);
        b.putInt(cpu).putLong(seq).putLong(count).put(body.duplicate());
        return b.array();
    }

    /** Reads a value; one that is not a frame of this format is an {@link IllegalArgumentException} saying why. */
    public static Frame decode(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (b.getInt() != MAGIC) throw new IllegalArgumentException("not an LKST/J fleet message (bad magic)");
            int version = b.get();
            if (version != VERSION) throw new IllegalArgumentException("fleet message format " + version + ", this LKST/J reads " + VERSION);
            int k = b.get();
            if (k < 1 || k > Kind.values().length) throw new IllegalArgumentException("unknown fleet message kind " + k);
            String host = string(b);
            String trace = string(b);
            int cpu = b.getInt();
            long seq = b.getLong();
            long count = b.getLong();
            return new Frame(Kind.values()[k - 1], host, trace, cpu, seq, count, b.slice().order(ByteOrder.LITTLE_ENDIAN));
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("fleet message cut short (" + value.length + " bytes)");
        }
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    public String text() { return StandardCharsets.UTF_8.decode(body.duplicate()).toString(); }

    public byte[] bytes() {
        byte[] a = new byte[body.remaining()];
        body.duplicate().get(a);
        return a;
    }
}
