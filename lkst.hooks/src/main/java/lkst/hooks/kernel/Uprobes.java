package lkst.hooks.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User-space probes (LKST's "free hook points") through the kernel's global {@code uprobe_events}. LKST/J puts its
 * probes in the group {@code lkstj_<pid>} so that they are told apart from other tools' and reclaimed when the
 * process that made them is gone. The file is only ever appended to: truncating it would delete every uprobe.
 */
public final class Uprobes {
    public static final String GROUP_PREFIX = "lkstj_";
    private static final Pattern OURS = Pattern.compile("[pr]:" + GROUP_PREFIX + "(\\d+)/(\\S+)\\s.*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Logger LOG = Logger.getLogger(Uprobes.class.getName());
    static final String NO_KPROBES = "kernel probes (kprobes) are not available: this kernel is built without "
            + "CONFIG_KPROBES, so kernel functions cannot be probed. Use a tracepoint (lkst:events lists them; "
            + "any 'subsystem:name' of available_events can be added) or a uprobe on a user-space program "
            + "(NAME /path/to/program:SYMBOL)";

    private final Path root;
    private final String group;

    public Uprobes(Path root) {
        this.root = root;
        this.group = GROUP_PREFIX + ProcessHandle.current().pid();
    }

    /** The kernel event group of this process's uprobes. */
    public String group() { return group; }

    public boolean supported() { return Files.exists(root.resolve("uprobe_events")); }

    public static boolean kprobesSupported(Path root) { return Files.exists(root.resolve("kprobe_events")); }

    /** Returns {@code name} when it can name a probe (letters, digits and _, at most 64), else throws saying so. */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches() || name.length() > 64) {
            throw new IllegalArgumentException("bad probe name '" + name + "' (letters, digits and _, at most 64)");
        }
        return name;
    }

    /** A parsed {@code NAME PATH:SYMBOL [fetchargs]}. */
    public record Spec(String name, Path path, String symbol, long offset, String fetchargs) {
        /** The line for uprobe_events. */
        String definition(String group) {
            return "p:" + group + "/" + name + " " + path + ":0x" + Long.toHexString(offset)
                    + (fetchargs.isEmpty() ? "" : " " + fetchargs);
        }
    }

    /**
     * Parses {@code NAME PATH:SYMBOL [fetchargs]} (SYMBOL may also be a 0x file offset) and finds the offset in the
     * ELF file. A target that is not a file path is taken as a kernel function: refused with why.
     */
    public Spec parse(String spec) throws IOException {
        String[] parts = spec.trim().split("\\s+", 3);
        if (parts.length < 2) {
            throw new IllegalArgumentException("bad probe '" + spec + "' (expected NAME PATH:SYMBOL [fetchargs], e.g. "
                    + "mymalloc /lib/x86_64-linux-gnu/libc.so.6:malloc size=%di:u64)");
        }
        String name = checkName(parts[0]);
        String target = parts[1];
        int colon = target.lastIndexOf(':');
        if (!target.startsWith("/") || colon < 0) {
            if (!kprobesSupported(root)) throw new IllegalArgumentException(NO_KPROBES);
            throw new IllegalArgumentException("bad probe target '" + target + "' (expected /absolute/path:SYMBOL)");
        }
        Path path = Path.of(target.substring(0, colon));
        String symbol = target.substring(colon + 1);
        if (!Files.isRegularFile(path)) throw new IllegalArgumentException("no file " + path + " for probe " + name);
        long offset;
        if (symbol.matches("0[xX][0-9a-fA-F]+")) offset = Long.parseLong(symbol.substring(2), 16);
        else if (symbol.matches("[A-Za-z_][A-Za-z0-9_.@]*")) offset = ElfSymbols.offsetOf(path, symbol);
        else throw new IllegalArgumentException("bad symbol '" + symbol + "' in probe " + name);
        return new Spec(name, path, symbol, offset, parts.length > 2 ? parts[2].trim() : "");
    }

    /** Defines the uprobe in the kernel; throws with the kernel's own message when refused. */
    public void add(Spec spec) throws IOException {
        if (!supported()) throw new IllegalArgumentException("uprobes are not available: this kernel has no uprobe_events (CONFIG_UPROBE_EVENTS)");
        String def = spec.definition(group);
        try {
            Tracefs.append(root.resolve("uprobe_events"), def + "\n");
        } catch (IOException e) {
            throw new IllegalArgumentException("kernel refused uprobe '" + def + "': " + lastError(e));
        }
    }

    /** Deletes this process's uprobe NAME (it must be disabled in every instance first). */
    public void remove(String name) throws IOException {
        try {
            Tracefs.append(root.resolve("uprobe_events"), "-:" + group + "/" + name + "\n");
        } catch (IOException e) {
            throw new IllegalArgumentException("kernel refused to remove uprobe " + group + "/" + name + ": " + lastError(e));
        }
    }

    /** Removes uprobes of LKST/J processes that are gone; run after their instances were reclaimed. */
    public List<String> reclaim() {
        List<String> removed = new ArrayList<>();
        if (!supported()) return removed;
        try {
            for (String line : Tracefs.lines(root.resolve("uprobe_events"))) {
                Matcher m = OURS.matcher(line);
                if (!m.matches() || ProcessHandle.of(Long.parseLong(m.group(1))).isPresent()) continue;
                String probe = GROUP_PREFIX + m.group(1) + "/" + m.group(2);
                try {
                    Tracefs.append(root.resolve("uprobe_events"), "-:" + probe + "\n");
                    removed.add(probe);
                    LOG.info("removed uprobe " + probe + " left behind by dead LKST/J process " + m.group(1));
                } catch (IOException e) {
                    LOG.warning("cannot remove stale uprobe " + probe + ": " + Tracefs.reason(e));
                }
            }
        } catch (IOException e) {
            LOG.warning("cannot read uprobe_events: " + e);
        }
        return removed;
    }

    /** The top-level error_log's last entry (the kernel keeps probe parse errors there), else the errno text. */
    private String lastError(IOException e) {
        try {
            String log = Tracefs.read(root.resolve("error_log")).strip();
            int last = log.lastIndexOf("\n[");
            String entry = last >= 0 ? log.substring(last + 1) : log;
            if (!entry.isEmpty()) return entry.replaceAll("^\\[\\s*[0-9.]+\\]\\s*", "").replaceAll("\n\\s*", " | ");
        } catch (IOException ignored) {
            // fall through
        }
        return Tracefs.reason(e);
    }
}
