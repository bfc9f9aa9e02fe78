package lkst.api;

/** Where events of a type come from. */
public enum EventSource {
    /** a tracepoint of the running kernel, read from its per-CPU ring buffers */
    KERNEL,
    /** a uprobe placed in a user-space program */
    UPROBE,
    /** a hook point fired inside this JVM */
    JVM;

    @Override
    public String toString() { return name().toLowerCase(); }
}
