package lkst.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.Payload;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** print names each record's task where the trace's scheduler events told it, and shows the LKST event; stats counts. */
class PrintCommsAndStatsTest {
    static final EventType SWITCH = new EventType(1010, "sched:sched_switch", "process", EventSource.KERNEL, false,
            List.of("PROCESS_CONTEXTSWITCH"), List.of(),
            List.of(Field.string("prev_comm"), Field.s32("prev_pid"), Field.string("next_comm"), Field.s32("next_pid")), null);

    @TempDir Path tmp;

    /** A context switch, JVM-encoded (the print side reads any layout the metadata describes). */
    record Switch(int cpu, long timestamp, String prev, int prevPid, String next, int nextPid, ByteBuffer payload) implements Event {
        static Switch of(int cpu, long time, String prev, int prevPid, String next, int nextPid) {
            ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
            byte[] p = prev.getBytes(StandardCharsets.UTF_8);
            byte[] n = next.getBytes(StandardCharsets.UTF_8);
            b.putShort((short) p.length).put(p).putInt(prevPid).putShort((short) n.length).put(n).putInt(nextPid);
            return new Switch(cpu, time, prev, prevPid, next, nextPid, b);
        }

        @Override public EventType type() { return SWITCH; }
        @Override public int pid() { return prevPid; }
        @Override public int tid() { return prevPid; }
        @Override public long number(int index) { return Payload.number(SWITCH.fields(), payload, 0, index); }
        @Override public String text(int index) { return Payload.text(SWITCH.fields(), payload, 0, index); }
        @Override public int payloadLength() { return payload.position(); }
        @Override public int payloadOffset() { return 0; }
    }

    @Test
    void printShowsCommWhereKnownAndTheLkstEventOfATracepoint() {
        Path trace = tmp.resolve("t");
        try (BufferSet set = new BufferSet(trace, 2, 4096, BufferMode.OVERWRITE, List.of(SWITCH, TestEvent.NAMED))) {
            set.record(Switch.of(0, 1_000_000_000L, "bash", 100, "make", 200));
            TestEvent e = new TestEvent();
            set.record(e.named(0, 2_000_000_000L, 200, "x"));
            set.record(e.named(1, 3_000_000_000L, 300, "y"));
        }
        Tool t = Tool.run("print", trace.toString());
        assertEquals(0, t.exit(), t.err().toString());
        assertEquals(List.of(
                "1.000000000 [0] bash-100/100 PROCESS_CONTEXTSWITCH sched:sched_switch prev_comm=bash prev_pid=100 next_comm=make next_pid=200",
                "2.000000000 [0] make-42/200 TEST_NAMED n=200 name=x",
                "3.000000000 [1] 42/300 TEST_NAMED n=300 name=y"), t.out());
        String json = Tool.run("print", "--json", trace.toString()).out().get(0);
        assertTrue(json.contains("\"lkst\":[\"PROCESS_CONTEXTSWITCH\"],\"comm\":\"bash\""), json);

        Tool s = Tool.run("stats", trace.toString());
        assertEquals(0, s.exit(), s.err().toString());
        assertEquals("3 events from 1.000000000 to 3.000000000 (2.000 s)", s.out().get(0));
        assertTrue(s.out().stream().anyMatch(l -> l.matches("\\s+1\\s+sched:sched_switch\\s+PROCESS_CONTEXTSWITCH")), s.out().toString());
        assertTrue(s.out().stream().anyMatch(l -> l.matches("\\s+2\\s+TEST_NAMED\\s*")), s.out().toString());
        assertTrue(s.out().contains("  cpu 0: 2 events"), s.out().toString());
        assertTrue(s.out().contains("  cpu 1 buffer 0: written 1, lost 0"), s.out().toString());
    }
}
