package lkst.buffers.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import lkst.buffers.files.IoErrors;
import lkst.buffers.files.TraceFiles;
import lkst.buffers.trace.TraceMetadata;

/**
 * Where {@code recover} and {@code ctf} write: a directory that does not exist yet, or an empty one. Claiming it
 * creates it (0700); a command that fails before it finishes {@link #discard}s what it wrote there, so a failed
 * command leaves nothing behind.
 */
final class OutputDir {
    final Path path;
    private final boolean existed;

    private OutputDir(Path path, boolean existed) {
        this.path = path;
        this.existed = existed;
    }

    /** @throws CommandLine.Usage when {@code out} holds something or cannot be created */
    static OutputDir claim(Path out) {
        boolean existed = Files.exists(out);
        if (existed) {
            if (!Files.isDirectory(out)) throw new CommandLine.Usage(out + " exists and is not a directory: choose another output (-o)");
            if (Files.exists(out.resolve(TraceMetadata.FILE))) throw new CommandLine.Usage(out + " already holds a trace: choose another output directory (-o)");
            if (!empty(out)) throw new CommandLine.Usage(out + " exists and is not an empty directory: choose another output (-o)");
        }
        try {
            TraceFiles.privateDirectory(out);
        } catch (IOException e) {
            throw new CommandLine.Usage("cannot create " + out + ": " + IoErrors.text(e));
        }
        return new OutputDir(out, existed);
    }

    private static boolean empty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new CommandLine.Usage("cannot read " + dir + ": " + IoErrors.text(e));
        }
    }

    /** Removes what the command wrote: the directory too when it created it. Best effort: it is already failing. */
    void discard() {
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(path) || !existed) Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // what remains is named by the error the command reports
        }
    }
}
