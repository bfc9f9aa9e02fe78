package lkst.buffers.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Syscall names by number, per architecture: {@code syscalls-x86_64.txt} (from the kernel headers'
 * {@code asm/unistd_64.h}) and {@code syscalls-aarch64.txt} (the generic table, {@code asm-generic/unistd.h}); their
 * first lines say how they were made. A number it does not know prints as {@code syscall_N}.
 */
public final class SyscallNames {
    private static final Map<String, Map<Long, String>> TABLES = new java.util.concurrent.ConcurrentHashMap<>();

    private SyscallNames() {}

    /** The x86_64 name (the report's table, for traces that do not say their architecture). */
    static String of(long id) { return of("x86_64", id); }

    /** The name of syscall {@code id} on {@code arch} (uname -m), or {@code syscall_N}. */
    public static String of(String arch, long id) {
        String n = TABLES.computeIfAbsent(arch, SyscallNames::load).get(id);
        return n != null ? n : "syscall_" + id;
    }

    /** Whether names of {@code arch}'s syscalls are known. */
    public static boolean knows(String arch) { return !TABLES.computeIfAbsent(arch, SyscallNames::load).isEmpty(); }

    private static Map<Long, String> load(String arch) {
        Map<Long, String> m = new HashMap<>();
        if (!arch.matches("[a-z0-9_]+")) return m;
        try (InputStream in = SyscallNames.class.getResourceAsStream("syscalls-" + arch + ".txt")) {
            if (in == null) return m;
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String l; (l = r.readLine()) != null; ) {
                if (l.startsWith("#") || l.isBlank()) continue;
                String[] w = l.trim().split("\\s+");
                if (w.length == 2) m.put(Long.parseLong(w[0]), w[1]);
            }
        } catch (IOException | NumberFormatException e) {
            // names are a convenience: numbers print as syscall_N
        }
        return m;
    }
}
