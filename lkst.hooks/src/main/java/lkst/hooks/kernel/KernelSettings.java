package lkst.hooks.kernel;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kernel bridge's configuration (PID {@value KernelBridge#PID}, e.g. {@code deploy/lkst.kernel.cfg}), each value
 * checked before anything is touched. A bad value is refused and the value before it stays (the default at the first
 * configuration), as for handler parameters; {@link #refusals()} says which file set it and why, for the status.
 *
 * @param refusals one line per value refused: {@code refused FILE: bad value 'x' for KEY: expected … (old value kept)}
 */
record KernelSettings(Path tracefs, int bufferKb, boolean mmap, Integer bufferPercent, int subbufKb, int readerNice,
                      int readerRtPriority, boolean readerPin, boolean traceSelf, List<String> refusals) {
    /** Set by FileInstall on the configurations it made from a file: the file's URL. */
    static final String FILENAME = "felix.fileinstall.filename";

    static final KernelSettings DEFAULTS = new KernelSettings(Tracefs.DEFAULT_ROOT, KernelBridge.DEFAULT_BUFFER_KB,
            KernelBridge.DEFAULT_MMAP, null, KernelBridge.DEFAULT_SUBBUF_KB, KernelBridge.DEFAULT_READER_NICE,
            KernelBridge.DEFAULT_READER_RTPRIO, KernelBridge.DEFAULT_READER_PIN, false, List.of());

    /** The settings {@code config} gives, each bad value (or impossible combination) kept as in {@code previous}. */
    static KernelSettings of(Map<String, Object> config, KernelSettings previous) {
        List<String> why = new ArrayList<>();
        Object tracefs = config.get("tracefs");
        KernelSettings s = new KernelSettings(tracefs == null ? DEFAULTS.tracefs : Path.of(String.valueOf(tracefs)),
                integer(config, "buffer.size.kb", DEFAULTS.bufferKb, previous.bufferKb, why),
                bool(config, "mmap", DEFAULTS.mmap, previous.mmap, why),
                optionalInteger(config, "buffer.percent", previous.bufferPercent, why),
                integer(config, "subbuf.size.kb", DEFAULTS.subbufKb, previous.subbufKb, why),
                integer(config, "reader.nice", DEFAULTS.readerNice, previous.readerNice, why),
                integer(config, "reader.rtprio", DEFAULTS.readerRtPriority, previous.readerRtPriority, why),
                bool(config, "reader.pin", DEFAULTS.readerPin, previous.readerPin, why),
                bool(config, "trace.self", DEFAULTS.traceSelf, previous.traceSelf, why), List.of());
        // the combination that cannot work: a traced reader woken by every event would wake itself without end
        if (s.traceSelf && s.bufferPercent != null && s.bufferPercent == 0) {
            why.add("trace.self=true with buffer.percent=0: each reader would be woken by its own events without end"
                    + " (buffer.percent 1 or more)");
            s = new KernelSettings(s.tracefs, s.bufferKb, s.mmap, previous.bufferPercent, s.subbufKb, s.readerNice,
                    s.readerRtPriority, s.readerPin, previous.traceSelf, List.of());
        }
        String from = source(config);
        List<String> refusals = new ArrayList<>();
        for (String w : why) refusals.add("refused " + from + ": " + w + " (old value kept)");
        return new KernelSettings(s.tracefs, s.bufferKb, s.mmap, s.bufferPercent, s.subbufKb, s.readerNice,
                s.readerRtPriority, s.readerPin, s.traceSelf, List.copyOf(refusals));
    }

    /** The file the configuration came from, or its PID when it came from Configuration Admin alone. */
    private static String source(Map<String, Object> config) {
        Object f = config.get(FILENAME);
        if (f == null) return KernelBridge.PID;
        try {
            return Path.of(URI.create(String.valueOf(f))).toString();
        } catch (IllegalArgumentException e) {
            return String.valueOf(f);
        }
    }

    private static boolean bool(Map<String, Object> config, String key, boolean dflt, boolean previous, List<String> why) {
        Object v = config.get(key);
        if (v == null) return dflt;
        String t = String.valueOf(v).trim();
        if (t.equalsIgnoreCase("true")) return true;
        if (t.equalsIgnoreCase("false")) return false;
        why.add("bad value '" + v + "' for " + key + ": expected true or false");
        return previous;
    }

    /** Absent: null (the kernel's own default). */
    private static Integer optionalInteger(Map<String, Object> config, String key, Integer previous, List<String> why) {
        Object v = config.get(key);
        if (v == null) return null;
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            why.add("bad value '" + v + "' for " + key + ": expected an integer");
            return previous;
        }
    }

    private static int integer(Map<String, Object> config, String key, int dflt, int previous, List<String> why) {
        Object v = config.get(key);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            why.add("bad value '" + v + "' for " + key + ": expected an integer");
            return previous;
        }
    }
}
