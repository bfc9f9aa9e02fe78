package lkst.hooks.kernel;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Where tracefs is and whether this process may use it. Also the small file helpers every tracefs write goes through:
 * a control file must be written in one {@code write()} so that the kernel sees the whole command.
 */
public final class Tracefs {
    public static final Path DEFAULT_ROOT = Path.of("/sys/kernel/tracing");
    static final String MOUNT_HINT = "mount -t tracefs nodev /sys/kernel/tracing";

    private Tracefs() {}

    /**
     * Null when tracefs at {@code root} can be used to create an instance, else why not and how to fix it, in one
     * sentence a user can act on.
     */
    public static String unusableReason(Path root) {
        if (!Files.isDirectory(root)) {
            return "kernel events unavailable: " + root + " does not exist (kernel without CONFIG_TRACING?)";
        }
        if (!Files.exists(root.resolve("events/header_page"))) {
            if (!Files.isReadable(root) || !isRoot()) {
                return "kernel events unavailable: tracefs at " + root + " is not readable by this user"
                        + " (uid " + uid() + "); run LKST/J as root";
            }
            return "kernel events unavailable: tracefs is not mounted at " + root + "; as root: " + MOUNT_HINT;
        }
        Path instances = root.resolve("instances");
        if (!Files.isDirectory(instances)) {
            return "kernel events unavailable: " + instances + " is missing (kernel too old for ftrace instances)";
        }
        if (!isRoot() && !Files.isWritable(instances)) {
            return "kernel events unavailable: not root (uid " + uid() + "); tracefs needs root: run LKST/J as root"
                    + " (e.g. sudo ./lkst ...)";
        }
        try {
            if (Files.getFileStore(root).isReadOnly()) {
                return "kernel events unavailable: tracefs at " + root + " is mounted read-only; as root: mount -o remount,rw "
                        + root;
            }
        } catch (IOException e) {
            return "kernel events unavailable: cannot inspect " + root + ": " + e;
        }
        return null;
    }

    static boolean isRoot() { return "0".equals(uid()); }

    private static String uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[1];
            }
        } catch (IOException e) {
            // fall through
        }
        return "?";
    }

    /**
     * Reads a tracefs file whole. Some (an event's filter) answer only the first read() of an open file, and tracefs
     * reports size 0, which makes Files.readString probe with a 1-byte read: so read in large chunks here.
     */
    static String read(Path file) throws IOException {
        try (InputStream in = new FileInputStream(file.toFile())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    /** Replaces the file's content (O_TRUNC): for switches such as enable, trace_clock, filter. */
    static void write(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Appends without truncating: truncating uprobe_events would delete every uprobe of every tool. */
    static void append(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** The errno text of a failed tracefs write ("Invalid argument"), for messages. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage();
    }
}
