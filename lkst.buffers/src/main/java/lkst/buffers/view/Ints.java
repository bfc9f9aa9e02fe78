package lkst.buffers.view;

import java.util.Arrays;

/** A growable column of ints: the page's arrays are built one value at a time, never as boxed objects. */
final class Ints {
    private int[] values = new int[1024];
    private int size;

    void add(int v) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = v;
    }

    int get(int i) { return values[i]; }

    void set(int i, int v) { values[i] = v; }

    int size() { return size; }

    int[] toArray() { return Arrays.copyOf(values, size); }
}
