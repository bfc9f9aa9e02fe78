package lkst.buffers.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import lkst.buffers.files.IoErrors;
import lkst.buffers.files.TraceFiles;

/**
 * The {@value #NAME} folder of a trace directory (format version 2): what the kernel said when the trace was made,
 * verbatim — {@code arch} (uname -m), {@code events/header_page}, {@code events/header_event}, each traced event's
 * {@code events/SYSTEM/EVENT/format}, and where they were readable {@code kallsyms}, {@code saved_cmdlines} and
 * {@code saved_tgids}. Written only here ({@link #write}) and read only through {@link #read}; a trace without it
 * (version 1, or a machine without tracefs) reads as one whose kernel said nothing.
 */
public final class KernelFolder {
    public static final String NAME = "kernel";

    private final Path dir;

    private KernelFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Replaces {@code traceDir/kernel} with {@code files} (path in the folder → content): written beside it first,
     * then moved into place, so that a reader sees the old folder or the new one. Nothing when {@code files} is empty.
     */
    public static void write(Path traceDir, Map<String, byte[]> files) {
        if (files.isEmpty()) return;
        Path target = traceDir.resolve(NAME);
        Path tmp = traceDir.resolve(NAME + ".tmp");
        try {
            delete(tmp);
            TraceFiles.privateDirectory(tmp);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path p = tmp.resolve(f.getKey()).normalize();
                if (!p.startsWith(tmp) || p.equals(tmp)) throw new IllegalArgumentException("bad kernel file name " + f.getKey());
                TraceFiles.privateDirectory(p.getParent());
                Files.write(p, f.getValue());
                TraceFiles.ownerOnly(p);
            }
            delete(target);
            Files.move(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + IoErrors.text(e), e);
        }
    }

    /** Copies {@code from}'s kernel folder, if it has one, into {@code to} (recovery keeps it). */
    public static void copy(Path from, Path to) {
        Path src = from.resolve(NAME);
        if (!Files.isDirectory(src)) return;
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) files.put(src.relativize(p).toString(), Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + src + ": " + IoErrors.text(e), e);
        }
        write(to, files);
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    /** The kernel folder of {@code traceDir}; one that is absent reads as empty. */
    public static KernelFolder read(Path traceDir) {
        return new KernelFolder(traceDir.resolve(NAME));
    }

    /** Whether the trace has a kernel folder at all. */
    public boolean exists() { return Files.isDirectory(dir); }

    /** The file's text, or null when the trace lacks it. */
    public String text(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(name) + ": " + IoErrors.text(e), e);
        }
    }

    /** The machine the trace was made on ({@code uname -m}: x86_64, aarch64 …), or null. */
    public String arch() {
        String a = text("arch");
        return a == null ? null : a.trim();
    }

    /** The format file of tracepoint {@code system:event}, or null. */
    public String format(String tracepoint) {
        int colon = tracepoint.indexOf(':');
        if (colon <= 0 || tracepoint.indexOf('/') >= 0 || tracepoint.contains("..")) return null;
        return text("events/" + tracepoint.substring(0, colon) + "/" + tracepoint.substring(colon + 1) + "/format");
    }

    public String headerPage() { return text("events/header_page"); }

    public String headerEvent() { return text("events/header_event"); }

    /** {@code /proc/kallsyms} of the recording machine, or null. */
    public Path kallsyms() {
        Path p = dir.resolve("kallsyms");
        return Files.isRegularFile(p) ? p : null;
    }

    public String savedCmdlines() { return text("saved_cmdlines"); }

    public String savedTgids() { return text("saved_tgids"); }
}
