package lkst.buffers.tool;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.recover.Recovery;
import lkst.buffers.ring.BufferHeader;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.TraceLosses;
import lkst.buffers.trace.TraceReader;

/**
 * {@code stats DIR}: events per type (most first, ties by name; columns as wide as their longest entry) and per CPU,
 * the time span, and what each buffer wrote and lost — of a log or recovered trace, each segment file with the IDs
 * of the buffers its records came from and its number.
 */
final class Stats {
    private final Map<String, long[]> byEvent = new TreeMap<>();
    private final Map<Integer, long[]> byCpu = new TreeMap<>();
    private final Map<String, String> lkst = new TreeMap<>();
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private long total;

    static void print(TraceReader reader, PrintStream out) {
        Stats s = new Stats();
        reader.forEach(RecordCursor.Torn.FAIL, s::add);
        s.report(reader, out);
    }

    private void add(TraceRecord r) {
        byEvent.computeIfAbsent(r.event(), k -> new long[1])[0]++;
        byCpu.computeIfAbsent(r.cpu(), k -> new long[1])[0]++;
        if (!r.lkst().isEmpty()) lkst.putIfAbsent(r.event(), String.join(",", r.lkst()));
        first = Math.min(first, r.time());
        last = Math.max(last, r.time());
        total++;
    }

    private void report(TraceReader reader, PrintStream out) {
        out.printf("%d events%s%n", total,
                total == 0 ? "" : String.format(" from %s to %s (%.3f s)", TraceRecord.seconds(first), TraceRecord.seconds(last), (last - first) / 1e9));
        // most first, ties by name; each column as wide as its longest entry
        int nameWidth = byEvent.keySet().stream().mapToInt(String::length).max().orElse(1);
        int countWidth = Long.toString(byEvent.values().stream().mapToLong(n -> n[0]).max().orElse(0)).length();
        byEvent.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0]).thenComparing(Map.Entry::getKey))
                .forEach(e -> {
                    String groups = lkst.getOrDefault(e.getKey(), "");
                    String row = String.format("  %" + countWidth + "d  %-" + nameWidth + "s  %s", e.getValue()[0], e.getKey(), groups);
                    out.println(groups.isEmpty() ? row.stripTrailing() : row);
                });
        byCpu.forEach((c, n) -> out.printf("  cpu %d: %d events%n", c, n[0]));
        for (TraceReader.Input in : reader.inputs()) {
            BufferHeader h = in.header();
            if (h.segment() == 0) {
                out.printf("  cpu %d buffer %d: written %d, lost %d%n", h.cpu(), h.id(), h.written(), h.lost());
            } else { // a file the logger or recovery wrote: the buffers its records came from, and its number
                Set<Integer> ids = Recovery.buffersOf(reader.metadata(), in);
                out.printf("  cpu %d buffer%s %s segment %d: written %d%n", h.cpu(), ids.size() > 1 ? "s" : "",
                        ids.stream().map(String::valueOf).collect(Collectors.joining(",")), h.segment(), h.written());
            }
        }
        TraceLosses losses = reader.losses();
        if (losses == null && java.nio.file.Files.exists(reader.dir().resolve(TraceLosses.FILE))) {
            out.printf("  events lost while logging: not known (%s is damaged)%n", TraceLosses.FILE);
        } else if (losses == null) {
            out.printf("  events lost while logging: not recorded (no %s)%n", TraceLosses.FILE);
        } else {
            losses.perCpu().forEach((cpu, m) -> {
                StringBuilder s = new StringBuilder();
                m.forEach((src, n) -> s.append(s.length() == 0 ? "" : ", ").append(src).append(' ').append(n));
                out.printf("  cpu %d: lost while logging: %s%n", cpu, s);
            });
        }
    }
}
