package lkst.buffers.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An event's {@code print fmt} from its kernel format file: the printf format and its arguments, rendered as the
 * kernel renders them for this subset — conversions {@code %d %i %u %x %X %c %s %p %px %pS %ps} with flags, width,
 * precision and length ({@code h hh l ll z}), arguments {@code REC->field}, {@code REC->field[i]}, integer constants,
 * strings, C operators and casts, {@code __get_str}, {@code __print_flags} and {@code __print_symbolic}. A format
 * with anything else is not {@link #of parsed} (null): its events print as raw {@code field=value}.
 *
 * <p>{@code %p} prints as the kernel does with {@code options/hash-ptr} cleared (16 hex digits, as {@code %px});
 * {@code %pS} as symbol+offset/size from the trace's kallsyms ({@code %ps}: the symbol), or {@code 0x…} without it.
 */
final class PrintFormat {
    /** One piece of the format: literal text, or a conversion of one argument. */
    private record Piece(String text, Conversion conversion, Expression argument) {}

    /** %[flags][width][.precision][length]conv[pointer extension] */
    record Conversion(boolean left, boolean zero, boolean plus, boolean space, boolean alt, int width, int precision,
                      int bits, char conv, char pointer) {
        boolean isPointer() { return conv == 'p' || (conv == 'x' || conv == 'X') && bits == 64; }
    }

    private final List<Piece> pieces;
    /** Fields printed as pointers (%p, %pS, %ps, %lx): print --json gives them as hex strings. */
    private final List<String> pointerFields;

    private PrintFormat(List<Piece> pieces, List<String> pointerFields) {
        this.pieces = pieces;
        this.pointerFields = pointerFields;
    }

    List<String> pointerFields() { return pointerFields; }

    /** The print fmt line of a format file, parsed; null when it uses anything outside the subset. */
    static PrintFormat of(String formatFile) {
        if (formatFile == null) return null;
        int at = formatFile.indexOf("print fmt: ");
        if (at < 0) return null;
        String line = formatFile.substring(at + "print fmt: ".length());
        int nl = line.indexOf('\n');
        if (nl >= 0) line = line.substring(0, nl);
        try {
            Expression.Parser p = new Expression.Parser(line);
            String fmt = p.formatString();
            List<Expression> args = new ArrayList<>();
            while (p.comma()) args.add(p.expression());
            p.end();
            return build(fmt, args);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static PrintFormat build(String fmt, List<Expression> args) {
        List<Piece> pieces = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int arg = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                text.append(c);
                continue;
            }
            if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '%') {
                text.append('%');
                i++;
                continue;
            }
            int j = i + 1;
            boolean left = false, zero = false, plus = false, space = false, alt = false;
            for (; j < fmt.length(); j++) {
                char f = fmt.charAt(j);
                if (f == '-') left = true;
                else if (f == '0') zero = true;
                else if (f == '+') plus = true;
                else if (f == ' ') space = true;
                else if (f == '#') alt = true;
                else break;
            }
            int width = -1;
            for (; j < fmt.length() && Character.isDigit(fmt.charAt(j)); j++) width = Math.max(0, width) * 10 + fmt.charAt(j) - '0';
            int precision = -1;
            if (j < fmt.length() && fmt.charAt(j) == '.') {
                precision = 0;
                for (j++; j < fmt.length() && Character.isDigit(fmt.charAt(j)); j++) precision = precision * 10 + fmt.charAt(j) - '0';
            }
            int bits = 32;
            if (fmt.startsWith("hh", j)) { bits = 8; j += 2; }
            else if (fmt.startsWith("h", j)) { bits = 16; j++; }
            else if (fmt.startsWith("ll", j)) { bits = 64; j += 2; }
            else if (j < fmt.length() && "lzt".indexOf(fmt.charAt(j)) >= 0) { bits = 64; j++; }
            if (j >= fmt.length()) throw new IllegalArgumentException("format ends in a conversion");
            char conv = fmt.charAt(j);
            char pointer = 0;
            if (conv == 'p') {
                bits = 64;
                if (j + 1 < fmt.length() && Character.isLetterOrDigit(fmt.charAt(j + 1))) {
                    pointer = fmt.charAt(++j);
                    if ("Ssx".indexOf(pointer) < 0) throw new IllegalArgumentException("unsupported %p" + pointer);
                }
            } else if ("diuxXcs".indexOf(conv) < 0) {
                throw new IllegalArgumentException("unsupported conversion %" + conv);
            }
            if (arg >= args.size()) throw new IllegalArgumentException("fewer arguments than conversions");
            if (text.length() > 0) pieces.add(new Piece(text.toString(), null, null));
            text.setLength(0);
            Conversion cv = new Conversion(left, zero, plus, space, alt, width, precision, bits, conv, pointer);
            Expression e = args.get(arg++);
            if (cv.isPointer() && e.field() != null) pointers.add(e.field());
            pieces.add(new Piece(null, cv, e));
            i = j;
        }
        if (arg != args.size()) throw new IllegalArgumentException("more arguments than conversions");
        if (text.length() > 0) pieces.add(new Piece(text.toString(), null, null));
        return new PrintFormat(List.copyOf(pieces), List.copyOf(pointers));
    }

    /** The event's text as the kernel prints it after "event: "; null when a value cannot be rendered. */
    String render(Map<String, Object> fields, Kallsyms symbols) {
        StringBuilder s = new StringBuilder(96);
        try {
            for (Piece p : pieces) {
                if (p.text != null) s.append(p.text);
                else convert(s, p.conversion, p.argument.evaluate(fields), symbols);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return s.toString();
    }

    private static void convert(StringBuilder s, Conversion c, Object v, Kallsyms symbols) {
        String body;
        if (c.conv == 's') {
            body = v instanceof String t ? t : v == null ? "(null)" : null;
            if (body == null) throw new IllegalArgumentException("%s of a number");
            if (c.precision >= 0 && body.length() > c.precision) body = body.substring(0, c.precision);
            pad(s, body, c, false);
            return;
        }
        if (!(v instanceof Long)) throw new IllegalArgumentException("a number conversion of text");
        long n = (Long) v;
        switch (c.conv) {
            case 'p':
                if (c.pointer == 'S' || c.pointer == 's') {
                    body = symbols == null ? null : symbols.describe(n, c.pointer == 'S');
                    if (body == null) body = "0x" + Long.toHexString(n);
                    pad(s, body, c, false);
                } else {
                    String hex = Long.toHexString(n);
                    pad(s, "0000000000000000".substring(hex.length()) + hex, c, false);
                }
                return;
            case 'c':
                pad(s, String.valueOf((char) (n & 0xff)), c, false);
                return;
            case 'd': case 'i': {
                long x = signed(n, c.bits);
                String digits = Long.toString(Math.abs(x));
                if (x == Long.MIN_VALUE) digits = "9223372036854775808";
                String sign = x < 0 ? "-" : c.plus ? "+" : c.space ? " " : "";
                number(s, sign, digits, c);
                return;
            }
            case 'u':
                number(s, "", Long.toUnsignedString(unsigned(n, c.bits)), c);
                return;
            default: { // x X
                long x = unsigned(n, c.bits);
                String digits = Long.toHexString(x);
                if (c.conv == 'X') digits = digits.toUpperCase(java.util.Locale.ROOT);
                number(s, c.alt && x != 0 ? (c.conv == 'X' ? "0X" : "0x") : "", digits, c);
            }
        }
    }

    private static long signed(long n, int bits) {
        return bits == 64 ? n : (n << (64 - bits)) >> (64 - bits);
    }

    private static long unsigned(long n, int bits) {
        return bits == 64 ? n : n & ((1L << bits) - 1);
    }

    /** A number: precision as minimum digits, then width with zeros (after the sign) or spaces. */
    private static void number(StringBuilder s, String prefix, String digits, Conversion c) {
        if (c.precision >= 0) {
            if (c.precision == 0 && digits.equals("0")) digits = "";
            while (digits.length() < c.precision) digits = "0" + digits;
        }
        int len = prefix.length() + digits.length();
        if (c.width > len && !c.left && c.zero && c.precision < 0) {
            s.append(prefix).append("0".repeat(c.width - len)).append(digits);
        } else {
            pad(s, prefix + digits, c, true);
        }
    }

    private static void pad(StringBuilder s, String body, Conversion c, boolean numeric) {
        int fill = c.width - body.length();
        if (fill > 0 && !c.left) s.append(" ".repeat(fill));
        s.append(body);
        if (fill > 0 && c.left) s.append(" ".repeat(fill));
    }
}
