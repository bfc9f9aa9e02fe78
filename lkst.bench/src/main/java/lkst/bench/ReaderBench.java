package lkst.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.api.HandlerContext;
import lkst.buffers.api.BufferMode;
import lkst.buffers.component.Recording;
import lkst.buffers.record.BufferSet;
import lkst.core.Engine;
import lkst.handlers.std.RecordHandler;
import lkst.hooks.ftrace.EventFormat;
import lkst.hooks.ftrace.KernelTypes;
import lkst.hooks.ftrace.PageDecoder;
import lkst.hooks.ftrace.PageLayout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A kernel reader's own work per event, without the kernel (whose read() cost varies too much on this VM to show it):
 * a 16 KiB sub-buffer of {@code raw_syscalls:sys_enter}-sized events, laid out as the kernel writes them, decoded,
 * dispatched through the engine's maskset and stored by the record handler into LKST/J buffers, against decode +
 * dispatch to a handler that does nothing. Scores are per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReaderBench {
    static final int KERNEL_ID = 21;
    /** sys_enter: common header (8), id (8), args[6] (48). */
    static final int PAYLOAD = 64;
    static final int SUBBUF = 16 * 1024;
    static final int EVENT = 4 + PAYLOAD; // a small event: the length is in the header's type_len
    static final int EVENTS = (SUBBUF - 16) / EVENT;

    @State(Scope.Benchmark)
    public static class Page {
        final Engine engine = new Engine();
        final KernelTypes types = new KernelTypes();
        final ByteBuffer page = ByteBuffer.allocateDirect(SUBBUF).order(ByteOrder.LITTLE_ENDIAN);
        final EventType type;
        PageDecoder decoder;
        Path dir;
        Recording recording;

        public Page() {
            List<Field> fields = List.of(Field.at("id", FieldType.S64, 8, 8), Field.at("args", FieldType.BYTES, 16, 48));
            type = engine.declare("BENCH_SYS_ENTER", "bench", EventSource.KERNEL, List.of(), fields);
            types.put(type, new EventFormat("raw_syscalls", "sys_enter", KERNEL_ID, fields, 4, ""));
            page.putLong(0, 1_000_000_000L);
            for (int i = 0; i < EVENTS; i++) {
                int at = 16 + i * EVENT;
                page.putInt(at, (100 << 5) | (PAYLOAD / 4)); // delta 100 ns
                page.putShort(at + 4, (short) KERNEL_ID);
                page.putInt(at + 8, 4242);                   // common_pid
                page.putLong(at + 12, i % 300);              // id
                for (int a = 0; a < 6; a++) page.putLong(at + 20 + 8 * a, i * 6L + a);
            }
            page.putLong(8, EVENTS * EVENT);                 // commit
        }

        void bind(EventHandler handler, int id) {
            engine.bind(handler, id, "h" + id, "bench");
            engine.copy("off", "bench");
            engine.set("bench", type.name(), id);
            engine.select("bench");
            decoder = new PageDecoder(PageLayout.linux64().withSubbufSize(SUBBUF), types, 0, engine);
        }
    }

    @State(Scope.Benchmark)
    public static class Recorded extends Page {
        @Setup(Level.Trial)
        public void setup() {
            dir = Fixtures.tempDir("lkst-bench-reader-");
            recording = new Recording(new BufferSet(dir, 1, Fixtures.BUFFER_SIZE, BufferMode.OVERWRITE, engine.events()));
            bind(new RecordHandler(recording), 1);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            long written = recording.list().stream().mapToLong(b -> b.written()).sum();
            long lost = recording.list().stream().mapToLong(b -> b.lost()).sum();
            recording.close();
            Fixtures.delete(dir);
            Fixtures.checkLoss("reader record", written, lost, 0);
        }
    }

    @State(Scope.Benchmark)
    public static class Dispatched extends Page {
        long events;

        @Setup(Level.Trial)
        public void setup() {
            bind((Event e, HandlerContext c) -> events++, 2);
        }
    }

    private static int decode(Page p) {
        return p.decoder.decode(p.page, 0, 0);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int decodeDispatch(Dispatched p) { return decode(p); }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int decodeRecord(Recorded p) { return decode(p); }
}
