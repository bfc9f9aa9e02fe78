package lkst.buffers.view;

import java.math.BigInteger;

/**
 * The values of one field of one event type, one per event of that type, as compactly as they allow: {@code int}
 * while every value fits 32 bits, {@code long} (two ints each, high then low; {@code u64} when a value was above
 * 2^63-1) when one does not, {@code text} (indexes into the page's strings) for text and arrays. A column widens
 * once, when a value needs it; a field that is missing in a record holds 0 (or "").
 */
final class FieldColumn {
    enum Kind { INT, LONG, U64, TEXT }

    final String name;
    private Kind kind = Kind.INT;
    private long[] numbers = new long[256];
    private int size;
    private Ints text;

    FieldColumn(String name) { this.name = name; }

    Kind kind() { return kind; }

    int size() { return size; }

    void add(Object v, Strings strings) {
        boolean number = v instanceof Long || v instanceof Integer || v instanceof BigInteger;
        if (kind != Kind.TEXT && !number) toText(strings);
        if (kind == Kind.TEXT) {
            text.add(strings.of(v == null ? "" : String.valueOf(v)));
            size++;
            return;
        }
        if (v instanceof BigInteger) kind = Kind.U64;
        long n = ((Number) v).longValue();
        if (kind == Kind.INT && (int) n != n) kind = Kind.LONG;
        if (size == numbers.length) numbers = java.util.Arrays.copyOf(numbers, size * 2);
        numbers[size++] = n;
    }

    /** A text value in a numeric column (not expected of a trace's schema): every value so far becomes text. */
    private void toText(Strings strings) {
        text = new Ints();
        for (int i = 0; i < size; i++) text.add(strings.of(kind == Kind.U64 ? Long.toUnsignedString(numbers[i]) : Long.toString(numbers[i])));
        kind = Kind.TEXT;
        numbers = null;
    }

    /** The column as the page's ints: one per value, or two (high, low) for LONG and U64. */
    int[] ints() {
        if (kind == Kind.TEXT) return text.toArray();
        if (kind == Kind.INT) {
            int[] a = new int[size];
            for (int i = 0; i < size; i++) a[i] = (int) numbers[i];
            return a;
        }
        int[] a = new int[size * 2];
        for (int i = 0; i < size; i++) {
            a[2 * i] = (int) (numbers[i] >>> 32);
            a[2 * i + 1] = (int) numbers[i];
        }
        return a;
    }
}
