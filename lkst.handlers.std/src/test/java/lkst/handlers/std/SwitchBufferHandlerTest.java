package lkst.handlers.std;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.buffers.api.Buffers;
import lkst.core.Engine;
import org.junit.jupiter.api.Test;

/** switch-buffer in a real engine; the buffers are a stand-in that notes each switch (they are tested in their module). */
class SwitchBufferHandlerTest {
    final Engine engine = new Engine();
    final List<String> log = new ArrayList<>();
    final Buffers buffers = (Buffers) Proxy.newProxyInstance(Buffers.class.getClassLoader(), new Class<?>[]{Buffers.class},
            (proxy, method, args) -> {
                if (!method.getName().equals("switchTo")) throw new UnsupportedOperationException(method.getName());
                log.add("switch cpu" + args[0] + "->" + args[1]);
                return true;
            });
    final SwitchBufferHandler handler = new SwitchBufferHandler(e -> log.add("record " + e.type().name() + " " + e.number(0)), buffers);

    @Test
    void contextSwitchToAnAssignedPidSwitchesTheCpusBufferAfterRecordingTheSwitch() {
        EventType sw = engine.declare("sched:sched_switch", "process", EventSource.KERNEL, List.of("PROCESS_CONTEXTSWITCH"),
                List.of(Field.at("next_pid", FieldType.S32, 0, 4)));
        EventType other = engine.declare("X", "jvm", EventSource.JVM, List.of(), List.of(Field.u64("v")));
        engine.bind(handler, SwitchBufferHandler.ID, "switch-buffer", "std");
        engine.create("s");
        engine.set("s", "PROCESS_CONTEXTSWITCH", SwitchBufferHandler.ID);
        engine.set("s", "X", SwitchBufferHandler.ID);
        engine.select("s");
        engine.ctl("switch-buffer", "assign", "200:2, 300:3");
        engine.dispatch(new FakeEvent(sw, 1, 1, 200));
        engine.dispatch(new FakeEvent(other, 200, 200, 7));
        engine.dispatch(new FakeEvent(sw, 1, 1, 999));
        assertEquals(List.of("record sched:sched_switch 200", "switch cpu0->2", "record X 7",
                "record sched:sched_switch 999", "switch cpu0->0"), log);
    }

    @Test
    void badAssignmentIsRefusedAndTheOldOneStays() {
        engine.bind(handler, SwitchBufferHandler.ID, "switch-buffer", "std");
        engine.ctl("switch-buffer", "assign", "200:2");
        assertThrows(IllegalArgumentException.class, () -> engine.ctl("switch-buffer", "assign", "200-2"));
        assertThrows(IllegalArgumentException.class, () -> engine.ctl("switch-buffer", "default", "-1"));
        assertEquals("200:2", engine.handlers().get(0).parameters().get("assign"));
    }
}
