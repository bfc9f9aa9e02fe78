package lkst.runtime;

/**
 * A run refused before it changed anything: one line for the user and the exit status, as a shell would give it
 * (2 for a usage error, 126 for a command that cannot be run, 127 for one that is not found, else 1).
 */
final class Refused extends RuntimeException {
    static final int USAGE = 2;

    final int exit;

    Refused(int exit, String message) {
        super(message, null, false, false);
        this.exit = exit;
    }

    static Refused usage(String message) { return new Refused(USAGE, message); }
}
