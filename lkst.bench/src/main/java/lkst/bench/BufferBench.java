package lkst.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import lkst.buffers.api.BufferMode;
import lkst.buffers.ring.RecordBuffer;
import lkst.buffers.ring.RecordDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The buffer alone: claim and commit of one 32-byte record (the record header, no payload) in a memory-mapped
 * buffer file, overwrite mode (it wraps; never refuses). Writers on separate buffers, and two writers sharing one
 * buffer's position counter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BufferBench {
    static final int RECORD = RecordDescriptor.HEADER_LENGTH; // 32 bytes
    static final ByteBuffer NONE = ByteBuffer.allocate(0);

    static class Buf {
        Path dir;
        RecordBuffer buffer;

        void open() {
            dir = Fixtures.tempDir("lkst-bench-buf-");
            buffer = RecordBuffer.create(dir.resolve("b.lkst"), 0, 0, Fixtures.BUFFER_SIZE, BufferMode.OVERWRITE, -1);
        }

        void close() {
            long written = buffer.written();
            long lost = buffer.lost();
            Fixtures.delete(dir);
            Fixtures.checkLoss("buffer", written, lost, 0);
        }
    }

    /** One buffer per thread. */
    @State(Scope.Thread)
    public static class Own extends Buf {
        @Setup(Level.Trial)
        public void setup() { open(); }

        @TearDown(Level.Trial)
        public void tearDown() { close(); }
    }

    /** One buffer for all threads. */
    @State(Scope.Benchmark)
    public static class Shared extends Buf {
        @Setup(Level.Trial)
        public void setup() { open(); }

        @TearDown(Level.Trial)
        public void tearDown() { close(); }
    }

    @State(Scope.Thread)
    public static class Writer {
        long n;
        int tid = (int) Thread.currentThread().getId();
    }

    static boolean write(RecordBuffer b, Writer w) {
        long p = b.claim(RECORD);
        if (p < 0) { // refused (a page still held by a stalled writer): counted, and checked after the trial
            b.countLost();
            return false;
        }
        return b.commit(p, RECORD, 1000, w.n++, 1, w.tid, NONE, 0, 0);
    }

    @Benchmark
    @Threads(1)
    public boolean own_1t(Own b, Writer w) { return write(b.buffer, w); }

    @Benchmark
    @Threads(2)
    public boolean own_2t(Own b, Writer w) { return write(b.buffer, w); }

    @Benchmark
    @Threads(2)
    public boolean shared_2t(Shared b, Writer w) { return write(b.buffer, w); }
}
