package lkst.buffers.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lkst.buffers.KnownTrace;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the page draws of {@link KnownTrace}, whose slices, states and IRQs are known by construction. */
class TimelineTest {
    @TempDir Path tmp;

    Timeline timeline() {
        TraceReader reader = TraceReader.open(KnownTrace.write(tmp.resolve("t")));
        Timeline t = new Timeline(Map.of("TEST_NAMED", true), reader.metadata().cpus());
        reader.forEach(RecordCursor.Torn.FAIL, t::add);
        t.finish();
        return t;
    }

    /** Lane l's spans as "name start-end" (times in ns; "…" for before the first or after the last event). */
    static List<String> spans(Timeline t, Spans.Sorted s, int lane, java.util.function.IntFunction<String> name) {
        List<String> out = new ArrayList<>();
        for (int k = s.first()[lane]; k < s.first()[lane + 1]; k++) {
            out.add(name.apply(s.value()[k]) + " " + time(t, s.start()[k]) + "-" + time(t, s.end()[k]));
        }
        return out;
    }

    static String time(Timeline t, int event) { return event == Spans.OPEN ? "…" : Long.toString(t.events.time(event)); }

    static int task(Timeline t, int tid) {
        for (int i = 0; i < t.tasks.size(); i++) if (t.tasks.get(i).tid == tid) return i;
        throw new AssertionError("no task " + tid);
    }

    @Test
    void eachCpuLaneHasASlicePerTaskSwitchedInTheIdleTaskNone() {
        Timeline t = timeline();
        Spans.Sorted s = t.slices.spans.byLane(t.cpus);
        java.util.function.IntFunction<String> comm = i -> t.tasks.get(i).comm;
        assertEquals(List.of("work 1000-3000", "sleeper 3000-6000", "work 6000-10000"), spans(t, s, 0, comm));
        assertEquals(List.of("other 2000-2600", "sleeper 9000-11000"), spans(t, s, 1, comm));
        assertEquals(KnownTrace.CPU0_SLICES + KnownTrace.CPU1_SLICES, t.slices.spans.size());
    }

    @Test
    void eachTaskIsRunningRunnableOrSleepingFromItsSwitchesAndWakeups() {
        Timeline t = timeline();
        Spans.Sorted s = t.states.spans.byLane(t.tasks.size());
        String[] names = {"running", "runnable", "sleeping", "D"};
        assertEquals(List.of("runnable 1500-3000", "running 3000-6000", "sleeping 6000-7000", "runnable 7000-9000", "running 9000-11000", "sleeping 11000-…"),
                spans(t, s, task(t, 200), i -> names[i]));
        assertEquals(List.of("running 1000-3000", "runnable 3000-6000", "running 6000-10000", "runnable 10000-…"), spans(t, s, task(t, 100), i -> names[i]));
        assertEquals(List.of("running 2000-2600", "sleeping 2600-…"), spans(t, s, task(t, 300), i -> names[i]));
    }

    @Test
    void aTaskSwitchedOutWithoutItsSwitchInKeepsItsLastKnownStateUntilThen() {
        TaskStates states = new TaskStates();
        states.wakeup(0, 5);            // woken: runnable
        states.sw(1, 5, 1, -1);         // switched out (S) at event 1, its switch in never seen (lost)
        states.finish();
        Spans.Sorted s = states.spans.byLane(6);
        assertEquals(List.of(TaskStates.RUNNABLE, TaskStates.SLEEPING), java.util.Arrays.stream(s.value()).boxed().toList());
        assertEquals(List.of(0, 1), java.util.Arrays.stream(s.start()).boxed().toList());
        assertEquals(List.of(1, Spans.OPEN), java.util.Arrays.stream(s.end()).boxed().toList());
    }

    @Test
    void irqsAreSpansFromEntryToExitOnTheirCpu() {
        Timeline t = timeline();
        Spans.Sorted s = t.interrupts.spans.byLane(t.cpus);
        assertEquals(List.of("hard 2100-2150", "soft 2200-2300"), spans(t, s, 0, k -> k == Interrupts.HARD ? "hard" : "soft"));
        assertEquals(0, s.count(1));
    }

    @Test
    void eventsKnowTheirTaskAndTheJvmsTheirKind() {
        Timeline t = timeline();
        int jvm = -1;
        for (int i = 0; i < t.events.size(); i++) if (t.events.tasks.get(i) == task(t, 7)) jvm = i;
        EventTable.Type type = t.events.types.get(t.events.typeOf.get(jvm));
        assertEquals("TEST_NAMED", type.name);
        assertTrue(type.jvm);
        assertEquals(5500, t.events.time(jvm));
    }

    @Test
    void fieldsAreColumnsNumbersAsIntsTextAsIndexesIntoTheStrings() {
        Timeline t = timeline();
        EventTable.Type sw = t.events.types.stream().filter(x -> x.name.equals("sched:sched_switch")).findFirst().orElseThrow();
        assertEquals(8, sw.count);
        FieldColumn next = sw.fields.get("next_comm");
        assertEquals(FieldColumn.Kind.TEXT, next.kind());
        assertEquals("work", t.events.strings.values().get(next.ints()[0]));
        FieldColumn state = sw.fields.get("prev_state");
        assertEquals(FieldColumn.Kind.INT, state.kind());
        assertEquals(0x100, state.ints()[3]); // the fourth switch: work preempted (R+) at 3000
    }

    @Test
    void aValueBeyond32BitsWidensItsColumnToHighAndLowWords() {
        Strings strings = new Strings();
        FieldColumn c = new FieldColumn("call_site");
        c.add(5L, strings);
        c.add(-7L, strings);
        assertEquals(FieldColumn.Kind.INT, c.kind(), "a negative value that fits stays an int");
        c.add(0x1_8123_4567L, strings);
        assertEquals(FieldColumn.Kind.LONG, c.kind());
        assertEquals(List.of(0, 5, -1, -7, 1, 0x81234567), java.util.Arrays.stream(c.ints()).boxed().toList());
        c.add(new java.math.BigInteger("18446744073709551615"), strings);
        assertEquals(FieldColumn.Kind.U64, c.kind());
    }
}
