package lkst.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One home, one owner. What a runtime writes under {@code $LKST_HOME/var/} — the flight recorder {@code var/trace}
 * (and {@code var/trace.old}, where the next owner moves it) and Configuration Admin's {@code var/config} — belongs
 * to the runtime that holds the lock on {@code var/lkst.lock} ({@link FileChannel#tryLock}; the kernel lets it go when
 * the process ends, even by {@code kill -9}, so a lock that can be taken is never a live runtime's).
 *
 * <p>A runtime that finds the lock taken (a {@code ./lkst -c} or {@code ./lkst record} beside an interactive
 * {@code ./lkst}, a common way of working) is a guest: it gets a private folder {@code var/run/<pid>-<random>/} with a
 * flight recorder of its own and a copy of {@code var/config} (so it sees the owner's masksets and handler parameters,
 * and its own changes are not saved), locked in the same way and removed at its end. A guest's folder whose lock can be
 * taken was left by a killed guest and is removed by the next runtime. No runtime moves, deletes or writes files
 * another live runtime writes.
 */
final class HomeLock implements AutoCloseable {
    static final String LOCK = "lkst.lock";

    private final Path home;
    private final FileChannel channel;
    /** null for the owner; the guest's private folder */
    private final Path guest;
    private final String owner;
    private boolean closed;

    private HomeLock(Path home, FileChannel channel, Path guest, String owner) {
        this.home = home;
        this.channel = channel;
        this.guest = guest;
        this.owner = owner;
    }

    /** Takes the home's lock, or, when another runtime holds it, makes this runtime a guest. */
    static HomeLock acquire(Path home) throws IOException {
        Path var = home.resolve("var");
        Files.createDirectories(var);
        removeAbandonedGuests(var.resolve("run"));
        FileChannel ch = FileChannel.open(var.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (tryLock(ch)) {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                return new HomeLock(home, ch, null, null);
            }
            String owner = new String(Files.readAllBytes(var.resolve(LOCK)), StandardCharsets.UTF_8).trim();
            ch.close();
            return guest(home, owner);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * A guest's folder is made under a hidden name, locked and filled, and only then given its name: a folder that
     * {@link #removeAbandonedGuests} looks at is always locked while its runtime lives.
     */
    private static HomeLock guest(Path home, String owner) throws IOException {
        Path run = home.resolve("var/run");
        Files.createDirectories(run);
        Path making = Files.createTempDirectory(run, ".");
        FileChannel ch = FileChannel.open(making.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (!tryLock(ch)) throw new IOException("cannot lock " + making.resolve(LOCK));
            Path config = home.resolve("var/config");
            if (Files.isDirectory(config)) copy(config, making.resolve("config"));
            Path named = run.resolve(ProcessHandle.current().pid() + "-" + making.getFileName().toString().substring(1));
            Files.move(making, named);
            return new HomeLock(home, ch, named, owner);
        } catch (IOException | RuntimeException e) {
            ch.close();
            delete(making.toFile());
            throw e;
        }
    }

    private static boolean tryLock(FileChannel ch) throws IOException {
        try {
            FileLock lock = ch.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException e) {
            return false; // held by this JVM already
        }
    }

    /** Removes the folders of guests that are gone: those whose lock can be taken. */
    private static void removeAbandonedGuests(Path run) throws IOException {
        if (!Files.isDirectory(run)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(run, p -> !p.getFileName().toString().startsWith("."))) {
            for (Path d : ds) {
                Path lock = d.resolve(LOCK);
                if (!Files.isRegularFile(lock)) continue; // not a guest's folder: not ours to judge
                try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
                    if (tryLock(ch)) delete(d.toFile());
                } catch (IOException e) {
                    // removed meanwhile by another runtime, or not ours to remove: left as it is
                }
            }
        }
    }

    boolean owner() { return guest == null; }

    /**
     * Framework properties of this run: Configuration Admin's folder, and for a guest its own flight recorder (a
     * trace directory given by the caller, as {@code record} does, still wins).
     */
    Map<String, String> properties() {
        Map<String, String> p = new HashMap<>();
        p.put("felix.cm.dir", (owner() ? home.resolve("var") : guest).resolve("config").toString());
        if (!owner()) p.put("lkst.trace.dir", guest.resolve("trace").toString());
        return p;
    }

    /** For a guest, the one line that tells the user why its trace and configuration changes are not kept. */
    String note() {
        if (owner()) return null;
        return "lkst: " + home + " is in use by another LKST/J" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                + ": this one keeps its flight recorder and configuration changes apart, in " + guest + ", removed when it ends";
    }

    /** Lets the home go (owner), or removes the guest's folder. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (guest != null) delete(guest.toFile());
            channel.close(); // releases the lock
        } catch (IOException e) {
            System.err.println("lkst: cannot release " + (guest != null ? guest : home.resolve("var").resolve(LOCK)) + ": " + e.getMessage());
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                try {
                    if (Files.isDirectory(p)) Files.createDirectories(t);
                    else Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                } catch (NoSuchFileException e) {
                    // the owner removed it meanwhile (a deleted configuration): not copied
                }
            }
        }
    }

    private static void delete(File f) {
        File[] children = f.listFiles();
        if (children != null) for (File c : children) delete(c);
        f.delete();
    }
}
