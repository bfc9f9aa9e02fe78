package lkst.hooks.api;

import lkst.api.Field;
import org.osgi.annotation.versioning.ProviderType;

/** The JVM hook-point service. */
@ProviderType
public interface Hooks {
    /**
     * Declares a JVM event type and returns its hook point. Declaring the same name with the same fields again
     * returns the same hook point; with other fields it throws {@link IllegalArgumentException}.
     */
    HookPoint declare(String name, String category, Field... fields);

    /** The hook point of a declared JVM event, or throws {@link IllegalArgumentException}. */
    HookPoint hook(String name);
}
