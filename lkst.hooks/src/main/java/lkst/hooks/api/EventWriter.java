package lkst.hooks.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Fills one JVM event, field after field in declaration order, then fires it. Number fields take any integer
 * (stored at the field's declared size), string fields a String, bytes fields a byte[]. A value of the wrong kind
 * or a missing field throws {@link IllegalArgumentException} naming the field.
 */
@ProviderType
public interface EventWriter {
    EventWriter put(long value);

    EventWriter put(String value);

    EventWriter put(byte[] value);

    /** Dispatches the event through the active maskset to its handler, on this thread. */
    void fire();
}
