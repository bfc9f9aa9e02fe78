package lkst.shell;

/** Parsing of the commands' numeric arguments: a bad one is refused with the command's own one-line message. */
final class Args {
    private Args() {}

    /** {@code text} as an integer of at least {@code min}, or an {@link IllegalArgumentException} saying {@code refusal}. */
    static long atLeast(String text, long min, String refusal) {
        try {
            long n = Long.parseLong(text.trim());
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // refused below, with the same message as an out-of-range number
        }
        throw new IllegalArgumentException(refusal);
    }

    static int intAtLeast(String text, int min, String refusal) {
        long n = atLeast(text, min, refusal);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException(refusal);
        return (int) n;
    }
}
