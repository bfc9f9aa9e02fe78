package lkst.buffers.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** An aligned text table: a header row, then rows; a column is right-aligned unless its header starts with '<'. */
final class Table {
    private final String[] header;
    private final boolean[] left;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... columns) {
        header = new String[columns.length];
        left = new boolean[columns.length];
        for (int i = 0; i < columns.length; i++) {
            left[i] = columns[i].startsWith("<");
            header[i] = left[i] ? columns[i].substring(1) : columns[i];
        }
    }

    Table row(Object... cells) {
        String[] r = new String[header.length];
        for (int i = 0; i < r.length; i++) r[i] = i < cells.length ? String.valueOf(cells[i]) : "";
        rows.add(r);
        return this;
    }

    void print(PrintStream out) {
        int[] w = new int[header.length];
        for (int i = 0; i < w.length; i++) w[i] = header[i].length();
        for (String[] r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r[i].length());
        line(out, header, w);
        for (String[] r : rows) line(out, r, w);
    }

    private void line(PrintStream out, String[] cells, int[] w) {
        StringBuilder s = new StringBuilder("  ");
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) s.append("  ");
            String c = cells[i];
            String pad = " ".repeat(w[i] - c.length());
            s.append(left[i] ? c + (i == cells.length - 1 ? "" : pad) : pad + c);
        }
        out.println(s);
    }

    /** Nanoseconds as milliseconds with 3 decimals. */
    static String ms(long ns) { return String.format("%.3f", ns / 1e6); }

    /** Nanoseconds as microseconds with 1 decimal. */
    static String us(long ns) { return String.format("%.1f", ns / 1e3); }
}
