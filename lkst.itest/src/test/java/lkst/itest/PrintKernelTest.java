package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lkst print} renders kernel events as the kernel's own print formats say, compared event by event with the
 * kernel's own text: a reference ftrace instance of this test's own, with {@code options/hash-ptr} cleared (the kernel
 * hashes {@code %p} by default), records the same tracepoints from before {@code ./lkst record} starts until after it
 * ends. The tracepoints cover the subset: {@code %d %u %x %lx %s %p %pS}, {@code __get_str}, {@code __print_flags},
 * {@code __print_symbolic}, C operators and casts. An event of LKST/J's trace must be one the kernel printed for the
 * same thread and event.
 */
class PrintKernelTest {
    static final Path INSTANCES = Path.of("/sys/kernel/tracing/instances");
    static final List<String> EVENTS = List.of("sched/sched_switch", "sched/sched_wakeup", "kmem/kmalloc", "irq/softirq_entry",
            "raw_syscalls/sys_enter", "raw_syscalls/sys_exit", "sched/sched_process_exec");
    /** The kernel's "comm-tid [cpu] flags seconds.micros: event: text". */
    static final Pattern KERNEL = Pattern.compile("^\\s*(.+)-(\\d+)\\s+\\[(\\d+)\\]\\s+(?:\\S+\\s+)?(\\d+)\\.(\\d{6}):\\s+(\\w+):\\s+(.*)$");
    /** print's "seconds.nanos [cpu] comm-tgid/tid [LKST ]system:event text". */
    static final Pattern LKST = Pattern.compile("^(\\d+)\\.(\\d{9}) \\[(\\d+)\\] (?:.*-)?(-?\\d+)/(-?\\d+) (?:\\S+ )?\\w+:(\\w+) (.*)$");

    @TempDir Path home;

    @Test
    void kernelEventsPrintAsTheKernelsPrintFormatsSay() throws Exception {
        assumeTrue(Files.isWritable(INSTANCES), "needs root and tracefs mounted at /sys/kernel/tracing (kernel events)");
        Path ref = INSTANCES.resolve("lkst-print-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path trace = home.resolve("trace");
        Files.createDirectory(ref);
        try {
            write(ref.resolve("tracing_on"), "0");
            write(ref.resolve("buffer_size_kb"), "65536");
            write(ref.resolve("trace_clock"), "mono");
            write(ref.resolve("options/hash-ptr"), "0");
            for (String e : EVENTS) write(ref.resolve("events/" + e + "/enable"), "1");
            write(ref.resolve("tracing_on"), "1");
            List<String> record = new ArrayList<>(List.of("record"));
            for (String e : EVENTS) record.addAll(List.of("-e", e.replace('/', ':')));
            record.addAll(List.of("-o", trace.toString(), "--", "sh", "-c", "ls -R /usr/share/doc >/dev/null; cat /etc/hostname >/dev/null"));
            Lkst.Run rec = Lkst.run(home, record.toArray(String[]::new));
            write(ref.resolve("tracing_on"), "0");
            assertEquals(0, rec.exit(), rec.err());
            assertTrue(Files.isRegularFile(trace.resolve("kernel/events/kmem/kmalloc/format")), "the trace keeps the kernel's format files");

            // thread and event -> the kernel's texts of it, each with how often: an event of LKST/J's trace must be one
            // of them (times are not compared: each instance reads the clock for the event on its own, microseconds
            // apart on a busy machine, and bursts of one event share a microsecond)
            Map<String, Map<String, Integer>> kernel = new HashMap<>();
            try (var lines = Files.lines(ref.resolve("trace"))) {
                lines.forEach(l -> {
                    Matcher m = KERNEL.matcher(l);
                    if (m.matches()) kernel.computeIfAbsent(m.group(2) + " " + m.group(6), k -> new HashMap<>()).merge(m.group(7), 1, Integer::sum);
                });
            }
            assertTrue(kernel.size() > 10, "the reference instance recorded the run: " + kernel.size() + " threads and events");
            Lkst.Run print = Lkst.run(home, "print", trace.toString());
            assertEquals(0, print.exit(), print.err());
            Map<String, Integer> same = new TreeMap<>();
            List<String> different = new ArrayList<>();
            for (String l : print.out().lines().toList()) {
                Matcher m = LKST.matcher(l);
                assertTrue(m.matches(), "a print line as README says: " + l);
                String text = m.group(7).replaceFirst(" syscall=\\w+$", ""); // print adds the syscall's name
                Map<String, Integer> theirs = kernel.get(m.group(5) + " " + m.group(6));
                if (theirs == null) continue; // a thread the reference did not see (before or after it)
                Integer n = theirs.get(text);
                if (n != null) {
                    if (n == 1) theirs.remove(text);
                    else theirs.put(text, n - 1);
                    same.merge(m.group(6), 1, Integer::sum);
                } else {
                    different.add("LKST/J: " + l);
                }
            }
            int compared = same.values().stream().mapToInt(Integer::intValue).sum();
            // the reference may lack a few of the events LKST/J recorded (it runs on a busy machine too): at most 1 in 1000
            assertTrue(different.size() <= compared / 1000, different.size() + " of " + (compared + different.size())
                    + " events are none of the kernel's texts of their thread and event, e.g. " + different.subList(0, Math.min(5, different.size())));
            for (String e : EVENTS) {
                String name = e.substring(e.indexOf('/') + 1);
                if (name.equals("softirq_entry")) continue; // a quiet moment may have none
                assertTrue(same.getOrDefault(name, 0) > 0, "events compared per type: " + same);
            }
            assertTrue(print.out().lines().anyMatch(l -> l.matches(".* raw_syscalls:sys_enter NR 59 .* syscall=execve")
                    || l.matches(".* raw_syscalls:sys_enter NR 221 .* syscall=execve")), "syscalls named");

            Lkst.Run json = Lkst.run(home, "print", "--json", "--event", "kmem:kmalloc", trace.toString());
            assertEquals(0, json.exit(), json.err());
            String first = json.out().lines().findFirst().orElse("");
            assertTrue(first.matches(".*\"call_site\":\"0x[0-9a-f]+\",\"ptr\":\"0x[0-9a-f]+\",\"bytes_req\":\\d+.*"), "pointers as hex strings: " + first);
        } finally {
            try {
                write(ref.resolve("tracing_on"), "0");
                for (String e : EVENTS) write(ref.resolve("events/" + e + "/enable"), "0");
            } catch (IOException e) {
                // gone already
            }
            Files.deleteIfExists(ref); // rmdir of an instance removes it
        }
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value + "\n");
    }
}
