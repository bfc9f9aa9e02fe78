package lkst.buffers.view;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The page's numbers, compactly: named arrays of little-endian integers (each array as narrow as its values allow:
 * int8, int16 or int32), float64 or bytes, laid end to end, each at a multiple of 8 bytes, so that the page views
 * each one as a typed array over the decompressed bytes without copying. The page's header lists each array as
 * {@code "name": [byte offset, length, "i8"|"i16"|"i32"|"f64"|"u8"]}.
 *
 * <pre>
 * offset 0           a: i32 × n (padded to 8)   b: f64 × m   c: i8 × k (padded to 8)   …
 * </pre>
 */
final class PageData {
    /** An array; {@code width} the bytes of each of its integers (1, 2 or 4). */
    private record Array(String name, int[] ints, int width, double[] doubles, byte[] bytes, long offset) {
        int length() { return ints != null ? ints.length : doubles != null ? doubles.length : bytes.length; }
        long size() { return ints != null ? (ints.length * (long) width + 7) & ~7L : doubles != null ? doubles.length * 8L : (bytes.length + 7L) & ~7L; }
        String kind() { return ints != null ? "i" + width * 8 : doubles != null ? "f64" : "u8"; }
    }

    private final List<Array> arrays = new ArrayList<>();
    private long size;
    private long lanes = -1;

    /** The arrays so far are what the page draws; those after, what its tips show (it draws before they are in). */
    void endOfLanes() { lanes = size; }

    /** Bytes of the arrays the page draws from. */
    long lanes() { return lanes < 0 ? size : lanes; }

    void add(String name, int[] values) {
        int min = 0;
        int max = 0;
        for (int v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int width = min >= Byte.MIN_VALUE && max <= Byte.MAX_VALUE ? 1 : min >= Short.MIN_VALUE && max <= Short.MAX_VALUE ? 2 : 4;
        add(new Array(name, values, width, null, null, size));
    }

    void add(String name, double[] values) { add(new Array(name, null, 0, values, null, size)); }

    void add(String name, byte[] values) { add(new Array(name, null, 0, null, values, size)); }

    private void add(Array a) {
        arrays.add(a);
        size += a.size();
    }

    long size() { return size; }

    /** The JSON object that locates each array. */
    void index(StringBuilder json) {
        json.append('{');
        for (int i = 0; i < arrays.size(); i++) {
            Array a = arrays.get(i);
            if (i > 0) json.append(',');
            lkst.buffers.report.Json.quote(json, a.name);
            json.append(":[").append(a.offset).append(',').append(a.length()).append(",\"").append(a.kind()).append("\"]");
        }
        json.append('}');
    }

    /** Writes the arrays' bytes, in order, to {@code out}. */
    void write(OutputStream out) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        for (Array a : arrays) {
            long written = 0;
            if (a.ints != null) {
                for (int v : a.ints) {
                    if (b.remaining() < 8) flush(b, out);
                    if (a.width == 1) b.put((byte) v);
                    else if (a.width == 2) b.putShort((short) v);
                    else b.putInt(v);
                }
                written = a.ints.length * (long) a.width;
            } else if (a.doubles != null) {
                for (double v : a.doubles) {
                    if (b.remaining() < 8) flush(b, out);
                    b.putDouble(v);
                }
                written = a.doubles.length * 8L;
            } else {
                flush(b, out);
                out.write(a.bytes);
                written = a.bytes.length;
            }
            for (long p = written; p < a.size(); p++) {
                if (b.remaining() < 8) flush(b, out);
                b.put((byte) 0);
            }
        }
        flush(b, out);
    }

    private static void flush(ByteBuffer b, OutputStream out) throws IOException {
        out.write(b.array(), 0, b.position());
        b.clear();
    }
}
