package lkst.buffers.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lkst.buffers.files.TraceFormatException;

/**
 * What a reader found damaged in a trace directory while it read the rest: one problem per file (the first found:
 * a truncated or corrupt buffer file, a record that is not committed), records of events a truncated
 * {@code trace.meta} no longer describes, and warnings (a damaged {@code trace.lost}). Each is one line for the user;
 * nothing is dropped without being counted here.
 */
public final class TraceDamage {
    private final Map<String, String> problems = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<Integer, Long> undescribed = new TreeMap<>();
    private String metadataCut;
    private String firstUndescribed;

    /** The first problem of a file; a later one of the same file is a consequence of it and not repeated. */
    public void add(TraceFormatException e) {
        problems.putIfAbsent(e.file(), e.getMessage());
    }

    public void warn(String warning) {
        warnings.add(warning);
    }

    /** trace.meta was cut short at {@code offset} ({@code what}): events at its end may be missing. */
    void metadataTruncated(String file, long offset, String what) {
        metadataCut = file + ": offset " + offset + ": " + what;
    }

    /**
     * A record of event {@code id} that the metadata does not describe (cut off a truncated trace.meta, or a
     * corrupt event id in the record): skipped, counted; reading goes on after it.
     */
    public void undescribed(int id, String file, long offset) {
        if (firstUndescribed == null) firstUndescribed = file + " offset " + offset;
        undescribed.merge(id, 1L, Long::sum);
    }

    public boolean metadataTruncated() { return metadataCut != null; }

    /** True when a record could not be read: the output lacks something. */
    public boolean any() { return !problems.isEmpty() || !undescribed.isEmpty(); }

    /** Records skipped because the metadata does not describe their event. */
    public long undescribedRecords() { return undescribed.values().stream().mapToLong(Long::longValue).sum(); }

    /** One line per damaged file, then the records a truncated trace.meta left undescribed. */
    public List<String> problems() {
        List<String> l = new ArrayList<>(problems.values());
        if (!undescribed.isEmpty() && metadataCut != null) {
            l.add(metadataCut + ": " + undescribedRecords() + " records of events it no longer describes were not read (event ids " + ids() + ")");
        } else if (!undescribed.isEmpty()) {
            l.add(undescribedRecords() + " records of event ids " + TraceMetadata.FILE + " does not describe were not read (event ids "
                    + ids() + "; the first at " + firstUndescribed + ")");
        }
        return l;
    }

    /** Warnings: a damaged trace.lost, a truncated trace.meta that every record read survived. */
    public List<String> warnings() {
        List<String> l = new ArrayList<>(warnings);
        if (metadataCut != null && undescribed.isEmpty()) l.add(metadataCut + " (every record read is described)");
        return l;
    }

    private String ids() {
        StringBuilder s = new StringBuilder();
        int n = 0;
        for (int id : undescribed.keySet()) {
            if (n++ == 8) return s.append(", …").toString();
            s.append(n > 1 ? ", " : "").append(id);
        }
        return s.toString();
    }
}
