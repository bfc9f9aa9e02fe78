package lkst.buffers.report;

import java.util.Arrays;

/**
 * Durations of one kind for one task, in bounded memory: count, total, max (and when it happened), and a p99 —
 * exact while there are at most {@value #EXACT} samples, beyond that from a log-linear histogram (32 buckets per
 * power of two: within 1/32 ≈ 3 % of the true value, never below it).
 */
final class Latencies {
    static final int EXACT = 1024;
    private static final int SUB = 32;

    private final boolean percentiles;
    private long[] samples;
    private long[] histogram; // once there are more than EXACT samples
    long count;
    long total;
    long max = -1;
    long maxAt;    // the time of the event that ended the longest one
    long maxFrom;  // the time of the event that started it

    /** With {@code percentiles} false only count, total and max are kept (a few words, however many samples). */
    Latencies(boolean percentiles) {
        this.percentiles = percentiles;
        this.samples = percentiles ? new long[16] : null;
    }

    void add(long from, long to) {
        long d = to - from;
        if (d < 0) d = 0;
        count++;
        total += d;
        if (d > max) {
            max = d;
            maxAt = to;
            maxFrom = from;
        }
        if (!percentiles) return;
        if (histogram == null) {
            if (count > samples.length) samples = Arrays.copyOf(samples, Math.min(EXACT, samples.length * 2));
            if (count <= EXACT) {
                samples[(int) count - 1] = d;
                return;
            }
            histogram = new long[64 * SUB];
            for (long s : samples) histogram[bucket(s)]++;
            samples = null;
        }
        histogram[bucket(d)]++;
    }

    long average() { return count == 0 ? 0 : total / count; }

    /** The 99th percentile (nearest rank), 0 without samples. */
    long p99() {
        if (count == 0) return 0;
        if (!percentiles) throw new IllegalStateException("kept without percentiles");
        long rank = (long) Math.ceil(count * 0.99);
        if (histogram == null) {
            long[] s = Arrays.copyOf(samples, (int) count);
            Arrays.sort(s);
            return s[(int) rank - 1];
        }
        long seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (seen >= rank) return Math.min(upper(b), max);
        }
        return max;
    }

    /** Bucket of {@code d}: values below 32 exactly, then 32 buckets per power of two. */
    static int bucket(long d) {
        if (d < SUB) return (int) d;
        int log = 63 - Long.numberOfLeadingZeros(d); // >= 5
        int shift = log - 5;
        return (shift + 1) * SUB + (int) ((d >>> shift) - SUB);
    }

    /** The largest value of bucket {@code b}. */
    static long upper(int b) {
        if (b < SUB) return b;
        int shift = b / SUB - 1;
        long low = (long) (SUB + b % SUB) << shift;
        return low + (1L << shift) - 1;
    }
}
