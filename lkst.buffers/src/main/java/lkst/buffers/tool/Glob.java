package lkst.buffers.tool;

import java.util.regex.Pattern;

/** A shell-style pattern: {@code *} any characters, {@code ?} one, {@code [abc]}/{@code [a-z]} one of a set; the rest as is. */
final class Glob {
    private final String text;
    private final Pattern pattern;

    private Glob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** @throws CommandLine.Usage for a set that is no set ({@code [z-a]}) */
    static Glob of(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            int close;
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[' && (close = glob.indexOf(']', i + 2)) > 0) {
                String set = glob.substring(i + 1, close);
                boolean not = set.startsWith("!") || set.startsWith("^");
                re.append(not ? "[^" : "[").append(set.substring(not ? 1 : 0).replace("\\", "\\\\").replace("[", "\\[")
                        .replace("&&", "\\&\\&")).append(']');
                i = close;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return new Glob(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new CommandLine.Usage("bad pattern '" + Main.printable(glob) + "'");
        }
    }

    /** True when {@code glob} holds a wildcard. */
    static boolean isPattern(String glob) {
        return glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0 || glob.indexOf('[') >= 0;
    }

    boolean matches(String s) {
        return s != null && pattern.matcher(s).matches();
    }

    @Override
    public String toString() { return text; }
}
