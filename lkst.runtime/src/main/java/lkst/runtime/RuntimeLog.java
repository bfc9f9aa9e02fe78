package lkst.runtime;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The runtime's own log when nobody watches it (./lkst -c, ./lkst record): what the framework, its components and
 * LKST/J's sources print on standard error goes to {@code $LKST_HOME/var/log/lkst.log} instead of the terminal,
 * which keeps only the answers and one line per failure. The file keeps the last runs (cut at 1 MiB).
 */
final class RuntimeLog {
    static final String FILE = "var/log/lkst.log";
    private static final long KEEP = 1 << 20;
    /** Standard error as the launcher found it: the user's terminal, also once the rest is diverted. */
    private static final PrintStream TERMINAL = System.err;

    private RuntimeLog() {}

    /**
     * A line the user must see whatever is diverted — the launcher's own notices (the home is in use, a deleted
     * configuration file no longer applies) — on the terminal, and in the log when there is one.
     */
    static void notice(String line) {
        TERMINAL.println(line);
        if (System.err != TERMINAL) System.err.println(line);
    }

    /** Sends standard error to the log file; returns the terminal's stream, for the launcher's own lines. */
    static PrintStream divert(Path home) {
        PrintStream terminal = System.err;
        try {
            Path file = home.resolve(FILE);
            Files.createDirectories(file.getParent());
            boolean append = !Files.exists(file) || Files.size(file) < KEEP;
            System.setErr(new PrintStream(new FileOutputStream(file.toFile(), append), true));
        } catch (IOException | SecurityException e) {
            // no log file: the runtime's messages stay on the terminal
        }
        return terminal;
    }
}
