package lkst.hooks.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The inode of this process's pid namespace ({@code readlink /proc/self/ns/pid} is {@code pid:[4026531836]}): with
 * the pid it names this process uniquely among the processes that run on this kernel, whatever namespace each is in.
 * Where /proc does not tell it, a random number stands in (unique enough; liveness is never judged by the name).
 */
final class PidNamespace {
    private static final String ID = read();

    private PidNamespace() {}

    static String id() { return ID; }

    private static String read() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            String digits = link.replaceAll("\\D", "");
            if (!digits.isEmpty()) return digits;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // fall through
        }
        return Long.toString(ThreadLocalRandom.current().nextLong(1L << 32, 1L << 40));
    }
}
