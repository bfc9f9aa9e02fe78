package lkst.handlers.std;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.core.Engine;
import org.junit.jupiter.api.Test;

/** The standard handlers bound in a real engine; the recorder is a list (the buffers are tested in their module). */
class HandlersTest {
    final Engine engine = new Engine();
    final List<Event> recorded = new ArrayList<>();
    final EventType t = engine.declare("T", "jvm", EventSource.JVM, List.of(), List.of(Field.u64("seq")));
    final EventType u = engine.declare("U", "jvm", EventSource.JVM, List.of(), List.of(Field.u64("seq")));

    private void bindAll() {
        engine.bind(new RecordHandler(e -> recorded.add(e)), RecordHandler.ID, "record", "std");
    }

    @Test
    void recordRecordsEveryEventTheMasksetGivesIt() {
        bindAll();
        engine.dispatch(new FakeEvent(t, 1, 1, 1));
        engine.dispatch(new FakeEvent(u, 1, 1, 2));
        assertEquals(2, recorded.size());
    }

    @Test
    void pidFilterRecordsOnlyTheGivenPidsAndPushesTheFilterIntoTheKernel() {
        PidFilterHandler f = new PidFilterHandler(e -> recorded.add(e));
        engine.bind(f, PidFilterHandler.ID, "pid-filter", "std");
        engine.create("p");
        engine.set("p", "T", PidFilterHandler.ID);
        engine.select("p");
        engine.dispatch(new FakeEvent(t, 42, 42, 1));
        assertEquals(0, recorded.size(), "no pids: nothing recorded");
        engine.ctl("pid-filter", "pids", "42, 7");
        engine.dispatch(new FakeEvent(t, 42, 42, 1));
        engine.dispatch(new FakeEvent(t, 43, 43, 2));
        engine.dispatch(new FakeEvent(t, 100, 7, 3));
        assertEquals(List.of(1L, 3L), recorded.stream().map(e -> e.number(0)).toList());
        EventType tp = engine.declare("sched:sched_switch", "process", EventSource.KERNEL, List.of("PROCESS_CONTEXTSWITCH"), List.of());
        assertEquals("common_pid==7||common_pid==42", f.kernelFilter(tp));
        assertNull(f.kernelFilter(t), "JVM events are filtered in the handler");
        assertThrows(IllegalArgumentException.class, () -> engine.ctl("pid-filter", "pids", "0"));
        assertThrows(IllegalArgumentException.class, () -> engine.ctl("pid-filter", "pids", "x"));
        assertEquals(Set.of(7, 42), engine.handlers().get(0).parameters().get("pids"));
    }

    @Test
    void countCountsPerEventAndRecordsNothing() {
        CountHandler c = new CountHandler();
        engine.bind(c, CountHandler.ID, "count", "std");
        engine.create("c");
        engine.set("c", "T", CountHandler.ID);
        engine.set("c", "U", CountHandler.ID);
        engine.select("c");
        for (int i = 0; i < 5; i++) engine.dispatch(new FakeEvent(t, 1, 1, i));
        engine.dispatch(new FakeEvent(u, 1, 1, 0));
        assertEquals(Map.of("T", 5L, "U", 1L), c.counts());
        assertThrows(IllegalArgumentException.class, () -> engine.ctl("count", "counts", "5"));
        engine.ctl("count", "counts", "0");
        assertTrue(c.counts().isEmpty());
    }

    @Test
    void masksetSwitchEscalatesToTheTargetOnceWhenTheConditionMatches() throws Exception {
        MasksetSwitchHandler s = new MasksetSwitchHandler(e -> recorded.add(e), engine);
        engine.bind(s, MasksetSwitchHandler.ID, "maskset-switch", "std");
        engine.create("light");
        engine.set("light", "T", MasksetSwitchHandler.ID);
        engine.copy("all", "detail");
        engine.select("light");
        assertThrows(IllegalArgumentException.class, () -> engine.ctl("maskset-switch", "target", "nope"));
        assertThrows(IllegalArgumentException.class, () -> engine.ctl("maskset-switch", "condition", "T seq ~ 5"));
        engine.ctl("maskset-switch", "target", "detail");
        engine.ctl("maskset-switch", "condition", "T seq >= 5");
        for (int i = 1; i <= 4; i++) engine.dispatch(new FakeEvent(t, 1, 1, i));
        assertEquals("light", engine.status().maskset());
        engine.dispatch(new FakeEvent(t, 1, 1, 5));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!engine.status().maskset().equals("detail") && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals("detail", engine.status().maskset());
        assertEquals(5, recorded.size(), "maskset-switch records what it is given, the trigger included");
        assertEquals(false, engine.handlers().get(0).parameters().get("armed"));
        s.deactivate();
    }

    @Test
    void masksetSwitchCountsTheSwitchByTheTimeTheNewMasksetIsActive() throws Exception {
        List<Object> switchesSeenWhenActive = new java.util.concurrent.CopyOnWriteArrayList<>();
        MasksetSwitchHandler[] handler = new MasksetSwitchHandler[1];
        // the tracer the handler switches through: the engine, and a look at the handler the moment select returned
        lkst.api.Tracer tracer = (lkst.api.Tracer) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{lkst.api.Tracer.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(engine, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("select")) {
                        switchesSeenWhenActive.add(handler[0].parameters().stream()
                                .filter(p -> p.name().equals("switches")).findFirst().orElseThrow().value());
                    }
                    return result;
                });
        handler[0] = new MasksetSwitchHandler(e -> recorded.add(e), tracer);
        engine.bind(handler[0], MasksetSwitchHandler.ID, "maskset-switch", "std");
        engine.create("light");
        engine.set("light", "T", MasksetSwitchHandler.ID);
        engine.copy("all", "detail");
        engine.select("light");
        engine.ctl("maskset-switch", "target", "detail");
        engine.ctl("maskset-switch", "condition", "T seq >= 1");
        engine.dispatch(new FakeEvent(t, 1, 1, 1));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (switchesSeenWhenActive.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(List.of(1L), switchesSeenWhenActive, "switches when the target maskset became active");
        assertEquals(1L, engine.handlers().get(0).parameters().get("switches"));
        handler[0].deactivate();
    }

    @Test
    void conditionParsesAndMatchesGroupsToo() {
        Condition c = Condition.parse("PROCESS_CONTEXTSWITCH next_pid == 0x10");
        EventType tp = engine.declare("sched:sched_switch", "process", EventSource.KERNEL, List.of("PROCESS_CONTEXTSWITCH"),
                List.of(Field.at("next_pid", lkst.api.FieldType.S32, 0, 4)));
        assertTrue(c.matches(new FakeEvent(tp, 1, 1, 16)));
        assertTrue(!c.matches(new FakeEvent(tp, 1, 1, 15)));
        assertThrows(IllegalArgumentException.class, () -> Condition.parse("a b"));
    }
}
