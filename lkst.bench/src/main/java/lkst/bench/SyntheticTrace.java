package lkst.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.trace.KernelFolder;

/**
 * Writes a trace of N {@code kmem:kmalloc} events over 2 CPUs, with a kernel/ folder holding this kernel's kmalloc
 * format file and kallsyms (when readable), so that {@code print} renders every event by its print format ({@code %pS}
 * over kallsyms, {@code __print_flags}). For print-rss.sh: {@code java -cp benchmarks.jar lkst.bench.SyntheticTrace DIR N}.
 */
public final class SyntheticTrace {
    private SyntheticTrace() {}

    static final EventType KMALLOC = new EventType(2000, "kmem:kmalloc", "kernel", EventSource.JVM, false, List.of(), List.of("kmem:kmalloc"),
            List.of(Field.u64("call_site"), Field.u64("ptr"), Field.u64("bytes_req"), Field.u64("bytes_alloc"),
                    Field.of("gfp_flags", FieldType.U32), Field.s32("node"), Field.of("accounted", FieldType.U8)), null);

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SyntheticTrace DIR EVENTS");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        long n = Long.parseLong(args[1]);
        long size = Math.min(1L << 30, Long.highestOneBit(Math.max(4096, n * 96 / 2)) << 1);
        ByteBuffer p = ByteBuffer.allocate(41).order(ByteOrder.LITTLE_ENDIAN);
        long[] symbols = {0xffffffff81000000L, 0xffffffff81200000L, 0xffffffff81400000L};
        try (BufferSet set = new BufferSet(dir, 2, size, BufferMode.OVERWRITE, List.of(KMALLOC))) {
            Kmalloc e = new Kmalloc(p);
            for (long i = 0; i < n; i++) {
                p.putLong(0, symbols[(int) (i % 3)] + (i % 4096)).putLong(8, 0xffff888100000000L + i * 64).putLong(16, 32 + i % 200)
                        .putLong(24, 64 + i % 200).putInt(32, (int) (i % 7 == 0 ? 0xcc0 : 0x2800)).putInt(36, -1).put(40, (byte) 0);
                e.i = i;
                if (!set.record(e)) throw new IllegalStateException("record " + i + " refused");
            }
        }
        Map<String, byte[]> kernel = new TreeMap<>();
        kernel.put("arch", "x86_64\n".getBytes());
        Path format = Path.of("/sys/kernel/tracing/events/kmem/kmalloc/format");
        if (Files.isReadable(format)) kernel.put("events/kmem/kmalloc/format", Files.readAllBytes(format));
        Path kallsyms = Path.of("/proc/kallsyms");
        if (Files.isReadable(kallsyms)) kernel.put("kallsyms", Files.readAllBytes(kallsyms));
        KernelFolder.write(dir, kernel);
        System.out.println(dir + ": " + n + " events" + (kernel.containsKey("events/kmem/kmalloc/format") ? "" : " (no kmalloc format here: printed raw)"));
    }

    /** The i-th event: CPU, time and task from i. */
    private static final class Kmalloc implements Event {
        final ByteBuffer payload;
        long i;

        Kmalloc(ByteBuffer payload) { this.payload = payload; }

        @Override public EventType type() { return KMALLOC; }
        @Override public int cpu() { return (int) (i & 1); }
        @Override public long timestamp() { return 1_000_000_000L + i * 1000; }
        @Override public int pid() { return 100 + (int) (i % 50); }
        @Override public int tid() { return 100 + (int) (i % 50); }
        @Override public long number(int index) { return 0; } // not asked: the buffers copy the payload
        @Override public String text(int index) { return ""; }
        @Override public int payloadLength() { return payload.capacity(); }
        @Override public ByteBuffer payload() { return payload; }
        @Override public int payloadOffset() { return 0; }
    }
}
