package lkst.buffers.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lkst.buffers.files.IoErrors;
import lkst.buffers.files.TraceFiles;
import lkst.buffers.files.TraceFormatException;

/**
 * {@code trace.lost} of a log directory: the events lost per CPU while the logger wrote it, by where they were lost —
 * {@code kernel} (dropped by the kernel before its reader read them), {@code buffers} (refused by LKST/J's full
 * buffers), or another source's name. One line each, {@code cpu N SOURCE COUNT}; {@code #} starts a comment. The
 * records of a trace never show what it lacks; this file does, for {@code stats} and the CTF export. Absent in a
 * trace written before it existed, or by a logger that did not stop: then nothing is known.
 *
 * @param perCpu CPU → source → events lost; both in order (CPU number, source name)
 */
public record TraceLosses(Map<Integer, Map<String, Long>> perCpu) {
    public static final String FILE = "trace.lost";

    public TraceLosses {
        Map<Integer, Map<String, Long>> copy = new TreeMap<>();
        perCpu.forEach((cpu, m) -> copy.put(cpu, Collections.unmodifiableMap(new TreeMap<>(m)))); // sources by name
        perCpu = Collections.unmodifiableMap(copy);
    }

    /** Events lost on {@code cpu}, from every source. */
    public long total(int cpu) {
        return perCpu.getOrDefault(cpu, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The losses of the trace in {@code dir}, or null when it has no {@value #FILE}. */
    public static TraceLosses read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) return null;
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + IoErrors.text(e), e);
        }
        Map<Integer, Map<String, Long>> m = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] w = l.split("\\s+");
            try {
                if (w.length != 4 || !w[0].equals("cpu")) throw new NumberFormatException();
                int cpu = Integer.parseInt(w[1]);
                long n = Long.parseLong(w[3]);
                if (cpu < 0 || n < 0) throw new NumberFormatException();
                m.computeIfAbsent(cpu, k -> new TreeMap<>()).put(w[2], n);
            } catch (NumberFormatException e) {
                throw new TraceFormatException(f.toString(), "line " + (i + 1) + ": expected 'cpu N SOURCE COUNT', got '" + l + "'");
            }
        }
        return new TraceLosses(m);
    }

    /** Writes {@value #FILE} into {@code dir} (replacing it in one step). */
    public void write(Path dir) {
        StringBuilder s = new StringBuilder();
        s.append("# LKST/J: events lost per CPU while this trace was logged, by where they were lost:\n");
        s.append("# kernel = dropped by the kernel before its reader read them; buffers = refused by LKST/J's full buffers\n");
        perCpu.forEach((cpu, m) -> m.forEach((src, n) -> s.append("cpu ").append(cpu).append(' ').append(src).append(' ').append(n).append('\n')));
        try {
            TraceFiles.writeAtomically(dir.resolve(FILE), s.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + IoErrors.text(e), e);
        }
    }
}
