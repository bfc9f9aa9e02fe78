package lkst.hooks.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User-space probes (LKST's "free hook points") through the kernel's global {@code uprobe_events}. The file is only
 * ever appended to: truncating it would delete every uprobe.
 *
 * <p><b>Whose probe, and is its owner alive?</b> LKST/J puts its probes in a group named after its ftrace instance
 * ({@code lkstj-123-4026531836-1} → group {@code lkstj_123_4026531836_1}), so that they are told apart from other
 * tools' and from other LKST/J runtimes', in any pid namespace. The kernel protects an enabled uprobe (it refuses to
 * delete it) but not one that is defined and disabled, e.g. while tracing is stopped, so the probe needs a proof of
 * liveness of its own. It borrows its instance's: the instance stays until its runtime ends, as the kernel refuses to
 * remove an instance one of whose files is open (see {@link TraceInstance}); a group whose instance is gone, once
 * {@link TraceInstance#reclaim} ran, is abandoned. A lock file (in /run or /dev/shm) was the other choice; it is not
 * taken because two runtimes on one kernel need not share /run or /dev/shm (containers), while they do share tracefs,
 * and because a lock file is one more thing a killed runtime leaves behind.
 */
public final class Uprobes {
    public static final String GROUP_PREFIX = "lkstj_";
    private static final Pattern OURS = Pattern.compile("[pr]:(" + GROUP_PREFIX + "[0-9_]+)/(\\S+)\\s.*");
    /** The group of an LKST/J before groups were named after instances: {@code lkstj_<pid>}. */
    private static final Pattern BY_PID = Pattern.compile(GROUP_PREFIX + "(\\d+)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final String NO_KPROBES = "kernel probes (kprobes) are not available: this kernel is built without "
            + "CONFIG_KPROBES, so kernel functions cannot be probed. Use a tracepoint (lkst:events lists them; "
            + "any 'subsystem:name' of available_events can be added) or a uprobe on a user-space program "
            + "(NAME /path/to/program:SYMBOL)";

    private final Path root;
    private final String group;

    /** The uprobes of the runtime whose ftrace instance is {@code instance}. */
    public Uprobes(Path root, String instance) {
        this.root = root;
        this.group = groupOf(instance);
    }

    /** The uprobe group of an instance: its name with {@code _} for {@code -} (a group name has no dashes). */
    public static String groupOf(String instance) { return instance.replace('-', '_'); }

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

    /**
     * Deletes this process's uprobe NAME (it must be disabled in every instance first). One already gone is not an
     * error: once this runtime's instance is removed at its end, another runtime starting may reclaim it first.
     */
    public void remove(String name) throws IOException {
        try {
            Tracefs.append(root.resolve("uprobe_events"), "-:" + group + "/" + name + "\n");
        } catch (IOException e) {
            if (!Tracefs.read(root.resolve("uprobe_events")).contains(":" + group + "/" + name + " ")) return;
            throw new IllegalArgumentException("kernel refused to remove uprobe " + group + "/" + name + ": " + lastError(e));
        }
    }

    /**
     * Removes the uprobes of abandoned LKST/J runtimes: those whose group's instance is gone. Run after
     * {@link TraceInstance#reclaim}, which removed the abandoned instances.
     */
    public List<String> reclaim() {
        List<String> removed = new ArrayList<>();
        if (!supported()) return removed;
        try {
            for (String line : Tracefs.lines(root.resolve("uprobe_events"))) {
                Matcher m = OURS.matcher(line);
                if (!m.matches() || alive(m.group(1))) continue;
                String probe = m.group(1) + "/" + m.group(2);
                try {
                    Tracefs.append(root.resolve("uprobe_events"), "-:" + probe + "\n");
                    removed.add(probe);
                    Log.info("removed uprobe " + probe + ", left behind by an LKST/J that is gone");
                } catch (IOException e) {
                    Log.warn("cannot remove stale uprobe " + probe + ": " + Tracefs.reason(e));
                }
            }
        } catch (IOException e) {
            Log.warn("cannot read uprobe_events: " + e);
        }
        return removed;
    }

    private boolean alive(String group) {
        Matcher byPid = BY_PID.matcher(group);
        if (byPid.matches()) return ProcessHandle.of(Long.parseLong(byPid.group(1))).isPresent(); // the old rule
        return Files.exists(root.resolve("instances").resolve(group.replace('_', '-')));
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
