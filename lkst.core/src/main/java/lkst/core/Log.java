package lkst.core;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** One line per message on standard error: LKST/J's log. Kept tiny on purpose: no logging framework to deploy. */
public final class Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Log() {}

    /** Left out under {@code -Dlkst.log.level=warn} (what {@code ./lkst -c} sets: a successful run prints results only). */
    public static void info(String message) {
        if (!"warn".equalsIgnoreCase(System.getProperty(lkst.api.RuntimeProperties.LOG_LEVEL))) line("INFO", message);
    }

    public static void warn(String message) { line("WARN", message); }

    public static void error(String message, Throwable t) {
        line("ERROR", message + (t == null ? "" : ": " + describe(t)));
    }

    /** A fault as people read it: its message, then the kind of fault ("boom (IllegalStateException)"). */
    public static String describe(Throwable t) {
        String kind = t.getClass().getSimpleName();
        String message = t.getMessage();
        return message == null || message.isBlank() ? kind : message + " (" + kind + ")";
    }

    private static void line(String level, String message) {
        System.err.println(LocalTime.now().format(TIME) + " lkst " + level + " " + message);
    }
}
