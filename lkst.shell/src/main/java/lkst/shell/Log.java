package lkst.shell;

/** One line on standard error, in the format of the core's log. */
final class Log {
    private Log() {}

    static void warn(String message) {
        System.err.println(java.time.LocalTime.now() + " lkst WARN " + message);
    }
}
