package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import lkst.api.Event;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.api.Payload;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.trace.TraceMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * print's filters (--pid, --tid, --comm, --cpu, --event, --from/--to, --filter), its time scales (--time) and its
 * JSON, on a real trace recorded with the project's own buffers: two CPUs, a context switch each way, a kernel
 * syscall record with a fixed array of six u64, a syscall tracepoint, and JVM events.
 */
class PrintFilterTest {
    static final EventType SYS_ENTER = new EventType(2001, "raw_syscalls:sys_enter", "syscall", EventSource.KERNEL, false,
            List.of("SYSCALL_ENTRY"), List.of(),
            List.of(Field.at("id", FieldType.S64, 0, 8), new Field("args", FieldType.ARRAY, 8, 48, FieldType.U64)), null);
    static final EventType OPENAT = new EventType(2002, "syscalls:sys_enter_openat", "syscall", EventSource.KERNEL, false,
            List.of(), List.of(), List.of(Field.at("dfd", FieldType.S64, 0, 8), Field.at("flags", FieldType.S64, 8, 8)), null);

    /** An LKST event of the catalog, with its tracepoint, that the trace holds no record of. */
    static final EventType FORK = new EventType(3, "PROCESS_FORK", "process", EventSource.KERNEL, true, List.of(),
            List.of("sched:sched_process_fork"), List.of(), null);

    @TempDir Path tmp;
    Path trace;

    /** One recorded event, as a source hands it over: its payload as it is (JVM encoding or kernel layout). */
    record Rec(EventType type, int cpu, long timestamp, int pid, int tid, ByteBuffer payload) implements Event {
        @Override public long number(int index) { return Payload.number(type.fields(), payload, 0, index); }
        @Override public String text(int index) { return Payload.text(type.fields(), payload, 0, index); }
        @Override public int payloadLength() { return payload.limit(); }
        @Override public int payloadOffset() { return 0; }
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static Rec named(int cpu, long time, int pid, int tid, int n, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return new Rec(TestEvent.NAMED, cpu, time, pid, tid, le(6 + b.length).putInt(n).putShort((short) b.length).put(b).flip());
    }

    static final long S = 1_000_000_000L;

    @BeforeEach
    void record() {
        trace = tmp.resolve("t");
        try (BufferSet set = new BufferSet(trace, 2, 64 * 1024, BufferMode.OVERWRITE,
                List.of(PrintCommsAndStatsTest.SWITCH, SYS_ENTER, OPENAT, TestEvent.NAMED, FORK))) {
            set.record(PrintCommsAndStatsTest.Switch.of(0, 1 * S, "bash", 100, "make", 200));
            set.record(new Rec(SYS_ENTER, 1, 1 * S + S / 2, 200, 201,
                    le(56).putLong(257).putLong(3).putLong(-100).putLong(0).putLong(0).putLong(0).putLong(7).flip()));
            set.record(new Rec(OPENAT, 1, 2 * S, 200, 201, le(16).putLong(-100).putLong(0).flip()));
            set.record(named(0, 2 * S + S / 2, 200, 200, 7, "x y"));
            set.record(PrintCommsAndStatsTest.Switch.of(0, 3 * S, "make", 200, "bash", 100));
            set.record(named(1, 3 * S + S / 2, 300, 300, 8, "z"));
        }
    }

    /** The time of each line print shows with {@code options}, as "s.n" ("1.5"); exit 0 and nothing on stderr. */
    List<String> times(String... options) {
        List<String> args = new ArrayList<>(List.of("print"));
        args.addAll(List.of(options));
        args.add(trace.toString());
        Tool t = Tool.run(args.toArray(String[]::new));
        assertEquals(0, t.exit(), args + ": " + t.err());
        assertEquals(List.of(), t.err(), args.toString());
        return t.out().stream().map(l -> l.substring(0, l.indexOf(' ')).replaceAll("0+$", "").replaceAll("\\.$", ".0")).toList();
    }

    @Test
    void withoutOptionsEveryRecordIsShown() {
        assertEquals(List.of("1.0", "1.5", "2.0", "2.5", "3.0", "3.5"), times());
    }

    @Test
    void pidTidAndCpuTakeListsAndRepeat() {
        assertEquals(List.of("1.5", "2.0", "2.5", "3.0"), times("--pid", "200"));
        assertEquals(List.of("1.0", "3.5"), times("--pid", "100,300"));
        assertEquals(List.of("1.0", "3.5"), times("--pid", "100", "--pid=300"));
        assertEquals(List.of("1.5", "2.0"), times("--tid", "201"));
        assertEquals(List.of("1.0", "2.5", "3.0", "3.5"), times("--tid", "100,200", "--tid", "300"));
        assertEquals(List.of("1.5", "2.0", "3.5"), times("--cpu", "1"));
        assertEquals(List.of("1.0", "1.5", "2.0", "2.5", "3.0", "3.5"), times("--cpu", "0,1"));
        assertEquals(List.of(), times("--pid", "999"));
    }

    @Test
    void commIsAGlobOnTheNamePrintShows() {
        assertEquals(List.of("2.5", "3.0"), times("--comm", "ma*"));
        assertEquals(List.of("1.0"), times("--comm", "bash"));
        assertEquals(List.of("1.0", "2.5", "3.0"), times("--comm", "bash", "--comm", "m?ke"));
        assertEquals(List.of("1.0", "2.5", "3.0"), times("--comm", "[bm]*"));
        assertEquals(List.of(), times("--comm", "ba"), "whole names only");
        // a record whose task the trace never named has no command: not even * matches it
        assertEquals(List.of("1.0", "2.5", "3.0"), times("--comm", "*"));
    }

    @Test
    void eventTakesTracepointsLkstEventsAndGlobs() {
        assertEquals(List.of("1.0", "3.0"), times("--event", "sched:sched_switch"));
        assertEquals(List.of("1.0", "3.0"), times("--event", "PROCESS_CONTEXTSWITCH"));
        assertEquals(List.of("1.0", "3.0"), times("--event", "sched:*"));
        assertEquals(List.of("2.0"), times("--event", "syscalls:sys_enter_*"));
        assertEquals(List.of("1.5"), times("--event", "SYSCALL_ENTRY"));
        assertEquals(List.of("1.5", "2.0"), times("--event", "*:sys_enter*"));
        assertEquals(List.of("1.5", "2.5", "3.5"), times("--event", "TEST_NAMED,SYSCALL_ENTRY"));
        assertEquals(List.of("1.0", "2.0", "3.0"), times("--event", "PROCESS_*", "--event", "syscalls:*"));
        // events the catalog knows but the trace holds no record of: nothing, and no error
        assertEquals(List.of(), times("--event", "PROCESS_FORK"));
        assertEquals(List.of(), times("--event", "sched:sched_process_fork"));
        assertEquals(List.of("1.0", "3.0"), times("--event", "sched:*"));
    }

    @Test
    void differentOptionsMustAllMatch() {
        assertEquals(List.of("2.5", "3.0"), times("--pid", "200", "--cpu", "0"));
        assertEquals(List.of("3.0"), times("--pid", "200", "--event", "sched:*", "--comm", "make"));
        assertEquals(List.of("2.0"), times("--tid", "201", "--event", "syscalls:*", "--from", "0.5"));
        assertEquals(List.of(), times("--cpu", "1", "--event", "PROCESS_CONTEXTSWITCH"));
    }

    @Test
    void fromAndToAreSecondsFromTheFirstEventBothIncluded() {
        assertEquals(List.of("2.0", "2.5", "3.0"), times("--from", "1", "--to", "2"));
        assertEquals(List.of("1.5", "2.0", "2.5", "3.0", "3.5"), times("--from", "0.5"));
        assertEquals(List.of("1.0"), times("--to", "0"));
        assertEquals(List.of("1.0", "1.5"), times("--to=0.5"));
        assertEquals(List.of("3.5"), times("--from", "2.4", "--to", "99"));
        assertEquals(List.of(), times("--from", "2.6"));
        assertEquals(List.of("3.0"), times("--from", "1.5", "--to", "2.0", "--event", "sched:sched_switch"),
                "the trace's first event, not the first that passes the other filters");
    }

    @Test
    void timeRelMonoAndWall() throws Exception {
        Tool mono = Tool.run("print", trace.toString());
        Tool rel = Tool.run("print", "--time", "rel", trace.toString());
        assertEquals(mono.out(), Tool.run("print", "--time=mono", trace.toString()).out());
        assertEquals(6, rel.out().size());
        assertEquals("0.000000000 [0] bash-100/100 PROCESS_CONTEXTSWITCH sched:sched_switch prev_comm=bash prev_pid=100 next_comm=make next_pid=200",
                rel.out().get(0));
        assertEquals("2.500000000 [1] 300/300 TEST_NAMED n=8 name=z", rel.out().get(5));
        for (int i = 0; i < 6; i++) {
            String m = mono.out().get(i);
            String r = rel.out().get(i);
            assertEquals(m.substring(m.indexOf(' ')), r.substring(r.indexOf(' ')), "only the time differs");
        }
        // what trace.meta recorded when the trace was made: CLOCK_REALTIME − CLOCK_MONOTONIC
        setClockOffset(1_764_676_546_000_000_000L + 123);
        Tool wall = Tool.run("print", "--time", "wall", trace.toString());
        assertEquals(0, wall.exit(), wall.err().toString());
        assertEquals("2025-12-02T11:55:47.000000123Z [0] bash-100/100 PROCESS_CONTEXTSWITCH sched:sched_switch prev_comm=bash"
                + " prev_pid=100 next_comm=make next_pid=200", wall.out().get(0));
        assertTrue(wall.out().get(5).startsWith("2025-12-02T11:55:49.500000123Z [1] 300/300 TEST_NAMED"), wall.out().get(5));
        String json = Tool.run("print", "--json", "--time", "wall", trace.toString()).out().get(0);
        assertTrue(json.startsWith("{\"time\":1764676547000000123,"), json);
        json = Tool.run("print", "--json", "--time", "rel", trace.toString()).out().get(1);
        assertTrue(json.startsWith("{\"time\":500000000,"), json);
    }

    void setClockOffset(long offset) throws Exception {
        Path meta = trace.resolve(TraceMetadata.FILE);
        String before = Files.readString(meta);
        String after = before.replaceFirst("(?m)^clock\tmono\t-?\\d+$", "clock\tmono\t" + offset);
        assertNotEquals(before, after);
        Files.writeString(meta, after);
    }

    @Test
    void jsonShowsNumbersAsNumbersArraysAsArraysAndTextAsStrings() {
        Tool t = Tool.run("print", "--json", "--event", "SYSCALL_ENTRY,syscalls:*,TEST_NAMED", "--cpu", "1", trace.toString());
        assertEquals(0, t.exit(), t.err().toString());
        assertEquals(List.of(
                "{\"time\":1500000000,\"cpu\":1,\"buffer\":0,\"pid\":200,\"tid\":201,\"event\":\"raw_syscalls:sys_enter\","
                        + "\"lkst\":[\"SYSCALL_ENTRY\"],\"fields\":{\"id\":257,\"args\":[3,18446744073709551516,0,0,0,7]}}",
                "{\"time\":2000000000,\"cpu\":1,\"buffer\":0,\"pid\":200,\"tid\":201,\"event\":\"syscalls:sys_enter_openat\","
                        + "\"fields\":{\"dfd\":-100,\"flags\":0}}",
                "{\"time\":3500000000,\"cpu\":1,\"buffer\":0,\"pid\":300,\"tid\":300,\"event\":\"TEST_NAMED\",\"fields\":{\"n\":8,\"name\":\"z\"}}"),
                t.out());
        String named = Tool.run("print", "--json", "--pid", "200", "--event", "TEST_NAMED", trace.toString()).out().get(0);
        assertEquals("{\"time\":2500000000,\"cpu\":0,\"buffer\":0,\"pid\":200,\"tid\":200,\"event\":\"TEST_NAMED\",\"comm\":\"make\","
                + "\"fields\":{\"n\":7,\"name\":\"x y\"}}", named);
        // the text line shows the same array as the decoder does
        assertTrue(Tool.run("print", "--event", "SYSCALL_ENTRY", trace.toString()).out().get(0)
                .endsWith("id=257 args={0x3,0xffffffffffffff9c,0x0,0x0,0x0,0x7}"));
    }

    @Test
    void filterComparesFieldsInFtraceSyntax() {
        assertEquals(List.of("1.0"), times("--filter", "next_pid == 200"));
        assertEquals(List.of("3.0"), times("--filter", "prev_comm == \"ma*\""));
        assertEquals(List.of("3.0"), times("--filter", "prev_comm ~ 'm*' && next_pid<300"));
        assertEquals(List.of("3.0"), times("--filter", "prev_comm != bash && next_pid < 300"), "records without the field never match");
        assertEquals(List.of("2.0", "3.5"), times("--filter", "n >= 8 || (dfd == -100 && flags == 0)"));
        assertEquals(List.of("2.5", "3.5"), times("--filter", "(n > 6) && (n <= 8)"));
        assertEquals(List.of("1.5"), times("--filter", "id == 0x101 && CPU == 1"));
        assertEquals(List.of("3.5"), times("--filter", "common_pid == 300"));
        assertEquals(List.of("2.5", "3.0"), times("--filter", "COMM == make"));
        assertEquals(List.of("2.5"), times("--filter", "name == \"x y\""));
        assertEquals(List.of("1.0", "2.5", "3.5"), times("--filter", "next_pid == 200 || n != 0", "--event", "TEST_NAMED,PROCESS_*"));
        assertEquals(List.of("2.0"), times("--filter", "dfd < 0 || id > 257"));
    }

    /** Every file under tmp with its size: what a refused command must leave as it was. */
    Map<String, Long> snapshot() throws Exception {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.toList()) m.put(tmp.relativize(p).toString(), Files.isDirectory(p) ? -1 : Files.size(p));
        }
        return m;
    }

    void assertRefused(String expected, String... options) throws Exception {
        Map<String, Long> before = snapshot();
        List<String> args = new ArrayList<>(List.of("print"));
        args.addAll(List.of(options));
        args.add(trace.toString());
        Tool t = Tool.run(args.toArray(String[]::new));
        String what = args + " -> " + t.exit() + " out=" + t.out() + " err=" + t.err();
        assertEquals(2, t.exit(), what);
        assertEquals(1, t.err().size(), what);
        assertTrue(t.err().get(0).startsWith("lkst: print: "), what);
        assertTrue(t.err().get(0).contains(expected), what);
        assertFalse(t.err().get(0).contains("Exception") || t.err().get(0).contains("\tat "), what);
        assertEquals(List.of(), t.out(), what);
        assertEquals(before, snapshot(), what + ": nothing written");
    }

    @Test
    void badValuesAreOneLineAndExit2() throws Exception {
        assertRefused("--pid 'abc' is not a process ID", "--pid", "abc");
        assertRefused("--pid '-1' is not a process ID", "--pid", "-1");
        assertRefused("--tid 'x' is not a thread ID", "--tid", "1,x");
        assertRefused("--cpu '' is not a CPU number", "--cpu", "0,");
        assertRefused("--pid needs a value", "--pid=");
        assertRefused("--from 2.000000000 is after --to 1.000000000", "--from", "2", "--to", "1");
        assertRefused("--from 2.000000000 is after --to 1.000000000", "--to", "1", "--from", "2");
        assertRefused("--from 'soon' is not a number of seconds", "--from", "soon");
        assertRefused("--to '-1' is not a number of seconds", "--to", "-1");
        assertRefused("--from given twice", "--from", "1", "--from", "2");
        assertRefused("unknown option '--bogus'", "--bogus");
        assertRefused("--time 'utc': rel, mono or wall", "--time", "utc");
        assertRefused("bad pattern '[z-a]'", "--comm", "[z-a]");
        assertRefused("--event 'sched:nope' is no event of this trace", "--event", "sched:sched_switch,sched:nope");
        assertRefused("--event 'PROCESS_EXIT' is no event of this trace", "--event", "PROCESS_EXIT");
        assertRefused("--event 'sched:sched_switch,,x': an empty event name", "--event", "sched:sched_switch,,x");
        assertRefused("--cpu 2: the trace has 2 CPUs (0-1)", "--cpu", "2");
        assertRefused("no event of this trace has a field 'nope'", "--filter", "nope == 1");
        assertRefused("next_pid is a number, 'abc' is not", "--filter", "next_pid == abc");
        assertRefused("prev_comm is text: only ==, != and ~ compare it", "--filter", "prev_comm < 3");
        assertRefused("args is an array", "--filter", "args == 1");
        assertRefused("at 12: expected a value after next_pid ==", "--filter", "next_pid ==");
        assertRefused("expected )", "--filter", "(next_pid == 1");
        assertRefused("expected one of == != < <= > >= ~ after next_pid", "--filter", "next_pid = 1");
        assertRefused("expected && or || or the end", "--filter", "next_pid == 1 and n == 2");
        assertRefused("--filter given twice", "--filter", "n == 1", "--filter", "n == 2");
        setClockOffset(0);
        assertRefused("--time wall: trace.meta does not record the CLOCK_REALTIME offset", "--time", "wall");
    }

    @Test
    void statsListsEventsMostFirstInColumnsAsWideAsTheirLongestEntry() {
        EventType longName = new EventType(2003, "syscalls:sys_enter_sched_get_priority_max", "syscall", EventSource.KERNEL, false,
                List.of(), List.of(), List.of(Field.at("policy", FieldType.S64, 0, 8)), null);
        Path t = tmp.resolve("stats");
        try (BufferSet set = new BufferSet(t, 1, 64 * 1024, BufferMode.OVERWRITE, List.of(PrintCommsAndStatsTest.SWITCH, longName, TestEvent.NAMED))) {
            set.record(PrintCommsAndStatsTest.Switch.of(0, S, "bash", 100, "make", 200));
            for (int i = 0; i < 3; i++) set.record(named(0, 2 * S + i, 1, 1, i, "a"));
            for (int i = 0; i < 12; i++) set.record(new Rec(longName, 0, 3 * S + i, 1, 1, le(8).putLong(1).flip()));
            set.record(new Rec(OPENAT, 0, 4 * S, 200, 201, le(16).putLong(-100).putLong(0).flip()));
        }
        Tool s = Tool.run("stats", t.toString());
        assertEquals(0, s.exit(), s.err().toString());
        assertEquals(List.of(
                "17 events from 1.000000000 to 4.000000000 (3.000 s)",
                "  12  syscalls:sys_enter_sched_get_priority_max",
                "   3  TEST_NAMED",
                "   1  sched:sched_switch" + " ".repeat(41 - 18) + "  PROCESS_CONTEXTSWITCH",
                "   1  syscalls:sys_enter_openat"), s.out().subList(0, 5));
    }

    @Test
    void printStopsReadingOnceItIsPastTo() throws Exception {
        Path t = tmp.resolve("late-damage");
        try (BufferSet set = new BufferSet(t, 1, 64 * 1024, BufferMode.OVERWRITE, List.of(TestEvent.NAMED))) {
            for (int i = 0; i < 1000; i++) set.record(named(0, S + i * 1_000_000L, 1, 1, i, "r"));
        }
        // record 900 (at 0.9 s): each record is 32 header + 7 payload bytes, 40 aligned; marked as still being written
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(t.resolve("cpu0-buffer0.lkst"),
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(le(8).putLong(-40L).flip(), 4096 + 900 * 40);
        }
        Tool all = Tool.run("print", t.toString());
        assertEquals(1, all.exit(), "the damage is found when read: " + all.err());
        assertEquals(900, all.out().size());
        Tool early = Tool.run("print", "--to", "0.5", t.toString());
        assertEquals(List.of(), early.err(), "never read as far as the damage");
        assertEquals(0, early.exit());
        assertEquals(501, early.out().size());
        assertTrue(early.out().get(500).startsWith("1.500000000 [0] 1/1 TEST_NAMED n=500 "), early.out().get(500));
    }
}
