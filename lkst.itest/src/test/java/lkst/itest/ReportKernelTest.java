package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lkst report --json} of a real {@code ./lkst record} against the same figures computed independently from
 * the kernel's own text rendering of the same events: a reference ftrace instance of this test's own records
 * sched_switch, sched_wakeup(_new) and raw_syscalls from before the record starts until after it ends; for the
 * workload's own threads only (others run workloads on this machine), switches in and out (voluntary, involuntary),
 * CPU time, wake-ups and the longest wake-up latency, and syscall counts and errors per syscall must agree.
 */
class ReportKernelTest {
    static final Path INSTANCES = Path.of("/sys/kernel/tracing/instances");
    /** "comm-tid [cpu] flags seconds.micros: event: rest" (the flags column is there by default). */
    static final Pattern LINE = Pattern.compile("(?s)^\\s*(.+)-(\\d+)\\s+(?:\\(\\s*(?:\\d+|-+)\\)\\s+)?\\[(\\d+)\\]\\s+(?:\\S+\\s+)?(\\d+)\\.(\\d{6}):\\s+(\\w+):\\s+(.*)$");
    static final Pattern SWITCH = Pattern.compile("(?s)prev_comm=.* prev_pid=(\\d+) prev_prio=-?\\d+ prev_state=(\\S+) ==> next_comm=.* next_pid=(\\d+) next_prio=-?\\d+");
    static final Pattern WAKEUP = Pattern.compile("(?s)comm=.* pid=(\\d+) prio=-?\\d+ target_cpu=\\d+");
    static final Pattern ENTER = Pattern.compile("NR (-?\\d+) \\(.*");
    static final Pattern EXIT = Pattern.compile("NR (-?\\d+) = (-?\\d+)");

    /** How far one interval may differ: µs rounding of the text plus each instance's own clock read per event. */
    static final long SLACK_NS = 10_000;

    @TempDir Path home;

    /** What the reference says of one thread. */
    static final class Ref {
        long in, voluntary, involuntary, cpuMicros;
        final Map<Long, long[]> syscalls = new TreeMap<>(); // id → {calls, errors}
        long pendingId = Long.MIN_VALUE;
        // wake-up to switch-in, as perf sched latency counts it: a wake-up of a task on a CPU, or of one that did
        // not sleep, or a second before its switch-in, is not a latency
        boolean onCpu, seen, sleeping;
        long wokenAt = -1, wakeups, maxWakeMicros = -1;
        final List<String> ins = new java.util.ArrayList<>(); // "cpu N at us", for a failure's message
    }

    @Test
    void reportAgreesWithTheKernelsOwnRenderingOfTheSameEvents() throws Exception {
        assumeTrue(Files.isWritable(INSTANCES), "needs root and tracefs mounted at /sys/kernel/tracing (kernel events)");
        Path ref = INSTANCES.resolve("lkst-report-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path pids = home.resolve("pids");
        Path trace = home.resolve("trace");
        Files.createDirectory(ref);
        try {
            write(ref.resolve("tracing_on"), "0");
            write(ref.resolve("buffer_size_kb"), "32768");
            write(ref.resolve("trace_clock"), "mono");
            for (String e : List.of("sched/sched_switch", "sched/sched_wakeup", "sched/sched_wakeup_new", "raw_syscalls/sys_enter", "raw_syscalls/sys_exit")) {
                write(ref.resolve("events/" + e + "/enable"), "1");
            }
            write(ref.resolve("tracing_on"), "1");
            // a small deterministic workload: sh and 8 cat children, each child's pid written down
            Lkst.Run rec = Lkst.run(home, "record", "-e", "PROCESS_CONTEXTSWITCH", "-e", "PROCESS_WAKEUP", "-e", "SYSCALL_ENTRY",
                    "-e", "SYSCALL_EXIT", "-e", "irq:irq_handler_entry", "-e", "irq:irq_handler_exit", "-o", trace.toString(), "--", "sh", "-c",
                    "echo $$ > " + pids + "; for i in 1 2 3 4 5 6 7 8; do cat /etc/hostname >/dev/null & echo $! >> " + pids + "; wait; done"
                    // direct reads past the page cache: the disk's interrupts, so that a run on a quiet machine, over
                    // in some 70 ms, has hard IRQs to report too (dd is not one of the compared threads)
                    + "; dd if=" + Felix.DIST.resolve("lkst.jar").toAbsolutePath() + " of=/dev/null iflag=direct bs=4096 count=64 2>/dev/null");
            write(ref.resolve("tracing_on"), "0");
            assertEquals(0, rec.exit(), rec.err());
            assumeTrue(referenceComplete(ref), "the reference instance lost events (the machine is too busy): nothing to compare");
            assumeTrue(rec.out().lines().filter(l -> l.contains("lost while logging")).allMatch(l -> l.endsWith("buffers 0, kernel 0")),
                    "LKST/J lost events in this run (its report says so first): the counts cannot agree\n" + rec.out());

            List<Long> workload = Files.readAllLines(pids).stream().map(String::trim).map(Long::parseLong).toList();
            assertEquals(9, workload.size(), workload.toString());
            // The reference also saw what happened before LKST/J traced: sh is forked held (it waits on a FIFO until
            // tracing runs, so that it can be named for tracing first) and is switched in meanwhile. Compare from the
            // trace's first event on.
            String first = Lkst.run(home, "print", "--json", trace.toString()).out().lines().findFirst().orElse("");
            Matcher f = Pattern.compile("\\{\"time\":(\\d+)").matcher(first);
            assertTrue(f.find(), "the trace has events: " + first);
            long fromUs = Long.parseLong(f.group(1)) / 1000;
            Map<Long, Ref> expected = reference(ref.resolve("trace"), Set.copyOf(workload), fromUs);

            Lkst.Run report = Lkst.run(home, "report", "--json", trace.toString());
            assertEquals(0, report.exit(), report.err());
            String json = report.out();
            Map<Long, long[]> tasks = new HashMap<>();
            Matcher t = Pattern.compile("\\{\"tid\":(\\d+),\"comm\":\"(?:[^\"\\\\]|\\\\.)*\",\"cpu_ns\":(\\d+),\"switched_in\":(\\d+),\"voluntary\":(\\d+),\"involuntary\":(\\d+)"
                    + ",\"wakeups\":(\\d+)(?:,\"wakeup_avg_ns\":\\d+,\"wakeup_p99_ns\":\\d+,\"wakeup_max_ns\":(\\d+))?").matcher(json);
            while (t.find()) {
                tasks.put(Long.parseLong(t.group(1)), new long[]{Long.parseLong(t.group(2)), Long.parseLong(t.group(3)), Long.parseLong(t.group(4)),
                        Long.parseLong(t.group(5)), Long.parseLong(t.group(6)), t.group(7) == null ? -1 : Long.parseLong(t.group(7))});
            }
            Map<Long, Map<Long, long[]>> calls = new HashMap<>();
            Matcher s = Pattern.compile("\\{\"tid\":(\\d+),\"comm\":\"(?:[^\"\\\\]|\\\\.)*\",\"id\":(-?\\d+),\"name\":\"[^\"]*\",\"calls\":(\\d+),\"errors\":(\\d+)").matcher(json);
            while (s.find()) calls.computeIfAbsent(Long.parseLong(s.group(1)), k -> new TreeMap<>()).put(Long.parseLong(s.group(2)), new long[]{Long.parseLong(s.group(3)), Long.parseLong(s.group(4))});

            long sh = workload.get(0);
            for (long tid : workload) {
                Ref r = expected.get(tid);
                assertTrue(r != null && r.in > 0, "the reference saw thread " + tid + " run");
                long[] got = tasks.get(tid);
                assertTrue(got != null, "report has no row for thread " + tid + ": " + json);
                if (r.in != got[1]) {
                    // which switch-ins the trace lacks (or has more of): the trace's own, from print --json
                    List<String> lkst = Lkst.run(home, "print", "--json", trace.toString()).out().lines()
                            .filter(l -> l.contains("\"next_pid\":" + tid + ",") || l.contains("\"next_pid\":" + tid + "}"))
                            .map(l -> {
                                Matcher m = Pattern.compile("\\{\"time\":(\\d+),\"cpu\":(\\d+)").matcher(l);
                                return m.find() ? "cpu " + m.group(2) + " at " + Long.parseLong(m.group(1)) / 1000 : l;
                            }).toList();
                    assertEquals(r.in, got[1], "times switched in, thread " + tid + (tid == sh ? " (sh)" : " (a child)")
                            + "; the kernel's text: " + r.ins + "; LKST/J's trace: " + lkst + "; the trace ends at " + json.replaceAll(".*\"last_ns\":(\\d+).*", "$1")
                            + "; record said:\n" + rec.out());
                }
                assertEquals(r.involuntary, got[3], "involuntary switches, thread " + tid);
                if (tid != sh) { // sh's last switch-out (as it dies) may come after LKST/J saw it exit and stopped
                    assertEquals(r.voluntary, got[2], "voluntary switches, thread " + tid);
                    // the reference's times are rounded to microseconds, and each instance's ring buffer reads the clock
                    // for the same event on its own (a few hundred ns apart): each interval may be off by up to 10 us
                    assertTrue(Math.abs(got[0] - r.cpuMicros * 1000) <= SLACK_NS * (r.in + 1),
                            "CPU time of thread " + tid + ": report " + got[0] + " ns, kernel's text " + r.cpuMicros + " us");
                    // sh's own first wake-up (sched_wakeup_new) comes from the JVM that forks it, which LKST/J keeps out
                    assertEquals(r.wakeups, got[4], "wake-ups followed by a switch-in, thread " + tid);
                    assertTrue(r.wakeups > 0 || got[5] == -1, "no latency without wake-ups");
                    if (r.wakeups > 0) {
                        assertTrue(Math.abs(got[5] - r.maxWakeMicros * 1000) <= SLACK_NS, "longest wake-up latency of thread " + tid
                                + ": report " + got[5] + " ns, kernel's text " + r.maxWakeMicros + " us");
                    }
                }
                Map<Long, String> want = r.syscalls.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue()[0] + "/" + e.getValue()[1], (a, b) -> a, TreeMap::new));
                Map<Long, String> have = calls.getOrDefault(tid, Map.of()).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue()[0] + "/" + e.getValue()[1], (a, b) -> a, TreeMap::new));
                assertEquals(want, have, "syscall id -> calls/errors, thread " + tid);
            }
            assertTrue(expected.values().stream().mapToLong(r -> r.syscalls.size()).sum() > 20, "the workload made syscalls");
            // IRQ time is there (irq_handler_exit declared by record -e), and said not to be subtracted
            assertTrue(json.contains("\"irqs\":{\"subtracted_from_task_cpu_time\":false,\"hard\":{\"recorded\":true,"), json);
            assertTrue(json.contains("\"soft\":{\"recorded\":false,\"why\":\"no irq:softirq_entry/softirq_exit in this trace\"}"), json);

            Lkst.Run text = Lkst.run(home, "report", trace.toString());
            assertEquals(0, text.exit(), text.err());
            List<String> lines = text.out().lines().toList();
            assertEquals("losses: none (trace.lost: no event lost on any CPU)", lines.get(0), "what was lost comes first");
            assertTrue(lines.stream().anyMatch(l -> l.matches("\\s+" + sh + "\\s+sh\\s+\\d+\\.\\d{3}\\s+\\d+.*")), text.out());
            assertTrue(lines.stream().anyMatch(l -> l.matches("\\s+" + workload.get(1) + "\\s+cat\\s+read\\s+\\d+\\s+0\\s+.*")), text.out());
            assertTrue(lines.contains("soft IRQs: not recorded (no irq:softirq_entry/softirq_exit in this trace)"), text.out());
        } finally {
            try {
                write(ref.resolve("tracing_on"), "0");
            } catch (IOException e) {
                // gone already
            }
            Files.deleteIfExists(ref); // rmdir of an instance removes it
        }
    }

    /** Overrun and dropped events of every CPU of the instance are 0. */
    static boolean referenceComplete(Path instance) throws IOException {
        try (var cpus = Files.list(instance.resolve("per_cpu"))) {
            for (Path cpu : cpus.toList()) {
                for (String l : Files.readAllLines(cpu.resolve("stats"))) {
                    if ((l.startsWith("overrun:") || l.startsWith("dropped events:")) && !l.endsWith(" 0")) return false;
                }
            }
        }
        return true;
    }

    /** The figures of {@code threads} from the kernel's text rendering, computed on their own. */
    static Map<Long, Ref> reference(Path text, Set<Long> threads, long fromUs) throws IOException {
        Map<Long, Ref> refs = new HashMap<>();
        Map<Integer, long[]> onCpu = new HashMap<>(); // cpu → {tid, since us}
        try (BufferedReader r = Files.newBufferedReader(text, StandardCharsets.UTF_8)) {
            for (String l; (l = r.readLine()) != null; ) {
                if (l.startsWith("#")) continue;
                // a command name may hold a newline (comm is whatever a program set): such an event spans lines
                while ((l.contains(": sched_switch: ") && !l.contains(" next_prio=") || l.contains(": sched_wakeup") && !l.contains(" target_cpu="))) {
                    String more = r.readLine();
                    if (more == null) break;
                    l = l + "\n" + more;
                }
                Matcher m = LINE.matcher(l);
                if (!m.matches()) continue;
                long tid = Long.parseLong(m.group(2));
                int cpu = Integer.parseInt(m.group(3));
                long us = Long.parseLong(m.group(4)) * 1_000_000 + Long.parseLong(m.group(5));
                if (us < fromUs) continue;
                String event = m.group(6);
                String rest = m.group(7);
                switch (event) {
                    case "sched_switch" -> {
                        Matcher s = SWITCH.matcher(rest);
                        if (!s.matches()) throw new AssertionError("cannot read " + l);
                        long prev = Long.parseLong(s.group(1));
                        long next = Long.parseLong(s.group(3));
                        long[] cur = onCpu.get(cpu);
                        if (threads.contains(prev)) {
                            Ref p = refs.computeIfAbsent(prev, k -> new Ref());
                            if (s.group(2).startsWith("R")) p.involuntary++;
                            else p.voluntary++;
                            p.seen = true;
                            p.onCpu = false;
                            p.sleeping = !s.group(2).startsWith("R");
                            if (cur != null && cur[0] == prev) p.cpuMicros += us - cur[1];
                        }
                        if (threads.contains(next)) {
                            Ref n = refs.computeIfAbsent(next, k -> new Ref());
                            n.in++;
                            n.ins.add("cpu " + cpu + " at " + us);
                            n.seen = true;
                            n.onCpu = true;
                            n.sleeping = false;
                            if (n.wokenAt >= 0) {
                                n.wakeups++;
                                n.maxWakeMicros = Math.max(n.maxWakeMicros, us - n.wokenAt);
                                n.wokenAt = -1;
                            }
                        }
                        onCpu.put(cpu, new long[]{next, us});
                    }
                    case "sched_wakeup", "sched_wakeup_new" -> {
                        Matcher w = WAKEUP.matcher(rest);
                        if (!w.matches()) throw new AssertionError("cannot read " + l);
                        long pid = Long.parseLong(w.group(1));
                        if (!threads.contains(pid)) continue;
                        Ref t = refs.computeIfAbsent(pid, k -> new Ref());
                        if (!t.onCpu && t.wokenAt < 0 && (!t.seen || t.sleeping)) t.wokenAt = us;
                    }
                    case "sys_enter" -> {
                        if (!threads.contains(tid)) continue;
                        Matcher e = ENTER.matcher(rest);
                        if (!e.matches()) throw new AssertionError("cannot read " + l);
                        Ref t = refs.computeIfAbsent(tid, k -> new Ref());
                        t.pendingId = Long.parseLong(e.group(1));
                        t.syscalls.computeIfAbsent(t.pendingId, k -> new long[2])[0]++;
                    }
                    case "sys_exit" -> {
                        if (!threads.contains(tid)) continue;
                        Matcher x = EXIT.matcher(rest);
                        if (!x.matches()) throw new AssertionError("cannot read " + l);
                        Ref t = refs.computeIfAbsent(tid, k -> new Ref());
                        long id = Long.parseLong(x.group(1));
                        if (t.pendingId == id && Long.parseLong(x.group(2)) < 0) t.syscalls.get(id)[1]++;
                        t.pendingId = Long.MIN_VALUE;
                    }
                    default -> { }
                }
            }
        }
        return refs;
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value + "\n");
    }
}
