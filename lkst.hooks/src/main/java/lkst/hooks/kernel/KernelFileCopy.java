package lkst.hooks.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what the kernel says about a trace's events, verbatim, for the trace directory's {@code kernel/} folder
 * ({@link lkst.api.KernelFiles}): the format file of each tracepoint from the instance, {@code header_page} and
 * {@code header_event}, {@code saved_cmdlines} and {@code saved_tgids} from the top level of tracefs (the kernel keeps
 * them there only), {@code /proc/kallsyms} when its addresses are readable (not all zeros), and the architecture.
 */
final class KernelFileCopy {
    private KernelFileCopy() {}

    static Map<String, byte[]> read(Path root, TraceInstance instance, Collection<String> tracepoints) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("arch", (machine() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        copy(files, "events/header_page", instance.events().resolve("header_page"));
        copy(files, "events/header_event", instance.events().resolve("header_event"));
        for (String tp : tracepoints) {
            int colon = tp.indexOf(':');
            if (colon <= 0 || tp.indexOf('/') >= 0 || tp.contains("..")) continue;
            if (!instance.exists(tp)) continue;
            String path = "events/" + tp.substring(0, colon) + "/" + tp.substring(colon + 1) + "/format";
            copy(files, path, instance.dir().resolve(path));
        }
        copy(files, "saved_cmdlines", root.resolve("saved_cmdlines"));
        copy(files, "saved_tgids", root.resolve("saved_tgids"));
        Path kallsyms = Path.of("/proc/kallsyms");
        if (addressesShown(kallsyms)) copy(files, "kallsyms", kallsyms);
        return files;
    }

    /** uname -m, from the JVM's os.arch: amd64 → x86_64, aarch64 stays; others as the JVM names them. */
    private static String machine() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") ? "x86_64" : a;
    }

    private static void copy(Map<String, byte[]> files, String name, Path from) {
        try {
            files.put(name, Files.readAllBytes(from));
        } catch (IOException | SecurityException e) {
            // not readable here: left out, and the reader of the trace says what it lacks
        }
    }

    /** Whether kallsyms shows real addresses (kptr_restrict shows zeros to those who may not see them). */
    private static boolean addressesShown(Path kallsyms) {
        try (var lines = Files.lines(kallsyms)) {
            return lines.limit(16).anyMatch(l -> !l.startsWith("0000000000000000"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
