package lkst.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads fields out of a raw payload laid out as {@link Field} describes: the one place that knows both the JVM
 * encoding and the kernel's. {@code buf} is read with absolute indexes only; its byte order must be little-endian.
 */
public final class Payload {
    private Payload() {}

    /** Start of field {@code index} inside the payload at {@code start} (walks JVM fields encoded before it). */
    public static int fieldStart(List<Field> fields, ByteBuffer buf, int start, int index) {
        Field f = fields.get(index);
        if (f.offset() >= 0) return start + f.offset();
        int at = start;
        for (int i = 0; i < index; i++) {
            Field g = fields.get(i);
            at += g.type().isNumber() ? g.type().size() : 2 + Short.toUnsignedInt(buf.getShort(at));
        }
        return at;
    }

    /** Length of a JVM-encoded payload of these fields starting at {@code start}. */
    public static int length(List<Field> fields, ByteBuffer buf, int start) {
        return fieldStart(fields, buf, start, fields.size() - 1) - start + last(fields, buf, start);
    }

    private static int last(List<Field> fields, ByteBuffer buf, int start) {
        if (fields.isEmpty()) return 0;
        int at = fieldStart(fields, buf, start, fields.size() - 1);
        Field f = fields.get(fields.size() - 1);
        return f.type().isNumber() ? f.type().size() : 2 + Short.toUnsignedInt(buf.getShort(at));
    }

    /** The numeric value of field {@code index}; sign-extended for signed types, zero-extended otherwise. */
    public static long number(List<Field> fields, ByteBuffer buf, int start, int index) {
        Field f = fields.get(index);
        int at = fieldStart(fields, buf, start, index);
        return read(buf, at, f.type().isNumber() ? f.type() : FieldType.U64, f.type().isNumber() ? f.type().size() : 0);
    }

    static long read(ByteBuffer buf, int at, FieldType type, int size) {
        switch (size) {
            case 1: return type.signed() ? buf.get(at) : Byte.toUnsignedLong(buf.get(at));
            case 2: return type.signed() ? buf.getShort(at) : Short.toUnsignedLong(buf.getShort(at));
            case 4: return type.signed() ? buf.getInt(at) : Integer.toUnsignedLong(buf.getInt(at));
            case 8: return buf.getLong(at);
            default: return 0;
        }
    }

    /** Field {@code index} as text: numbers in decimal, strings as text, bytes and arrays as {a,b,…}. */
    public static String text(List<Field> fields, ByteBuffer buf, int start, int index) {
        Field f = fields.get(index);
        int at = fieldStart(fields, buf, start, index);
        FieldType t = f.type();
        if (t.isNumber()) {
            long v = read(buf, at, t, t.size());
            return t == FieldType.U64 ? Long.toUnsignedString(v) : Long.toString(v);
        }
        int from;
        int len;
        if (f.offset() < 0) {
            len = Short.toUnsignedInt(buf.getShort(at));
            from = at + 2;
        } else if (t == FieldType.STRING || t == FieldType.BYTES) {
            int loc = buf.getInt(at);
            from = start + (loc & 0xffff);
            len = loc >>> 16;
        } else {
            from = at;
            len = f.size();
        }
        if (t == FieldType.STRING || t == FieldType.CHARS) {
            int n = 0;
            while (n < len && buf.get(from + n) != 0) n++;
            byte[] b = new byte[n];
            buf.get(from, b);
            return new String(b, StandardCharsets.UTF_8);
        }
        // kernel arrays, fixed (ARRAY) or __data_loc (BYTES with an element type), print element by element
        FieldType el = (t == FieldType.ARRAY || t == FieldType.BYTES) && f.element() != null ? f.element() : FieldType.U8;
        int step = Math.max(1, el.size());
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i + step <= len; i += step) {
            if (i > 0) s.append(',');
            long v = read(buf, from + i, el, step);
            s.append(el == FieldType.U64 ? "0x" + Long.toHexString(v) : Long.toString(v));
        }
        return s.append('}').toString();
    }

    /** Every field as {@code name=value}, separated by spaces. */
    public static String format(EventType type, ByteBuffer buf, int start) {
        StringBuilder s = new StringBuilder();
        List<Field> fields = type.fields();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) s.append(' ');
            s.append(fields.get(i).name()).append('=').append(text(fields, buf, start, i));
        }
        return s.toString();
    }

    /** A little-endian view of {@code buf} sharing its content. */
    public static ByteBuffer le(ByteBuffer buf) {
        return buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }
}
