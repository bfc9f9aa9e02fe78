package lkst.hooks.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import lkst.api.StatusSource;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Tracepoints and uprobes added at run time outlive the run, so that a saved maskset that binds one finds it at the
 * next start: each addition is saved in Configuration Admin ({@value #PID}) and re-added when the kernel bridge
 * starts. What cannot come back says so in one line of {@code lkst:status} (and stays saved until added again): a
 * tracepoint this kernel lacks, a program gone, or a program rebuilt since — a uprobe is saved as
 * {@code NAME PATH:SYMBOL [fetchargs]} with the file's GNU build-id, its offset found again in the file at start, and
 * refused when the build-id changed (the symbol may now be elsewhere, or mean something else).
 *
 * <p>Properties: {@code tracepoints} ("subsystem:name" each), {@code uprobes} ("NAME PATH:SYMBOL [fetchargs]" each),
 * {@code uprobe.NAME.buildid} (hex; empty when the file has none).
 */
@Component(service = StatusSource.class, immediate = true)
public final class SavedProbes implements StatusSource {
    public static final String PID = "lkst.probes";

    private final KernelBridge kernel;
    private final ConfigurationAdmin cm;
    private final Runnable listener = this::save;
    /** build-id of each uprobe's file as it was when the uprobe was added, by uprobe name ("" for none) */
    private final Map<String, String> buildIds = new LinkedHashMap<>();
    /** build-id saved with each uprobe not re-added, by uprobe name */
    private final Map<String, String> keptBuildIds = new LinkedHashMap<>();
    /** saved entries not re-added, kept saved: tracepoint or uprobe line → why */
    private volatile Map<String, String> notReAdded = Map.of();
    private volatile List<String> reAdded = List.of();

    @Activate
    public SavedProbes(@Reference KernelBridge kernel, @Reference ConfigurationAdmin cm) {
        this.kernel = kernel;
        this.cm = cm;
        Dictionary<String, Object> saved = null;
        try {
            saved = cm.getConfiguration(PID, null).getProperties();
        } catch (IOException e) {
            Log.warn("cannot read the saved tracepoints and uprobes (" + PID + "): " + e.getMessage());
        }
        if (saved != null) restore(saved);
        kernel.addAdditionListener(listener);
    }

    private void restore(Dictionary<String, Object> saved) {
        Map<String, String> refused = new LinkedHashMap<>();
        List<String> added = new ArrayList<>();
        for (String tp : strings(saved.get("tracepoints"))) {
            try {
                if (!kernel.available()) throw new IllegalArgumentException(kernel.unavailable());
                kernel.addTracepoint(tp);
                added.add(tp);
            } catch (IllegalArgumentException | IllegalStateException e) {
                refused.put("tracepoint " + tp, e.getMessage());
            }
        }
        for (String line : strings(saved.get("uprobes"))) {
            String name = line.split("\\s+", 2)[0];
            Object savedId = saved.get("uprobe." + name + ".buildid");
            String buildId = savedId == null ? "" : String.valueOf(savedId);
            try {
                if (!kernel.available()) throw new IllegalArgumentException(kernel.unavailable());
                Path file = file(line);
                if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + " is gone");
                String now = buildId(file);
                if (!now.equals(buildId)) {
                    throw new IllegalArgumentException(file + " changed since the uprobe was added (build-id "
                            + (now.isEmpty() ? "none" : now) + ", saved with " + (buildId.isEmpty() ? "none" : buildId)
                            + "); lkst:probe add it again to probe the program as it is now");
                }
                buildIds.put(name, buildId); // before addUprobe: the save it triggers keeps this build-id
                kernel.addUprobe(line);
                added.add("uprobes:" + name);
            } catch (IllegalArgumentException | IllegalStateException | IOException e) {
                refused.put("uprobe " + line, e.getMessage());
                buildIds.remove(name);
                keptBuildIds.put(name, buildId); // kept saved as it was
            }
        }
        refused.forEach((what, why) -> Log.warn("saved " + what + " not re-added: " + why));
        notReAdded = Map.copyOf(refused);
        reAdded = List.copyOf(added);
    }

    /** Saves what the bridge added at run time, and the saved entries not re-added. */
    private synchronized void save() {
        List<String> tracepoints = new ArrayList<>(kernel.addedTracepoints());
        List<String> uprobes = new ArrayList<>();
        Hashtable<String, Object> d = new Hashtable<>();
        Map<String, Uprobes.Spec> specs = kernel.addedUprobes();
        for (Uprobes.Spec s : specs.values()) {
            uprobes.add(s.name() + " " + s.path() + ":" + s.symbol() + (s.fetchargs().isEmpty() ? "" : " " + s.fetchargs()));
            String id = buildIds.computeIfAbsent(s.name(), n -> {
                try {
                    return buildId(s.path());
                } catch (IOException | RuntimeException e) {
                    return "";
                }
            });
            d.put("uprobe." + s.name() + ".buildid", id);
        }
        Map<String, String> kept = new LinkedHashMap<>();
        notReAdded.forEach((what, why) -> {
            String entry = what.substring(what.indexOf(' ') + 1);
            String name = entry.split("\\s+", 2)[0];
            if (what.startsWith("tracepoint ") && !tracepoints.contains(entry)) {
                tracepoints.add(entry);
                kept.put(what, why);
            } else if (what.startsWith("uprobe ") && !specs.containsKey(name)) {
                uprobes.add(entry);
                d.put("uprobe." + name + ".buildid", keptBuildIds.getOrDefault(name, ""));
                kept.put(what, why);
            }
        });
        notReAdded = Map.copyOf(kept);
        buildIds.keySet().retainAll(specs.keySet());
        keptBuildIds.keySet().removeAll(specs.keySet());
        d.put("tracepoints", tracepoints.toArray(new String[0]));
        d.put("uprobes", uprobes.toArray(new String[0]));
        try {
            cm.getConfiguration(PID, null).updateIfDifferent(d);
        } catch (IOException e) {
            Log.warn("cannot save the tracepoints and uprobes added (" + PID + "): " + e.getMessage());
        }
    }

    private static String buildId(Path file) throws IOException {
        return Objects.requireNonNullElse(ElfSymbols.buildId(file), "");
    }

    /** PATH of "NAME PATH:SYMBOL [fetchargs]". */
    private static Path file(String line) {
        String[] parts = line.trim().split("\\s+", 3);
        if (parts.length < 2 || parts[1].lastIndexOf(':') < 0) throw new IllegalArgumentException("malformed: " + line);
        return Path.of(parts[1].substring(0, parts[1].lastIndexOf(':')));
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof String[] a) out.addAll(List.of(a));
        else if (o instanceof Iterable<?> it) it.forEach(x -> out.add(String.valueOf(x)));
        else if (o != null) out.add(String.valueOf(o));
        return out;
    }

    @Override
    public String name() { return "probes"; }

    /** What was re-added at start, then one line per saved entry that could not be; null when nothing was saved. */
    @Override
    public String status() {
        List<String> added = reAdded;
        Map<String, String> refused = notReAdded;
        if (added.isEmpty() && refused.isEmpty()) return null;
        StringBuilder s = new StringBuilder("saved at a previous run, re-added: ").append(added.isEmpty() ? "none" : String.join(", ", added));
        refused.forEach((what, why) -> s.append("\n  not re-added: ").append(what).append(": ").append(why));
        return s.toString();
    }

    @Deactivate
    void deactivate() {
        kernel.removeAdditionListener(listener);
    }
}
