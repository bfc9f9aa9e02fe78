package lkst.buffers.files;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Trace files are private to their owner: directories 0700, files 0600. */
public final class TraceFiles {
    private TraceFiles() {}

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    public static void ownerOnly(Path file) throws IOException {
        if (POSIX) Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** Creates the directory (and parents) and makes it 0700. */
    public static Path privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (POSIX) Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** Writes {@code content} to {@code file} atomically (temporary file, then rename), 0600. */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, content);
        ownerOnly(tmp);
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
