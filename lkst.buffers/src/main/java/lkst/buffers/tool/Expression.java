package lkst.buffers.tool;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An argument of a kernel print format: a C expression over the record's fields ({@code REC->name}), evaluated to a
 * Long (64 bits, C's unsigned long arithmetic where it matters) or a String. Parsed by {@link Parser}; anything
 * outside the subset (see {@link PrintFormat}) is an IllegalArgumentException at parse time.
 */
abstract class Expression {
    /** The value for these fields; IllegalArgumentException when the record lacks what it needs. */
    abstract Object evaluate(Map<String, Object> fields);

    /** The field this expression is, maybe behind casts ({@code (void *)REC->call_site}); else null. */
    String field() { return null; }

    static long number(Object v) {
        if (v instanceof Long n) return n;
        throw new IllegalArgumentException("not a number: " + v);
    }

    private static Object fieldValue(Map<String, Object> fields, String name) {
        Object v = fields.get(name);
        if (v == null) throw new IllegalArgumentException("no field " + name);
        if (v instanceof BigInteger b) return b.longValue();
        return v;
    }

    private static final class Field extends Expression {
        final String name;
        final Expression index;

        Field(String name, Expression index) { this.name = name; this.index = index; }

        @Override Object evaluate(Map<String, Object> fields) {
            Object v = fieldValue(fields, name);
            if (index == null) return v;
            // arrays are decoded as "{a,b,…}" (hex 0x… or decimal)
            if (!(v instanceof String s) || !s.startsWith("{") || !s.endsWith("}")) throw new IllegalArgumentException(name + " is no array");
            String[] items = s.substring(1, s.length() - 1).split(",");
            int i = (int) number(index.evaluate(fields));
            if (i < 0 || i >= items.length) throw new IllegalArgumentException(name + "[" + i + "] out of range");
            String item = items[i];
            return item.startsWith("0x") ? Long.parseUnsignedLong(item.substring(2), 16) : Long.parseLong(item);
        }

        @Override String field() { return index == null ? name : null; }
    }

    private static final class Constant extends Expression {
        final Object value;

        Constant(Object value) { this.value = value; }

        @Override Object evaluate(Map<String, Object> fields) { return value; }
    }

    private static final class Cast extends Expression {
        final int bits;
        final boolean signed;
        final Expression inner;

        Cast(int bits, boolean signed, Expression inner) { this.bits = bits; this.signed = signed; this.inner = inner; }

        @Override Object evaluate(Map<String, Object> fields) {
            Object v = inner.evaluate(fields);
            if (bits == 64 || !(v instanceof Long n)) return v;
            return signed ? (n << (64 - bits)) >> (64 - bits) : n & ((1L << bits) - 1);
        }

        @Override String field() { return inner.field(); }
    }

    private interface Op { Object apply(Object a, Object b); }

    private static final class Binary extends Expression {
        final Expression a, b;
        final Op op;

        Binary(Expression a, Expression b, Op op) { this.a = a; this.b = b; this.op = op; }

        @Override Object evaluate(Map<String, Object> fields) { return op.apply(a.evaluate(fields), b.evaluate(fields)); }
    }

    private static final class Conditional extends Expression {
        final Expression c, yes, no;

        Conditional(Expression c, Expression yes, Expression no) { this.c = c; this.yes = yes; this.no = no; }

        @Override Object evaluate(Map<String, Object> fields) {
            return number(c.evaluate(fields)) != 0 ? yes.evaluate(fields) : no.evaluate(fields);
        }
    }

    private static final class Logical extends Expression {
        final Expression a, b;
        final boolean and;

        Logical(Expression a, Expression b, boolean and) { this.a = a; this.b = b; this.and = and; }

        @Override Object evaluate(Map<String, Object> fields) {
            boolean x = number(a.evaluate(fields)) != 0;
            if (and ? !x : x) return x ? 1L : 0L;
            return number(b.evaluate(fields)) != 0 ? 1L : 0L;
        }
    }

    /** {@code __print_flags(value, "delim", {mask, "name"}, …)}, as the kernel's trace_print_flags_seq. */
    private static final class Flags extends Expression {
        final Expression value;
        final Expression delim;
        final List<Expression[]> table;

        Flags(Expression value, Expression delim, List<Expression[]> table) { this.value = value; this.delim = delim; this.table = table; }

        @Override Object evaluate(Map<String, Object> fields) {
            long flags = number(value.evaluate(fields));
            String d = String.valueOf(delim.evaluate(fields));
            StringBuilder s = new StringBuilder();
            for (Expression[] entry : table) {
                Object name = entry[1].evaluate(fields);
                if (name == null || name instanceof Long || flags == 0) break; // { 0, NULL } ends the table
                long mask = number(entry[0].evaluate(fields));
                if ((flags & mask) != mask) continue;
                flags &= ~mask;
                if (s.length() > 0) s.append(d);
                s.append(name);
            }
            if (flags != 0) {
                if (s.length() > 0) s.append(d);
                s.append("0x").append(Long.toHexString(flags));
            }
            return s.toString();
        }
    }

    /** {@code __print_symbolic(value, {value, "name"}, …)}: the first name of the value, else 0x… */
    private static final class Symbolic extends Expression {
        final Expression value;
        final List<Expression[]> table;

        Symbolic(Expression value, List<Expression[]> table) { this.value = value; this.table = table; }

        @Override Object evaluate(Map<String, Object> fields) {
            long v = number(value.evaluate(fields));
            for (Expression[] entry : table) {
                Object name = entry[1].evaluate(fields);
                if (name == null || name instanceof Long) break;
                if (number(entry[0].evaluate(fields)) == v) return name;
            }
            return "0x" + Long.toHexString(v);
        }
    }

    /** A recursive-descent parser of the print fmt line: the quoted format, then the arguments. */
    static final class Parser {
        private static final Set<String> TYPES = Set.of("unsigned", "signed", "long", "int", "short", "char", "void", "bool",
                "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "__u8", "__u16", "__u32", "__u64", "__s8", "__s16",
                "__s32", "__s64", "size_t", "ssize_t", "gfp_t", "pid_t", "dev_t", "loff_t", "sector_t", "const", "unsigned long");
        private final List<String> tokens = new ArrayList<>();
        private int at;

        Parser(String line) {
            tokenize(line);
        }

        private void tokenize(String s) {
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) { i++; continue; }
                int j = i + 1;
                if (c == '"') {
                    StringBuilder t = new StringBuilder("\"");
                    for (; j < s.length() && s.charAt(j) != '"'; j++) {
                        char d = s.charAt(j);
                        if (d == '\\' && j + 1 < s.length()) {
                            char e = s.charAt(++j);
                            t.append(switch (e) { case 'n' -> '\n'; case 't' -> '\t'; case '\\' -> '\\'; case '"' -> '"'; default ->
                                    throw new IllegalArgumentException("unsupported escape \\" + e); });
                        } else {
                            t.append(d);
                        }
                    }
                    if (j >= s.length()) throw new IllegalArgumentException("unterminated string");
                    tokens.add(t.toString());
                    i = j + 1;
                    continue;
                }
                if (Character.isLetterOrDigit(c) || c == '_') {
                    while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                } else {
                    String two = i + 2 <= s.length() ? s.substring(i, i + 2) : "";
                    if (List.of("->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||").contains(two)) j = i + 2;
                }
                tokens.add(s.substring(i, j));
                i = j;
            }
        }

        private String peek() { return at < tokens.size() ? tokens.get(at) : ""; }

        private String peek(int ahead) { return at + ahead < tokens.size() ? tokens.get(at + ahead) : ""; }

        private String next() {
            if (at >= tokens.size()) throw new IllegalArgumentException("unexpected end");
            return tokens.get(at++);
        }

        private void expect(String t) {
            String n = next();
            if (!n.equals(t)) throw new IllegalArgumentException("expected " + t + ", got " + n);
        }

        /** The format: one or more adjacent string literals. */
        String formatString() {
            StringBuilder s = new StringBuilder();
            if (!peek().startsWith("\"")) throw new IllegalArgumentException("no format string");
            while (peek().startsWith("\"")) s.append(next().substring(1));
            return s.toString();
        }

        boolean comma() {
            if (!peek().equals(",")) return false;
            at++;
            return true;
        }

        void end() {
            if (at != tokens.size()) throw new IllegalArgumentException("unexpected " + peek());
        }

        Expression expression() {
            Expression c = binary(0);
            if (peek().equals("?")) {
                at++;
                Expression yes = expression();
                expect(":");
                Expression no = expression();
                return new Conditional(c, yes, no);
            }
            return c;
        }

        private static final List<List<String>> LEVELS = List.of(List.of("||"), List.of("&&"), List.of("|"), List.of("^"),
                List.of("&"), List.of("==", "!="), List.of("<", ">", "<=", ">="), List.of("<<", ">>"), List.of("+", "-"),
                List.of("*", "/", "%"));

        private Expression binary(int level) {
            if (level == LEVELS.size()) return unary();
            Expression left = binary(level + 1);
            while (LEVELS.get(level).contains(peek())) {
                String op = next();
                Expression right = binary(level + 1);
                left = switch (op) {
                    case "||" -> new Logical(left, right, false);
                    case "&&" -> new Logical(left, right, true);
                    default -> new Binary(left, right, operator(op));
                };
            }
            return left;
        }

        private static Op operator(String op) {
            return switch (op) {
                case "|" -> (a, b) -> number(a) | number(b);
                case "^" -> (a, b) -> number(a) ^ number(b);
                case "&" -> (a, b) -> number(a) & number(b);
                case "==" -> (a, b) -> number(a) == number(b) ? 1L : 0L;
                case "!=" -> (a, b) -> number(a) != number(b) ? 1L : 0L;
                case "<" -> (a, b) -> number(a) < number(b) ? 1L : 0L;
                case ">" -> (a, b) -> number(a) > number(b) ? 1L : 0L;
                case "<=" -> (a, b) -> number(a) <= number(b) ? 1L : 0L;
                case ">=" -> (a, b) -> number(a) >= number(b) ? 1L : 0L;
                case "<<" -> (a, b) -> number(a) << number(b);
                case ">>" -> (a, b) -> number(a) >>> number(b);
                case "+" -> (a, b) -> number(a) + number(b);
                case "-" -> (a, b) -> number(a) - number(b);
                case "*" -> (a, b) -> number(a) * number(b);
                case "/" -> (a, b) -> { if (number(b) == 0) throw new IllegalArgumentException("division by 0"); return Long.divideUnsigned(number(a), number(b)); };
                default -> (a, b) -> { if (number(b) == 0) throw new IllegalArgumentException("division by 0"); return Long.remainderUnsigned(number(a), number(b)); };
            };
        }

        private Expression unary() {
            String t = peek();
            switch (t) {
                case "!": at++; { Expression e = unary(); return new Binary(e, new Constant(0L), operator("==")); }
                case "~": at++; { Expression e = unary(); return new Binary(e, new Constant(-1L), operator("^")); }
                case "-": at++; { Expression e = unary(); return new Binary(new Constant(0L), e, operator("-")); }
                case "+": at++; return unary();
                case "(":
                    if (isCast()) return cast();
                    at++;
                    Expression e = expression();
                    expect(")");
                    return e;
                default:
                    return primary();
            }
        }

        /** "(" type words and "*" ")": a cast. */
        private boolean isCast() {
            int i = 1;
            boolean any = false;
            for (; ; i++) {
                String t = peek(i);
                if (t.equals(")")) return any;
                if (t.equals("*")) continue;
                if (!TYPES.contains(t) && !t.startsWith("__") && !t.endsWith("_t")) return false;
                if (!t.matches("[A-Za-z_][A-Za-z0-9_]*") || peek(i + 1).equals("(")) return false;
                any = true;
            }
        }

        private Expression cast() {
            expect("(");
            List<String> words = new ArrayList<>();
            boolean pointer = false;
            while (!peek().equals(")")) {
                String w = next();
                if (w.equals("*")) pointer = true;
                else words.add(w);
            }
            at++;
            Expression inner = unary();
            if (pointer || words.contains("long") || words.stream().anyMatch(w -> w.matches("(__)?[us]64|size_t|ssize_t|loff_t|sector_t|gfp_t"))) {
                return new Cast(64, true, inner);
            }
            boolean unsigned = words.contains("unsigned") || words.stream().anyMatch(w -> w.matches("(__)?u\\d+|bool|dev_t"));
            int bits = words.contains("char") || words.stream().anyMatch(w -> w.matches("(__)?[us]8|bool")) ? 8
                    : words.contains("short") || words.stream().anyMatch(w -> w.matches("(__)?[us]16")) ? 16 : 32;
            return new Cast(bits, !unsigned, inner);
        }

        private Expression primary() {
            String t = next();
            if (t.startsWith("\"")) {
                StringBuilder s = new StringBuilder(t.substring(1));
                while (peek().startsWith("\"")) s.append(next().substring(1));
                return new Constant(s.toString());
            }
            if (Character.isDigit(t.charAt(0))) return new Constant(literal(t));
            if (t.equals("REC")) {
                expect("->");
                String name = next();
                if (peek().equals("[")) {
                    at++;
                    Expression index = expression();
                    expect("]");
                    return new Field(name, index);
                }
                return new Field(name, null);
            }
            if (t.equals("__get_str")) {
                expect("(");
                String name = next();
                expect(")");
                return new Field(name, null);
            }
            if (t.equals("__print_flags") || t.equals("__print_symbolic")) {
                expect("(");
                Expression value = expression();
                Expression delim = null;
                if (t.equals("__print_flags")) {
                    expect(",");
                    delim = expression();
                }
                List<Expression[]> table = new ArrayList<>();
                while (comma()) {
                    expect("{");
                    Expression v = expression();
                    expect(",");
                    Expression name = expression();
                    expect("}");
                    table.add(new Expression[] {v, name});
                }
                expect(")");
                return delim != null ? new Flags(value, delim, table) : new Symbolic(value, table);
            }
            throw new IllegalArgumentException("unsupported " + t);
        }

        private static Object literal(String t) {
            String n = t.replaceAll("[uUlL]+$", "");
            if (n.equals("0")) return 0L;
            // ((void *)0) as a name: the table's end
            if (n.startsWith("0x") || n.startsWith("0X")) return Long.parseUnsignedLong(n.substring(2), 16);
            if (n.startsWith("0")) return Long.parseUnsignedLong(n.substring(1), 8);
            return Long.parseUnsignedLong(n);
        }
    }
}
