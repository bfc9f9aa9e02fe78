package lkst.api;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One event while it is being dispatched: a flyweight view that the source reuses for the next event.
 * A handler must not keep it after {@code handle} returns; it copies what it needs.
 */
@ConsumerType
public interface Event {
    EventType type();

    /** CPU the event is recorded under. */
    int cpu();

    /** CLOCK_MONOTONIC nanoseconds: System.nanoTime() for JVM events, the instance's mono clock for kernel ones. */
    long timestamp();

    /** Process (thread group) ID, or -1 when not known. */
    int pid();

    /** Thread ID as the kernel knows it, or -1 when not known. */
    int tid();

    /** The numeric value of field {@code index} of {@link #type()}; sign-extended for signed types. */
    long number(int index);

    /** The text of a string field, or a number field in decimal. Allocates: not for hot paths. */
    String text(int index);

    /** Length of the raw payload in bytes. */
    int payloadLength();

    /**
     * The raw payload: {@link #payloadLength()} bytes of this buffer from absolute index {@link #payloadOffset()},
     * little-endian, laid out as {@link Field} says. Like the event, valid only while it is dispatched; read it,
     * never write to it or move its position. A recorder copies it from here as it is.
     */
    ByteBuffer payload();

    /** Where the payload starts in {@link #payload()}. */
    int payloadOffset();
}
