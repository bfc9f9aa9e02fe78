package lkst.hooks.kernel;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * One line per message on standard error, in the format of the core's log ({@code 10:56:26.123 lkst WARN …}); a
 * fault is described in the line, never as a stack trace. INFO lines are left out under {@code -Dlkst.log.level=warn}
 * (what {@code ./lkst -c} sets).
 */
final class Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Log() {}

    static void info(String message) {
        if (!"warn".equalsIgnoreCase(System.getProperty(lkst.api.RuntimeProperties.LOG_LEVEL))) line("INFO", message);
    }

    static void warn(String message) { line("WARN", message); }

    static void warn(String message, Throwable t) { line("WARN", message + ": " + describe(t)); }

    static void error(String message) { line("ERROR", message); }

    static void error(String message, Throwable t) { line("ERROR", message + ": " + describe(t)); }

    private static String describe(Throwable t) {
        String kind = t.getClass().getSimpleName();
        String message = t.getMessage();
        return message == null || message.isBlank() ? kind : message + " (" + kind + ")";
    }

    private static void line(String level, String message) {
        System.err.println(LocalTime.now().format(TIME) + " lkst " + level + " " + message);
    }
}
