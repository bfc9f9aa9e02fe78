package lkst.example.timerwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.buffers.api.Buffers;
import lkst.core.Engine;
import org.junit.jupiter.api.Test;

/** timerwatch in a real engine, fed a synthetic stream whose CPUs' pages arrive out of time order. */
class TimerWatchHandlerTest {
    record Ev(EventType type, int cpu, long timestamp, int pid, long obj, long size) implements Event {
        @Override public int tid() { return pid; }
        @Override public long number(int index) { return type.fields().get(index).name().equals("size") ? size : obj; }
        @Override public String text(int index) { return Long.toString(number(index)); }
        @Override public int payloadLength() { return 0; }
        @Override public ByteBuffer payload() { return ByteBuffer.allocate(0); }
        @Override public int payloadOffset() { return 0; }
    }

    final Engine engine = new Engine();
    final List<String> bufferCalls = new ArrayList<>();
    final List<Event> recorded = new ArrayList<>();
    final Buffers buffers = (Buffers) Proxy.newProxyInstance(Buffers.class.getClassLoader(), new Class<?>[] {Buffers.class},
            (proxy, m, args) -> {
                switch (m.getName()) {
                    case "cpus": return 2;
                    case "list": return List.of();
                    case "switchTo": bufferCalls.add("switch " + args[0] + " " + args[1]); return true;
                    case "create": bufferCalls.add("create " + args[0] + " " + args[1]); return List.of();
                    default: throw new UnsupportedOperationException(m.getName());
                }
            });
    final TimerWatchHandler handler = new TimerWatchHandler(e -> recorded.add(e), new Escalation(engine, buffers));

    EventType probe(String name, Field... fields) {
        return engine.declare("uprobes:" + name, "other", EventSource.UPROBE, List.of(), List.of(fields));
    }

    final EventType connNew = probe("conn_new", Field.u64("__probe_ip"), Field.u64("obj"), Field.u64("size"));
    final EventType connFree = probe("conn_free", Field.u64("__probe_ip"), Field.u64("obj"));
    final EventType timerAdd = probe("timer_add", Field.u64("__probe_ip"), Field.u64("obj"));
    final EventType timerFire = probe("timer_fire", Field.u64("__probe_ip"), Field.u64("obj"));

    void bind() {
        engine.bind(handler, TimerWatchHandler.ID, "timerwatch", "example");
        engine.create("light");
        for (EventType t : List.of(connNew, connFree, timerAdd, timerFire)) engine.set("light", t.name(), TimerWatchHandler.ID);
        engine.select("light");
    }

    @Test
    void freeWithTimerArmedSeenBeforeItsCauseIsFoundInTimeOrderAndEscalates() throws Exception {
        bind();
        long t0 = System.nanoTime();
        // CPU 1's page with the free reaches the handler before CPU 0's page with the create and the arm
        engine.dispatch(new Ev(connFree, 1, t0 + 3_000, 42, 0x5000, 0));
        engine.dispatch(new Ev(connNew, 0, t0 + 1_000, 42, 0x5000, 56));
        engine.dispatch(new Ev(timerAdd, 0, t0 + 2_000, 43, 0x5020, 0));
        engine.dispatch(new Ev(timerFire, 0, t0 + 4_000, 42, 0x5020, 0));
        assertEquals(4, recorded.size(), "every event is recorded at once");
        handler.drain(t0 + 4_000 + 100_000_000L);
        List<String> f = handler.findings();
        assertEquals(2, f.size(), String.join("\n", f));
        assertTrue(f.get(0).startsWith("timerwatch: object 0x5000 (56 bytes, created ") && f.get(0).contains("by pid 42 while its timer 0x5020 was armed")
                && f.get(0).endsWith("by pid 43)"), f.get(0));
        assertTrue(f.get(1).startsWith("timerwatch: timer 0x5020 fired at "), f.get(1));
        for (int i = 0; i < 100 && !engine.status().maskset().equals("timerwatch-detailed"); i++) Thread.sleep(20);
        assertEquals("timerwatch-detailed", engine.status().maskset());
        Map<String, Integer> detailed = engine.maskset("timerwatch-detailed").bindings();
        assertEquals(1, detailed.get("PROCESS_CONTEXTSWITCH"));
        assertEquals(TimerWatchHandler.ID, detailed.get("uprobes:conn_free"), "the detailed maskset keeps the light one's bindings");
        assertEquals(List.of("create 0 1", "switch 0 1", "create 1 1", "switch 1 1"), bufferCalls);
        assertEquals(true, engine.handlers().stream().filter(h -> h.id() == TimerWatchHandler.ID).findFirst().orElseThrow()
                .parameters().get("escalated"));
    }

    @Test
    void timerDeletedBeforeTheFreeIsNoFindingAndNoEscalation() {
        bind();
        EventType timerDel = probe("timer_del", Field.u64("__probe_ip"), Field.u64("obj"));
        engine.set("light", timerDel.name(), TimerWatchHandler.ID);
        long t0 = System.nanoTime();
        engine.dispatch(new Ev(connNew, 0, t0 + 1_000, 42, 0x5000, 56));
        engine.dispatch(new Ev(connFree, 1, t0 + 4_000, 42, 0x5000, 0));
        engine.dispatch(new Ev(timerAdd, 0, t0 + 2_000, 42, 0x5020, 0));
        engine.dispatch(new Ev(timerDel, 0, t0 + 3_000, 42, 0x5020, 0));
        handler.drain(t0 + 4_000 + 100_000_000L);
        assertEquals(List.of(), handler.findings());
        assertEquals("light", engine.status().maskset());
        assertEquals(List.of(), bufferCalls);
    }
}
