package lkst.buffers.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * x86_64 syscall names by number, from {@code syscalls-x86_64.txt} (generated from the kernel headers'
 * {@code asm/unistd_64.h}; its first lines say how). A number it does not know prints as {@code syscall_N}.
 */
final class SyscallNames {
    private static final Map<Long, String> NAMES = load();

    private SyscallNames() {}

    static String of(long id) {
        String n = NAMES.get(id);
        return n != null ? n : "syscall_" + id;
    }

    private static Map<Long, String> load() {
        Map<Long, String> m = new HashMap<>();
        try (InputStream in = SyscallNames.class.getResourceAsStream("syscalls-x86_64.txt")) {
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
