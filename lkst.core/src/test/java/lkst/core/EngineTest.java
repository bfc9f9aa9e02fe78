package lkst.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.HandlerContext;
import lkst.api.HandlerInfo;
import lkst.api.MasksetInfo;
import lkst.api.Parameter;
import org.junit.jupiter.api.Test;

class EngineTest {
    private final Engine engine = new Engine();

    /** Counts what it is given and which masksets it saw. */
    static final class Counting implements EventHandler {
        final AtomicLong n = new AtomicLong();
        final Set<String> masksets = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void handle(Event event, HandlerContext context) {
            n.incrementAndGet();
            masksets.add(context.maskset());
        }
    }

    private EventType jvmEvent(String name) {
        return engine.declare(name, "jvm", EventSource.JVM, List.of(), List.of(Field.u64("seq")));
    }

    @Test
    void standardCatalogHasLkstEventsWithStableIdsAndTracepoints() {
        EventType cs = engine.event("PROCESS_CONTEXTSWITCH");
        assertEquals(1, cs.id());
        assertEquals(List.of("sched:sched_switch"), cs.tracepoints());
        assertEquals("process", cs.category());
        EventType exit = engine.event("EXCEPTION_EXIT");
        assertFalse(exit.available(), "EXCEPTION_EXIT has no tracepoint and must say so");
        assertTrue(exit.unavailable().contains("no tracepoint"));
        assertTrue(engine.events().size() >= 53);
    }

    @Test
    void defaultMasksetBindsEveryStandardEventButLocksToRecord() {
        MasksetInfo def = engine.maskset("default");
        assertTrue(def.active());
        assertEquals(1, def.bindings().get("SYSCALL_ENTRY"));
        assertNull(def.bindings().get("LK_SPINLOCK"), "lock events are not in default");
        assertEquals(1, engine.maskset("all").bindings().get("LK_SPINLOCK"));
        assertTrue(engine.maskset("off").bindings().isEmpty());
    }

    @Test
    void tracepointTypesFollowTheirLkstEvent() {
        EventType tp = engine.declare("sched:sched_switch", "process", EventSource.KERNEL, List.of("PROCESS_CONTEXTSWITCH"), List.of());
        assertTrue(engine.enabled(tp.id()), "default binds PROCESS_CONTEXTSWITCH, so its tracepoint is enabled");
        engine.select("off");
        assertFalse(engine.enabled(tp.id()));
        engine.copy("default", "nocs");
        engine.unset("nocs", "PROCESS_CONTEXTSWITCH");
        engine.select("nocs");
        assertFalse(engine.enabled(tp.id()));
        engine.set("nocs", "sched:sched_switch", 7);
        assertTrue(engine.enabled(tp.id()), "a binding on the tracepoint itself counts too");
    }

    @Test
    void eventsGoToTheHandlerTheActiveMasksetNames() {
        EventType e = jvmEvent("T1");
        Counting record = new Counting();
        Counting other = new Counting();
        engine.bind(record, 1, "record", "test");
        engine.bind(other, 50, "other", "test");
        engine.dispatch(new TestEvent(e, 1));
        engine.copy("default", "m");
        engine.set("m", "T1", 50);
        engine.select("m");
        engine.dispatch(new TestEvent(e, 2));
        assertEquals(1, record.n.get());
        assertEquals(1, other.n.get());
        assertEquals(Set.of("m"), other.masksets);
    }

    @Test
    void unboundHandlerIdIsAllowedCountedAndShown() {
        EventType e = jvmEvent("T2");
        engine.create("m");
        MasksetInfo m = engine.set("m", "T2", 77);
        assertEquals(Set.of(77), m.unbound());
        engine.select("m");
        engine.dispatch(new TestEvent(e, 1));
        assertEquals(1L, engine.status().undelivered().get("unbound"));
        Counting h = new Counting();
        engine.bind(h, 77, "late", "test");
        assertTrue(engine.maskset("m").unbound().isEmpty());
        engine.dispatch(new TestEvent(e, 2));
        assertEquals(1, h.n.get());
        engine.unbind(h);
        engine.dispatch(new TestEvent(e, 3));
        assertEquals(1, h.n.get(), "an unbound handler gets nothing more");
        assertEquals(2L, engine.status().undelivered().get("unbound"));
    }

    @Test
    void duplicateIdIsRefusedAndTheFirstStaysBound() {
        EventType e = jvmEvent("T3");
        Counting first = new Counting();
        Counting second = new Counting();
        engine.bind(first, 1, "record", "a");
        engine.bind(second, 1, "impostor", "b");
        engine.dispatch(new TestEvent(e, 1));
        assertEquals(1, first.n.get());
        assertEquals(0, second.n.get());
        HandlerInfo refused = engine.handlers().stream().filter(h -> h.name().equals("impostor")).findFirst().orElseThrow();
        assertEquals(HandlerInfo.REFUSED, refused.state());
        assertTrue(refused.reason().contains("duplicate"), refused.reason());
        engine.unbind(first);
        engine.dispatch(new TestEvent(e, 2));
        assertEquals(1, second.n.get(), "the waiting duplicate takes over when the first goes");
    }

    @Test
    void missingOrMalformedIdIsRefused() {
        engine.bind(new Counting(), null, "noid", "x");
        engine.bind(new Counting(), "abc", "badid", "x");
        List<HandlerInfo> hs = engine.handlers();
        assertEquals(2, hs.stream().filter(h -> h.state().equals(HandlerInfo.REFUSED)).count());
    }

    @Test
    void throwingHandlerIsCountedQuarantinedAndTracingGoesOn() {
        EventType e = jvmEvent("T4");
        AtomicInteger calls = new AtomicInteger();
        engine.bind((ev, ctx) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        }, 1, "bad", "x");
        for (int i = 0; i < Engine.QUARANTINE_AFTER + 5; i++) engine.dispatch(new TestEvent(e, i));
        assertEquals(Engine.QUARANTINE_AFTER, calls.get(), "no calls after quarantine");
        HandlerInfo h = engine.handlers().get(0);
        assertEquals(HandlerInfo.QUARANTINED, h.state());
        assertEquals(Engine.QUARANTINE_AFTER, h.faults());
        assertEquals(5L, engine.status().undelivered().get("quarantined"));
        engine.release("bad");
        engine.dispatch(new TestEvent(e, 99));
        assertEquals(Engine.QUARANTINE_AFTER + 1, calls.get());
    }

    @Test
    void handlerFiredFromTwoThreadsIsQuarantinedAtExactlyItsTenthFault() throws Exception {
        for (int run = 0; run < 200; run++) {
            Engine engine = new Engine();
            EventType e = engine.declare("T5", "jvm", EventSource.JVM, List.of(), List.of(Field.u64("seq")));
            engine.bind((ev, ctx) -> { throw new IllegalStateException("boom"); }, 1, "bad", "x");
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            Runnable firing = () -> {
                try {
                    start.await();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
                for (int i = 0; i < 2_000; i++) engine.dispatch(new TestEvent(e, i));
            };
            Thread other = new Thread(firing);
            other.start();
            firing.run();
            other.join();
            HandlerInfo h = engine.handlers().get(0);
            assertEquals(HandlerInfo.QUARANTINED, h.state(), "run " + run);
            assertEquals(Engine.QUARANTINE_AFTER, h.faults(), "faults at quarantine, run " + run);
            assertEquals(Engine.QUARANTINE_AFTER, engine.status().undelivered().get("fault"), "run " + run);
            assertEquals(4_000 - Engine.QUARANTINE_AFTER, engine.status().undelivered().get("quarantined"), "run " + run);
            assertTrue(h.reason().startsWith("quarantined after 10 faults, last: boom"), h.reason());
        }
    }

    @Test
    void quarantineMessageNamesTheReleaseCommand() {
        EventType e = jvmEvent("T6");
        engine.bind((ev, ctx) -> { throw new IllegalStateException("boom"); }, 1, "bad", "x");
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true));
        try {
            for (int i = 0; i < Engine.QUARANTINE_AFTER; i++) engine.dispatch(new TestEvent(e, i));
        } finally {
            System.setErr(err);
        }
        String text = log.toString();
        assertTrue(text.contains("handler bad (id 1) quarantined after 10 faults, last: boom (IllegalStateException); lkst:release 1 brings it back"), text);
        assertFalse(text.contains("java.lang."), text);
    }

    @Test
    void builtInMasksetsAreReadOnlyAndBadInputChangesNothing() {
        long gen = engine.status().generation();
        assertThrows(IllegalArgumentException.class, () -> engine.set("default", "SYSCALL_ENTRY", 2));
        assertThrows(IllegalArgumentException.class, () -> engine.select("nope"));
        assertThrows(IllegalArgumentException.class, () -> engine.create("bad name"));
        engine.create("m");
        assertThrows(IllegalArgumentException.class, () -> engine.create("m"));
        assertThrows(IllegalArgumentException.class, () -> engine.set("m", "NO_SUCH_EVENT", 1));
        assertThrows(IllegalArgumentException.class, () -> engine.set("m", "SYSCALL_ENTRY", 0));
        assertThrows(IllegalArgumentException.class, () -> engine.unset("m", "SYSCALL_ENTRY"));
        engine.select("m");
        assertThrows(IllegalArgumentException.class, () -> engine.delete("m"), "the active maskset cannot go");
        assertTrue(engine.maskset("m").bindings().isEmpty());
        assertEquals("m", engine.status().maskset());
        assertTrue(engine.status().generation() > gen);
    }

    @Test
    void masksetsSurviveARestartThroughTheStore() {
        AtomicReference<Map<String, Object>> saved = new AtomicReference<>();
        engine.store(saved::set);
        engine.copy("default", "light");
        engine.unset("light", "SYSCALL_ENTRY");
        engine.create("escalate");
        engine.set("escalate", "SYSCALL_ENTRY", 4);
        engine.select("escalate");

        Engine restarted = new Engine();
        restarted.restore(saved.get());
        assertEquals("escalate", restarted.status().maskset());
        assertEquals(Map.of("SYSCALL_ENTRY", 4), restarted.maskset("escalate").bindings());
        assertNull(restarted.maskset("light").bindings().get("SYSCALL_ENTRY"));
        assertEquals(engine.maskset("light").bindings(), restarted.maskset("light").bindings());
        assertEquals(engine.maskset("light").id(), restarted.maskset("light").id());
    }

    @Test
    void malformedSavedMasksetIsSkippedAndTheRestLoads() {
        Engine e = new Engine();
        e.restore(Map.of("masksets", new String[]{"x", "11:good"}, "maskset.good", new String[]{"SYSCALL_ENTRY=1"},
                "active", "good"));
        assertEquals("good", e.status().maskset());
        assertEquals(4, e.masksets().size());
    }

    @Test
    void anEventArrivingAfterItsEventWasSwitchedOffIsCountedNotLostSilently() {
        EventType e = jvmEvent("T9");
        Counting h = new Counting();
        engine.bind(h, 1, "record", "x");
        engine.select("off");
        engine.dispatch(new TestEvent(e, 1)); // e.g. read from a kernel buffer after the switch
        assertEquals(0, h.n.get());
        assertEquals(1L, engine.status().undelivered().get("masked"));
    }

    @Test
    void stopDisablesEverythingAndStartRestores() {
        EventType e = jvmEvent("T5");
        assertTrue(engine.enabled(e.id()));
        engine.stop();
        assertFalse(engine.enabled(e.id()));
        assertFalse(engine.status().tracing());
        engine.start();
        assertTrue(engine.enabled(e.id()));
    }

    @Test
    void listenersHearEveryChangeOfWhatIsEnabled() {
        AtomicInteger heard = new AtomicInteger();
        engine.addListener(heard::incrementAndGet);
        engine.select("off");
        engine.select("default");
        assertEquals(2, heard.get());
    }

    @Test
    void redeclaringWithOtherFieldsIsRefused() {
        EventType a = jvmEvent("T6");
        assertEquals(a, jvmEvent("T6"));
        assertThrows(IllegalArgumentException.class,
                () -> engine.declare("T6", "jvm", EventSource.JVM, List.of(), List.of(Field.string("x"))));
        assertThrows(IllegalArgumentException.class,
                () -> engine.declare("SYSCALL_ENTRY", "jvm", EventSource.JVM, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> engine.declare("T7", "jvm", EventSource.JVM, List.of(), List.of(Field.u32("a"), Field.u64("a"))));
    }

    /** A handler with LKST's t_pid: a typed parameter. */
    static final class PidHandler implements EventHandler {
        volatile Set<Integer> pids = Set.of();

        @Override
        public void handle(Event event, HandlerContext context) { }

        @Override
        public List<Parameter> parameters() {
            return List.of(Parameter.<Set<Integer>>of("pids", Parameter.Type.INT_SET, "pids", () -> pids, v -> pids = v,
                    v -> v.stream().allMatch(p -> p > 0), "pids are positive"));
        }
    }

    @Test
    void ctlSetsTypedParametersAndABadValueKeepsTheOldOne() {
        PidHandler h = new PidHandler();
        engine.bind(h, 2, "pid-filter", "x");
        engine.ctl("pid-filter", "pids", "42,43");
        assertEquals(Set.of(42, 43), h.pids);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> engine.ctl("2", "pids", "4x"));
        assertTrue(bad.getMessage().contains("pids"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.ctl("2", "pids", "-5"));
        assertThrows(IllegalArgumentException.class, () -> engine.ctl("2", "nope", "1"));
        assertThrows(IllegalArgumentException.class, () -> engine.ctl("nobody", "pids", "1"));
        assertEquals(Set.of(42, 43), h.pids);
        assertEquals(Set.of(42, 43), engine.handlers().get(0).parameters().get("pids"));
    }

    @Test
    void configurationAppliesWhenTheHandlerArrivesAndBadValuesAreSkipped() {
        engine.configure("pid-filter", Map.of("pids", new String[]{"7", "8"}));
        PidHandler h = new PidHandler();
        engine.bind(h, 2, "pid-filter", "x");
        assertEquals(Set.of(7, 8), h.pids);
        engine.configure("pid-filter", Map.of("pids", "oops"));
        assertEquals(Set.of(7, 8), h.pids);
    }

    /**
     * Under concurrent firing, switching masksets back and forth: every event is handled exactly once, under
     * exactly one maskset — never by both handlers, never lost.
     */
    @Test
    void switchingIsAtomicUnderConcurrentFiring() throws Exception {
        EventType e = jvmEvent("T8");
        Counting a = new Counting();
        Counting b = new Counting();
        engine.bind(a, 100, "a", "x");
        engine.bind(b, 200, "b", "x");
        engine.create("A");
        engine.set("A", "T8", 100);
        engine.create("B");
        engine.set("B", "T8", 200);
        engine.select("A");
        int threads = 4;
        int perThread = 200_000;
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> firing = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < perThread; i++) engine.dispatch(new TestEvent(e, i));
                } catch (Throwable x) {
                    errors.add(x);
                }
            });
            firing.add(th);
            th.start();
        }
        int switches = 0;
        while (firing.stream().anyMatch(Thread::isAlive)) {
            engine.select(switches++ % 2 == 0 ? "B" : "A");
        }
        for (Thread th : firing) th.join();
        assertTrue(errors.isEmpty(), errors.toString());
        assertTrue(switches > 10, "the test must switch while firing; switched " + switches);
        assertEquals((long) threads * perThread, a.n.get() + b.n.get());
        assertEquals(Set.of("A"), a.masksets);
        assertEquals(Set.of("B"), b.masksets);
        assertNotNull(engine.status());
    }

    /**
     * Tracer.stop() from any caller first lets every source deliver what it holds (the kernel's buffers), so those
     * events reach their handler instead of being counted as masked; a source that falls short is logged, not fatal.
     */
    @Test
    void stopDrainsEverySourceBeforeDispatchStops() {
        Counting record = new Counting();
        engine.bind(record, 1, "record", "test");
        EventType e = jvmEvent("HELD");
        engine.set(engine.copy("default", "held").name(), "HELD", 1);
        engine.select("held");
        List<String> order = new ArrayList<>();
        engine.addDrain(new lkst.api.Drainable() {
            @Override public String name() { return "held"; }

            @Override
            public boolean drain(long timeoutMs) {
                order.add("drain, tracing " + engine.status().tracing());
                engine.dispatch(new TestEvent(e, 1)); // an event still held at the stop
                return true;
            }
        });
        engine.addDrain(new lkst.api.Drainable() {
            @Override public String name() { return "slow"; }

            @Override
            public boolean drain(long timeoutMs) {
                order.add("slow");
                return false; // fell short: logged, the stop goes on
            }
        });
        engine.stop();
        assertEquals(List.of("drain, tracing true", "slow"), order);
        assertEquals(1, record.n.get(), "the held event reached its handler");
        assertEquals(0L, engine.status().undelivered().get("masked"));
        assertFalse(engine.status().tracing());
        assertFalse(engine.enabled(e.id()));
    }
}
