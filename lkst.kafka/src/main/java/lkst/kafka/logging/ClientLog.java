package lkst.kafka.logging;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One Kafka client logger: warnings and errors become one line on standard error in LKST/J's log format
 * ({@code HH:mm:ss.SSS lkst WARN kafka NAME: message}); its INFO lines (a configuration dump per client) are left out
 * unless {@code -Dlkst.kafka.log.level=info}, and everything under {@code off}; debug and trace never.
 */
final class ClientLog extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final String LEVEL = System.getProperty("lkst.kafka.log.level", "warn");
    private static final boolean INFO = "info".equalsIgnoreCase(LEVEL);
    /** {@code off}: nothing (the fetch tool, which says in its own words what went wrong). */
    private static final boolean OFF = "off".equalsIgnoreCase(LEVEL);

    ClientLog(String name) {
        this.name = name;
    }

    @Override public boolean isTraceEnabled() { return false; }
    @Override public boolean isDebugEnabled() { return false; }
    @Override public boolean isInfoEnabled() { return INFO; }
    @Override public boolean isWarnEnabled() { return !OFF; }
    @Override public boolean isErrorEnabled() { return !OFF; }

    @Override
    protected String getFullyQualifiedCallerName() { return null; }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
        String text = MessageFormatter.basicArrayFormat(pattern, args);
        if (t != null) text += ": " + (t.getMessage() != null ? t.getMessage() + " (" + t.getClass().getSimpleName() + ")" : t.getClass().getSimpleName());
        String shortName = name.substring(name.lastIndexOf('.') + 1);
        System.err.println(LocalTime.now().format(TIME) + " lkst " + level + " kafka " + shortName + ": " + text);
    }
}
