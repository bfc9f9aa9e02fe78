package lkst.buffers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.api.Payload;

/**
 * An event of any type, JVM-encoded from its values in schema order (numbers at their size, text as u16 length and
 * bytes): to write traces of kernel events (sched:sched_switch, raw_syscalls:sys_enter …) with known content.
 */
public record SyntheticEvent(EventType type, int cpu, long timestamp, int pid, int tid, ByteBuffer payload) implements Event {
    public static final EventType SWITCH = kernel(2001, "sched:sched_switch", List.of("PROCESS_CONTEXTSWITCH"), Field.string("prev_comm"),
            Field.s32("prev_pid"), Field.s32("prev_prio"), Field.s64("prev_state"), Field.string("next_comm"), Field.s32("next_pid"), Field.s32("next_prio"));
    public static final EventType WAKEUP = kernel(2002, "sched:sched_wakeup", List.of("PROCESS_WAKEUP"), Field.string("comm"),
            Field.s32("pid"), Field.s32("prio"), Field.s32("target_cpu"));
    public static final EventType SYS_ENTER = kernel(2003, "raw_syscalls:sys_enter", List.of("SYSCALL_ENTRY"), Field.s64("id"));
    public static final EventType SYS_EXIT = kernel(2004, "raw_syscalls:sys_exit", List.of("SYSCALL_EXIT"), Field.s64("id"), Field.s64("ret"));
    public static final EventType IRQ_ENTRY = kernel(2005, "irq:irq_handler_entry", List.of("INT_HARDWARE_ENTRY"), Field.s32("irq"), Field.string("name"));
    public static final EventType IRQ_EXIT = kernel(2006, "irq:irq_handler_exit", List.of(), Field.s32("irq"), Field.s32("ret"));
    public static final EventType SOFTIRQ_ENTRY = kernel(2007, "irq:softirq_entry", List.of("INT_BH_ENTRY"), Field.u32("vec"));
    public static final EventType SOFTIRQ_EXIT = kernel(2008, "irq:softirq_exit", List.of(), Field.u32("vec"));
    public static final List<EventType> KERNEL = List.of(SWITCH, WAKEUP, SYS_ENTER, SYS_EXIT, IRQ_ENTRY, IRQ_EXIT, SOFTIRQ_ENTRY, SOFTIRQ_EXIT);

    static EventType kernel(int id, String name, List<String> lkst, Field... fields) {
        return new EventType(id, name, "test", EventSource.KERNEL, false, lkst, List.of(), List.of(fields), null);
    }

    /** An event of {@code type} by thread {@code tid} (its own process) with {@code values} in schema order. */
    public static SyntheticEvent of(EventType type, int cpu, long time, int tid, Object... values) {
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        List<Field> fields = type.fields();
        if (values.length != fields.size()) throw new IllegalArgumentException(type.name() + " takes " + fields.size() + " values");
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
        return new SyntheticEvent(type, cpu, time, tid, tid, b);
    }

    /** sched_switch on {@code cpu}: prev (its state: 0 R, 1 S, 0x100 R+) to next. */
    public static SyntheticEvent sw(int cpu, long time, String prev, int prevPid, long state, String next, int nextPid) {
        return of(SWITCH, cpu, time, prevPid, prev, prevPid, 120, state, next, nextPid, 120);
    }

    @Override public long number(int index) { return Payload.number(type.fields(), payload, 0, index); }
    @Override public String text(int index) { return Payload.text(type.fields(), payload, 0, index); }
    @Override public int payloadLength() { return payload.position(); }
    @Override public int payloadOffset() { return 0; }
}
