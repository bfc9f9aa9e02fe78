package lkst.buffers.report;

/**
 * A JSON text written as it goes: objects, arrays, names and values, commas where they belong; {@link #quote} is
 * also {@code print --json}'s (lkst.buffers.tool.JsonLine).
 */
public final class Json {
    private final StringBuilder s = new StringBuilder();
    private boolean comma;

    Json open() { sep(); s.append('{'); comma = false; return this; }
    Json close() { s.append('}'); comma = true; return this; }
    Json array() { sep(); s.append('['); comma = false; return this; }
    Json end() { s.append(']'); comma = true; return this; }

    Json name(String n) {
        sep();
        quote(s, n);
        s.append(':');
        comma = false;
        return this;
    }

    Json value(long v) { sep(); s.append(v); comma = true; return this; }
    Json value(boolean v) { sep(); s.append(v); comma = true; return this; }

    Json value(String v) {
        sep();
        if (v == null) s.append("null");
        else quote(s, v);
        comma = true;
        return this;
    }

    Json field(String n, long v) { return name(n).value(v); }
    Json field(String n, String v) { return name(n).value(v); }
    Json field(String n, boolean v) { return name(n).value(v); }

    private void sep() {
        if (comma) s.append(',');
        comma = false;
    }

    /** Appends {@code v} as a JSON string: quotes, backslashes and control characters (DEL too) escaped. */
    public static void quote(StringBuilder s, String v) {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) s.append(String.format("\\u%04x", (int) c));
                    else s.append(c);
                }
            }
        }
        s.append('"');
    }

    @Override
    public String toString() { return s.toString(); }
}
