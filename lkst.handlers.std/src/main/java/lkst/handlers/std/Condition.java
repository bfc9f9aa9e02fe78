package lkst.handlers.std;

import lkst.api.Event;
import lkst.api.EventType;

/** A test on one numeric field of one event: {@code EVENT FIELD OP VALUE}, e.g. {@code LKST_TEST seq >= 10}. */
record Condition(String event, String field, String op, long value) {
    static final java.util.Set<String> OPS = java.util.Set.of("==", "!=", "<", "<=", ">", ">=", "&");

    static Condition parse(String text) {
        String[] w = text.trim().split("\\s+");
        if (w.length != 4 || !OPS.contains(w[2])) {
            throw new IllegalArgumentException("expected 'EVENT FIELD OP VALUE' with OP one of " + OPS);
        }
        try {
            return new Condition(w[0], w[1], w[2], Long.decode(w[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + w[3] + "' is not a number");
        }
    }

    boolean matches(Event e) {
        EventType t = e.type();
        if (!t.name().equals(event) && !t.groups().contains(event)) return false;
        int i = t.fieldIndex(field);
        if (i < 0) return false;
        long v = e.number(i);
        switch (op) {
            case "==": return v == value;
            case "!=": return v != value;
            case "<": return v < value;
            case "<=": return v <= value;
            case ">": return v > value;
            case ">=": return v >= value;
            default: return (v & value) != 0;
        }
    }

    @Override
    public String toString() { return event + " " + field + " " + op + " " + value; }
}
