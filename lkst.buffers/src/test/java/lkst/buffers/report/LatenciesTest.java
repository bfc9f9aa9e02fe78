package lkst.buffers.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** p99 exact up to 1024 samples, within 1/32 above the true value beyond; max and its time always exact. */
class LatenciesTest {
    @Test
    void p99IsExactForFewSamples() {
        Latencies l = new Latencies(true);
        for (int i = 1; i <= 1000; i++) l.add(0, i);
        assertEquals(990, l.p99());
        assertEquals(1000, l.max);
        assertEquals(500, l.average());
    }

    @Test
    void p99OfManySamplesComesFromTheHistogramWithin3Percent() {
        Latencies l = new Latencies(true);
        for (int i = 1; i <= 100_000; i++) l.add(1_000_000L * i, 1_000_000L * i + i * 1000L); // 1 us … 100 ms
        long exact = 99_000L * 1000;
        long p99 = l.p99();
        assertTrue(p99 >= exact && p99 <= exact + exact / 32, p99 + " vs " + exact);
        assertEquals(100_000_000L, l.max);
        assertEquals(1_000_000L * 100_000 + 100_000_000L, l.maxAt);
    }

    @Test
    void bucketsCoverEveryValueTheyClaim() {
        for (long d : new long[]{0, 1, 31, 32, 33, 63, 64, 65, 1000, 123_456_789L, Long.MAX_VALUE / 2}) {
            int b = Latencies.bucket(d);
            assertTrue(Latencies.upper(b) >= d && (b == 0 || Latencies.upper(b - 1) < d), d + " in bucket " + b);
        }
    }
}
