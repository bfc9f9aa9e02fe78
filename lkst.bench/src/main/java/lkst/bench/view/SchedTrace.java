package lkst.bench.view;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.api.Payload;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.trace.TraceLosses;

/**
 * Writes a scheduler-shaped trace of a chosen number of events with the buffers' own writer, the same on every run
 * (fixed seed): {@code cpus} CPUs switching among 300 tasks of 60 processes, each slice with a few syscalls, wake-ups,
 * hard and soft IRQs — the mix of {@code lkst record -e sched -e irq -e raw_syscalls}. For {@code view}'s page-load
 * benchmark without root or a workload.
 *
 * <pre>java -cp benchmarks.jar lkst.bench.view.SchedTrace DIR EVENTS [CPUS]</pre>
 */
public final class SchedTrace {
    static EventType kernel(int id, String name, Field... fields) {
        return new EventType(id, name, "bench", EventSource.KERNEL, false, List.of(), List.of(), List.of(fields), null);
    }

    static final EventType SWITCH = kernel(2001, "sched:sched_switch", Field.string("prev_comm"), Field.s32("prev_pid"), Field.s32("prev_prio"),
            Field.s64("prev_state"), Field.string("next_comm"), Field.s32("next_pid"), Field.s32("next_prio"));
    static final EventType WAKEUP = kernel(2002, "sched:sched_wakeup", Field.string("comm"), Field.s32("pid"), Field.s32("prio"), Field.s32("target_cpu"));
    static final EventType SYS_ENTER = kernel(2003, "raw_syscalls:sys_enter", Field.s64("id"), Field.string("args"));
    static final EventType SYS_EXIT = kernel(2004, "raw_syscalls:sys_exit", Field.s64("id"), Field.s64("ret"));
    static final EventType IRQ_ENTRY = kernel(2005, "irq:irq_handler_entry", Field.s32("irq"), Field.string("name"));
    static final EventType IRQ_EXIT = kernel(2006, "irq:irq_handler_exit", Field.s32("irq"), Field.s32("ret"));
    static final EventType SOFTIRQ_ENTRY = kernel(2007, "irq:softirq_entry", Field.u32("vec"));
    static final EventType SOFTIRQ_EXIT = kernel(2008, "irq:softirq_exit", Field.u32("vec"));

    private record Synthetic(EventType type, int cpu, long timestamp, int pid, int tid, ByteBuffer payload) implements Event {
        @Override public long number(int index) { return Payload.number(type.fields(), payload, 0, index); }
        @Override public String text(int index) { throw new UnsupportedOperationException(); }
        @Override public int payloadLength() { return payload.position(); }
        @Override public int payloadOffset() { return 0; }
    }

    private final BufferSet set;
    private final ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    private SchedTrace(BufferSet set) { this.set = set; }

    private void event(EventType type, int cpu, long time, int tid, Object... values) {
        b.clear();
        List<Field> fields = type.fields();
        for (int i = 0; i < values.length; i++) {
            FieldType t = fields.get(i).type();
            if (t == FieldType.STRING) {
                byte[] s = ((String) values[i]).getBytes(StandardCharsets.UTF_8);
                b.putShort((short) s.length).put(s);
            } else if (t.size() == 4) {
                b.putInt(((Number) values[i]).intValue());
            } else {
                b.putLong(((Number) values[i]).longValue());
            }
        }
        set.record(new Synthetic(type, cpu, time, tid, tid, b));
        written++;
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: SchedTrace DIR EVENTS [CPUS]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        long events = Long.parseLong(args[1]);
        int cpus = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        write(dir, events, cpus);
        System.out.println(dir + ": " + events + " events on " + cpus + " cpus");
    }

    static void write(Path dir, long events, int cpus) {
        List<EventType> types = List.of(SWITCH, WAKEUP, SYS_ENTER, SYS_EXIT, IRQ_ENTRY, IRQ_EXIT, SOFTIRQ_ENTRY, SOFTIRQ_EXIT);
        Random r = new Random(42);
        int tasks = 300;
        String[] comm = new String[tasks + 1];
        for (int t = 1; t <= tasks; t++) comm[t] = new String[]{"cc1", "make", "sh", "as", "ld", "java", "kworker/u4:1", "bash"}[t % 8];
        try (BufferSet set = new BufferSet(dir, cpus, 256L << 20, BufferMode.DISCARD, types)) {
            SchedTrace w = new SchedTrace(set);
            long[] now = new long[cpus];
            int[] running = new int[cpus];
            List<Integer> sleeping = new ArrayList<>();
            for (int t = 1; t <= tasks; t++) sleeping.add(t);
            long base = 5_000_000_000_000L;
            for (int c = 0; c < cpus; c++) now[c] = base;
            while (w.written < events) {
                int c = r.nextInt(cpus);
                long t = now[c] += 1_000 + r.nextInt(4_000);
                int prev = running[c];
                int next = sleeping.isEmpty() ? 0 : sleeping.remove(r.nextInt(sleeping.size()));
                if (next != 0) {
                    w.event(WAKEUP, c, t, prev, comm[next], next, 120, c);
                    t = now[c] += 500 + r.nextInt(20_000);
                }
                long state = prev == 0 ? 0 : r.nextInt(4) == 0 ? 0x100 : r.nextInt(5) == 0 ? 2 : 1;
                w.event(SWITCH, c, t, prev, prev == 0 ? "swapper/" + c : comm[prev], prev, 120, state, next == 0 ? "swapper/" + c : comm[next], next, 120);
                if (prev != 0) sleeping.add(prev);
                running[c] = next;
                int calls = r.nextInt(12);
                for (int k = 0; k < calls && next != 0; k++) {
                    int id = r.nextInt(300);
                    w.event(SYS_ENTER, c, now[c] += 200 + r.nextInt(3_000), next, id, "{" + r.nextInt(64) + ",0x7ffd" + Integer.toHexString(r.nextInt(1 << 20)) + ",4096,0,0,0}");
                    w.event(SYS_EXIT, c, now[c] += 300 + r.nextInt(8_000), next, id, r.nextInt(10) == 0 ? -11 : r.nextInt(4096));
                }
                if (r.nextInt(6) == 0) {
                    int irq = 24 + r.nextInt(4);
                    w.event(IRQ_ENTRY, c, now[c] += 100, next, irq, "virtio" + irq);
                    w.event(IRQ_EXIT, c, now[c] += 2_000 + r.nextInt(8_000), next, irq, 1);
                    w.event(SOFTIRQ_ENTRY, c, now[c] += 100, next, 3);
                    w.event(SOFTIRQ_EXIT, c, now[c] += 1_000 + r.nextInt(20_000), next, 3);
                }
            }
        }
        new TraceLosses(java.util.Map.of()).write(dir);
    }
}
