package lkst.buffers.trace;

import java.nio.file.Path;

/**
 * The names of a trace directory's neighbours: one suffix per kind, appended to the directory's name, used alike by
 * the runtime, {@code record} and the tools (README.md's glossary).
 */
public final class TraceDirectory {
    private TraceDirectory() {}

    /** The trace of the run before, moved aside so that it can still be read or recovered ({@code var/trace.old}, {@code DIR.old}). */
    public static final String OLD = ".old";
    /** {@code record}'s buffer files, which its logger drains into DIR ({@code DIR.buffers}). */
    public static final String BUFFERS = ".buffers";
    /** {@code recover}'s default output. */
    public static final String RECOVERED = ".recovered";
    /** {@code ctf}'s default output. */
    public static final String CTF = ".ctf";

    /** {@code dir} with {@code suffix} appended to its name, beside it. */
    public static Path sibling(Path dir, String suffix) {
        Path abs = dir.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + suffix);
    }
}
