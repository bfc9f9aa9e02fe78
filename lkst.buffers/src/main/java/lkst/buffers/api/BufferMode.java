package lkst.buffers.api;

/** What a buffer with no next buffer does when it is full. */
public enum BufferMode {
    /** flight recorder: wraps around and overwrites its oldest records */
    OVERWRITE,
    /** refuses new records (each one counted as lost) until the logger has drained space */
    DISCARD;

    public static BufferMode parse(String s) {
        for (BufferMode m : values()) if (m.name().equalsIgnoreCase(s)) return m;
        throw new IllegalArgumentException("unknown buffer mode '" + s + "' (expected overwrite or discard)");
    }

    @Override
    public String toString() { return name().toLowerCase(); }
}
