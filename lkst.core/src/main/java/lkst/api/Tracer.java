package lkst.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The control plane: the event catalog, the masksets, the handlers and their parameters. Every method that
 * changes something either succeeds completely or throws {@link IllegalArgumentException} with one clear message
 * and changes nothing.
 */
@ProviderType
public interface Tracer {
    /** Configuration PID under which masksets and the active maskset persist. */
    String MASKSETS_PID = "lkst.masksets";

    TracerStatus status();

    /** Resumes dispatch under the active maskset. */
    void start();

    /**
     * Stops dispatch: first every {@link Drainable} source delivers what it holds (the kernel's buffers), then every
     * hook point is disabled; the active maskset stays selected.
     */
    void stop();

    // --- catalog
    List<EventType> events();

    /** The event named, or throws. */
    EventType event(String name);

    /**
     * Adds an event type at run time. Declaring the same name with the same schema again returns the existing type;
     * with another schema it throws.
     */
    EventType declare(String name, String category, EventSource source, List<String> groups, List<Field> fields);

    /** Marks an event unavailable (with the reason) or available again (reason null). */
    EventType availability(String name, String unavailable);

    // --- masksets
    List<MasksetInfo> masksets();

    MasksetInfo maskset(String name);

    MasksetInfo create(String name);

    MasksetInfo copy(String from, String to);

    /** Binds {@code event} to {@code handlerId} in maskset {@code name}; the ID need not be bound to a handler yet. */
    MasksetInfo set(String name, String event, int handlerId);

    MasksetInfo unset(String name, String event);

    /** Switches every event atomically to maskset {@code name}. */
    MasksetInfo select(String name);

    void delete(String name);

    // --- handlers
    List<HandlerInfo> handlers();

    /** Sets a handler's control parameter, found by handler ID or name. */
    HandlerInfo ctl(String handler, String parameter, String value);

    /** Brings a quarantined handler back. */
    HandlerInfo release(String handler);
}
