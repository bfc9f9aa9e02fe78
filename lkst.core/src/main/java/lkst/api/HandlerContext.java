package lkst.api;

import org.osgi.annotation.versioning.ProviderType;

/** What a handler knows about the dispatch it runs in. */
@ProviderType
public interface HandlerContext {
    /** The maskset this event is handled under. Every event is handled under exactly one. */
    String maskset();

    /** Generation of the dispatch table: changes on every maskset switch or handler (un)binding. */
    long generation();
}
