package lkst.shell;

import java.util.function.Supplier;

/**
 * A command's refusal as a person reads it. The interactive shell prints a failed command's exception with
 * {@code toString()}, which would start with the Java class name ({@code java.lang.IllegalArgumentException: …});
 * a refusal's is its message alone. {@code ./lkst -c} prints the message either way.
 */
final class Refusal extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private Refusal(String message, Throwable cause) {
        super(message, cause);
    }

    /** Runs a command; what it refuses (bad arguments, a state that does not allow it) comes out as a refusal. */
    static <T> T of(Supplier<T> command) {
        try {
            return command.get();
        } catch (Refusal r) {
            throw r;
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            String message = e.getMessage();
            throw new Refusal(message == null ? "failed (" + e.getClass().getSimpleName() + ")" : message, e);
        }
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
