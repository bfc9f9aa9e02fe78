package lkst.ship;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import lkst.buffers.files.TraceFiles;

/**
 * {@value #FILE} in a trace directory: how far the topic has acknowledged it, so that a shipper started again (after a
 * stop, a broker outage or a crash) resumes there and a finished trace is not shipped twice. Text, one item a line:
 *
 * <pre>
 * trace   ID            the trace ID its messages carry
 * host    NAME          the host name they carry
 * meta    VERSION CRC   the metadata version acknowledged and the CRC-32 of that trace.meta
 * cpu     CPU SEGMENT POSITION SEQ LOST_RECORDS LOST_SEGMENTS   where CPU's next record starts, its sequence number
 * done                  the END message is acknowledged: nothing left to ship
 * </pre>
 */
final class ShipPosition {
    static final String FILE = "ship.position";

    String trace;
    String host;
    int metaVersion;
    long metaCrc = -1;
    boolean done;
    /** Per CPU: segment, position, seq, lost records, lost segments. */
    final Map<Integer, long[]> cpus = new TreeMap<>();

    static ShipPosition read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) return null;
        ShipPosition p = new ShipPosition();
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String[] w = line.split("\t");
                switch (w[0]) {
                    case "trace" -> p.trace = w[1];
                    case "host" -> p.host = w[1];
                    case "meta" -> { p.metaVersion = Integer.parseInt(w[1]); p.metaCrc = Long.parseLong(w[2]); }
                    case "cpu" -> p.cpus.put(Integer.parseInt(w[1]), new long[]{Long.parseLong(w[2]), Long.parseLong(w[3]),
                            Long.parseLong(w[4]), Long.parseLong(w[5]), Long.parseLong(w[6])});
                    case "done" -> p.done = true;
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(f + ": cannot read the shipping position: " + e.getMessage());
        }
        if (p.trace == null || p.host == null) throw new IllegalArgumentException(f + ": no trace or host line");
        return p;
    }

    synchronized void write(Path dir) {
        StringBuilder s = new StringBuilder("# LKST/J: how far the topic has acknowledged this trace (lkst.ship.ShipPosition)\n");
        s.append("trace\t").append(trace).append('\n').append("host\t").append(host).append('\n');
        s.append("meta\t").append(metaVersion).append('\t').append(metaCrc).append('\n');
        cpus.forEach((cpu, v) -> s.append("cpu\t").append(cpu).append('\t').append(v[0]).append('\t').append(v[1]).append('\t')
                .append(v[2]).append('\t').append(v[3]).append('\t').append(v[4]).append('\n'));
        if (done) s.append("done\n");
        try {
            TraceFiles.writeAtomically(dir.resolve(FILE), s.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    synchronized void ack(int cpu, long segment, long position, long seq, long lostRecords, long lostSegments) {
        cpus.put(cpu, new long[]{segment, position, seq, lostRecords, lostSegments});
    }

    synchronized long[] cpu(int cpu) {
        long[] v = cpus.get(cpu);
        return v == null ? new long[]{1, 0, 0, 0, 0} : v.clone();
    }

    synchronized long shippedRecords() {
        long n = 0;
        for (long[] v : cpus.values()) n += v[2] - v[3];
        return n;
    }

    synchronized long lostRecords() {
        long n = 0;
        for (long[] v : cpus.values()) n += v[3];
        return n;
    }

    synchronized long lostSegments() {
        long n = 0;
        for (long[] v : cpus.values()) n += v[4];
        return n;
    }
}
