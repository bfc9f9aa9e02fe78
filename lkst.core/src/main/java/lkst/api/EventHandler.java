package lkst.api;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An event handler: the code a maskset runs for an event. Register it as an OSGi service with the integer
 * property {@value #ID} (unique; 1–999 are reserved for the standard handlers, users take 1000 and up) and the
 * property {@value #NAME}. It is bound by ID the moment it registers and unbound the moment it goes.
 *
 * <p>{@link #handle} runs on the thread that produced the event (the firing JVM thread, or a CPU's kernel
 * reader), concurrently on several threads; it must not block and should not allocate. An exception is
 * caught, counted and logged; a handler that keeps throwing is quarantined.
 */
@ConsumerType
public interface EventHandler {
    String ID = "lkst.handler.id";
    String NAME = "lkst.handler.name";
    /** The standard handler {@code record}, which the built-in masksets bind: it records the event. */
    int RECORD_ID = 1;

    void handle(Event event, HandlerContext context);

    /** The handler's control parameters (LKST's control functions), set with {@code lkst:ctl}. */
    default List<Parameter> parameters() { return List.of(); }

    /**
     * A filter the kernel applies before a tracepoint's event leaves it, in ftrace's filter syntax
     * ({@code common_pid == 42 || common_pid == 43}), so that events this handler would drop cost least; or null.
     * Asked again after every change of the dispatch table (including {@code lkst:ctl} on this handler).
     */
    default String kernelFilter(EventType tracepoint) { return null; }
}
