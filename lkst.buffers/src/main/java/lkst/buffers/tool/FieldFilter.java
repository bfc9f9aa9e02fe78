package lkst.buffers.tool;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.buffers.api.TraceRecord;

/**
 * print's {@code --filter}: a condition on the fields of each record in a subset of ftrace's filter syntax —
 * {@code FIELD OP VALUE} with {@code == != < <= > >=} on numbers (decimal, negative, 0x hex) and {@code == !=}
 * on text (the value a glob: {@code prev_comm == "ba*"}; {@code ~} as ftrace's glob match), joined by {@code &&}
 * and {@code ||} ({@code &&} binds first) and grouped with parentheses. A field is one of the event's own, or
 * {@code common_pid}, {@code CPU}, {@code COMM} (the record's pid, CPU and command name). A record whose event has
 * no such field does not match the condition (as ftrace sets a filter only on events that have its fields).
 */
abstract class FieldFilter {
    abstract boolean test(TraceRecord r);

    /** Checks every condition against the trace's events: each field must exist, and fit its operator and value. */
    abstract void check(List<EventType> events);

    /** @throws CommandLine.Usage with the position and what was expected, for an expression that is none */
    static FieldFilter parse(String text) {
        Parser p = new Parser(text);
        FieldFilter f = p.or();
        p.skipSpace();
        if (p.at < text.length()) throw p.error("expected && or || or the end");
        return f;
    }

    private static final class Either extends FieldFilter {
        final FieldFilter a;
        final FieldFilter b;
        final boolean and;

        Either(FieldFilter a, FieldFilter b, boolean and) {
            this.a = a;
            this.b = b;
            this.and = and;
        }

        @Override boolean test(TraceRecord r) { return and ? a.test(r) && b.test(r) : a.test(r) || b.test(r); }

        @Override void check(List<EventType> events) {
            a.check(events);
            b.check(events);
        }
    }

    /** FIELD OP VALUE. */
    private static final class Condition extends FieldFilter {
        final String field;
        final String op;
        final String value;
        final BigInteger number;   // the value as a number, or null
        final long small;          // number, when it fits a long
        final boolean fitsLong;
        final Glob glob;

        Condition(String field, String op, String value, boolean quoted) {
            this.field = field;
            this.op = op;
            this.value = value;
            this.number = quoted ? null : number(value);
            this.fitsLong = number != null && number.bitLength() < 64;
            this.small = fitsLong ? number.longValue() : 0;
            this.glob = Glob.of(value);
        }

        static BigInteger number(String s) {
            try {
                boolean negative = s.startsWith("-");
                String digits = negative ? s.substring(1) : s;
                BigInteger n = digits.startsWith("0x") || digits.startsWith("0X") ? new BigInteger(digits.substring(2), 16) : new BigInteger(digits);
                return negative ? n.negate() : n;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        boolean test(TraceRecord r) {
            Object v;
            switch (field) {
                case "common_pid": v = (long) r.pid(); break;
                case "CPU": v = (long) r.cpu(); break;
                case "COMM": v = r.comm(); break;
                default: v = r.fields().get(field);
            }
            if (v instanceof Long n) {
                if (number == null) return false;
                return compare(fitsLong ? Long.compare(n, small) : BigInteger.valueOf(n).compareTo(number));
            }
            if (v instanceof BigInteger n) return number != null && compare(n.compareTo(number));
            if (v instanceof String s) {
                switch (op) {
                    case "==": case "~": return glob.matches(s);
                    case "!=": return !glob.matches(s);
                    default: return false;
                }
            }
            return false;
        }

        private boolean compare(int c) {
            switch (op) {
                case "==": return c == 0;
                case "!=": return c != 0;
                case "<": return c < 0;
                case "<=": return c <= 0;
                case ">": return c > 0;
                case ">=": return c >= 0;
                default: return false; // ~ is for text
            }
        }

        @Override
        void check(List<EventType> events) {
            boolean numeric;
            switch (field) {
                case "common_pid": case "CPU": numeric = true; break;
                case "COMM": numeric = false; break;
                default: {
                    FieldType type = null;
                    for (EventType t : events) {
                        for (Field f : t.fields()) {
                            if (f.name().equals(field) && (type == null || !type.isNumber())) type = f.type();
                        }
                    }
                    if (type == null) throw usage("no event of this trace has a field '" + field + "'");
                    if (type == FieldType.ARRAY || type == FieldType.BYTES) throw usage(field + " is an array: only numbers and text compare");
                    numeric = type.isNumber();
                }
            }
            if (numeric && op.equals("~")) throw usage(field + " is a number: ~ is for text (use ==)");
            if (numeric && number == null) throw usage(field + " is a number, '" + value + "' is not");
            if (!numeric && !(op.equals("==") || op.equals("!=") || op.equals("~"))) throw usage(field + " is text: only ==, != and ~ compare it");
        }

        private CommandLine.Usage usage(String why) {
            return new CommandLine.Usage("--filter '" + Main.printable(field + " " + op + " " + value) + "': " + Main.printable(why));
        }
    }

    private static final class Parser {
        final String s;
        int at;

        Parser(String s) { this.s = s; }

        FieldFilter or() {
            FieldFilter f = and();
            while (take("||")) f = new Either(f, and(), false);
            return f;
        }

        FieldFilter and() {
            FieldFilter f = primary();
            while (take("&&")) f = new Either(f, primary(), true);
            return f;
        }

        FieldFilter primary() {
            if (take("(")) {
                FieldFilter f = or();
                if (!take(")")) throw error("expected )");
                return f;
            }
            skipSpace();
            int start = at;
            while (at < s.length() && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '_' || s.charAt(at) == '.')) at++;
            if (start == at || !Character.isLetter(s.charAt(start)) && s.charAt(start) != '_') throw error("expected a field name");
            String field = s.substring(start, at);
            String op = null;
            for (String o : new String[] {"==", "!=", "<=", ">=", "<", ">", "~"}) {
                if (take(o)) {
                    op = o;
                    break;
                }
            }
            if (op == null) throw error("expected one of == != < <= > >= ~ after " + field);
            skipSpace();
            if (at < s.length() && (s.charAt(at) == '"' || s.charAt(at) == '\'')) {
                char q = s.charAt(at);
                int end = s.indexOf(q, at + 1);
                if (end < 0) throw error("a quote that does not end");
                String v = s.substring(at + 1, end);
                at = end + 1;
                return new Condition(field, op, v, true);
            }
            start = at;
            while (at < s.length() && !Character.isWhitespace(s.charAt(at)) && "()&|".indexOf(s.charAt(at)) < 0) at++;
            if (start == at) throw error("expected a value after " + field + " " + op);
            return new Condition(field, op, s.substring(start, at), false);
        }

        boolean take(String token) {
            skipSpace();
            if (s.startsWith(token, at)) {
                at += token.length();
                return true;
            }
            return false;
        }

        void skipSpace() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
        }

        CommandLine.Usage error(String what) {
            return new CommandLine.Usage("--filter '" + Main.printable(s) + "': at " + (at + 1) + ": " + what);
        }
    }
}
