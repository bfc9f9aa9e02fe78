package lkst.buffers.view;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The page's numbers, compactly: named arrays of little-endian int32, float64 or bytes, laid end to end, each at a
 * multiple of 8 bytes, so that the page views each one as a typed array over the decompressed bytes without
 * copying. The page's header lists each array as {@code "name": [byte offset, length, "i32"|"f64"|"u8"]}.
 *
 * <pre>
 * offset 0           a: i32 × n (padded to 8)   b: f64 × m   c: u8 × k (padded to 8)   …
 * </pre>
 */
final class PageData {
    private record Array(String name, int[] ints, double[] doubles, byte[] bytes, long offset) {
        int length() { return ints != null ? ints.length : doubles != null ? doubles.length : bytes.length; }
        long size() { return ints != null ? (ints.length * 4L + 7) & ~7L : doubles != null ? doubles.length * 8L : (bytes.length + 7L) & ~7L; }
        String kind() { return ints != null ? "i32" : doubles != null ? "f64" : "u8"; }
    }

    private final List<Array> arrays = new ArrayList<>();
    private long size;

    void add(String name, int[] values) { add(new Array(name, values, null, null, size)); }

    void add(String name, double[] values) { add(new Array(name, null, values, null, size)); }

    void add(String name, byte[] values) { add(new Array(name, null, null, values, size)); }

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
                    b.putInt(v);
                }
                written = a.ints.length * 4L;
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
