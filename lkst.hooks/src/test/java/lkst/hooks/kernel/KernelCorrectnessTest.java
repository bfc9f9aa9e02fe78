package lkst.hooks.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lkst.api.Dispatcher;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.record.BufferSet;
import lkst.hooks.ftrace.EventFormat;
import lkst.hooks.ftrace.FormatParser;
import lkst.hooks.ftrace.KernelTypes;
import lkst.hooks.ftrace.PageDecoder;
import lkst.hooks.ftrace.PageLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Traces a real workload and checks that the decode of the per-CPU buffers equals, event by event, what the kernel
 * itself renders for the same instance in its {@code trace} file, read before the buffers are consumed. The file is
 * read twice: with {@code options/raw} (pid, CPU, nanosecond timestamp, type ID) and with {@code options/fields}
 * (every field by name, numbers as {@code 0xHEX (DECIMAL)}), which the kernel prints from the format, not the print fmt.
 * The decoded events are also recorded into LKST/J buffers, a page at a time as the record handler does it, and what
 * the buffers give back must equal the decode.
 */
class KernelCorrectnessTest {
    static final List<String> TRACEPOINTS = List.of(
            "sched:sched_switch", "sched:sched_wakeup", "sched:sched_wakeup_new", "sched:sched_waking",
            "sched:sched_process_fork", "sched:sched_process_exec", "sched:sched_process_exit", "task:task_newtask",
            "raw_syscalls:sys_enter", "raw_syscalls:sys_exit", "signal:signal_generate", "signal:signal_deliver",
            "timer:timer_start", "timer:timer_expire_entry", "timer:hrtimer_start", "timer:hrtimer_expire_entry",
            "irq:irq_handler_entry", "irq:softirq_entry", "irq_vectors:local_timer_entry", "irq_vectors:reschedule_entry",
            "kmem:mm_page_alloc", "kmem:mm_page_free", "kmem:kmalloc", "kmem:kfree", "exceptions:page_fault_user",
            "net:net_dev_queue", "net:netif_receive_skb", "net:netif_rx", "sock:sock_send_length",
            "sock:sock_recv_length", "printk:console", "filemap:mm_filemap_fault");

    /** One event as either side saw it. */
    record Seen(int cpu, long ts, int pid, int kernelId, String name, Map<String, String> fields) {}

    @ParameterizedTest(name = "mmap reader: {0}, sub-buffers of {1} KiB (0 = the kernel's)")
    @CsvSource({"true,0", "false,0", "true,16", "false,16"})
    void decodeEqualsTheKernelsRendering(boolean mmap, int subbufKb) throws Exception {
        Path root = KernelTesting.tracefs();
        KernelTypes types = new KernelTypes();
        Map<Integer, EventFormat> formats = new HashMap<>();
        try (TraceInstance t = TraceInstance.create(root, 8192)) {
            if (subbufKb > 0) {
                t.subbufSizeKb(subbufKb);
                assertEquals(Integer.toString(subbufKb), Tracefs.read(t.dir().resolve("buffer_subbuf_size_kb")).trim());
            }
            traceAndCompare(t, root, types, formats, mmap);
        }
    }

    private void traceAndCompare(TraceInstance t, Path root, KernelTypes types, Map<Integer, EventFormat> formats,
                                 boolean mmap) throws Exception {
        List<CpuReader> readers = new ArrayList<>(); // closed before the instance: an open reader keeps it busy
        try {
            List<String> present = new ArrayList<>();
            List<EventType> declared = new ArrayList<>();
            int id = 1000;
            for (String tp : TRACEPOINTS) {
                if (!t.exists(tp)) continue;
                int colon = tp.indexOf(':');
                EventFormat f = FormatParser.event(t.events(), tp.substring(0, colon), tp.substring(colon + 1));
                EventType type = new EventType(id++, tp, "other", EventSource.KERNEL, false, List.of(), List.of(), f.fields(), null);
                types.put(type, f);
                declared.add(type);
                formats.put(f.id(), f);
                present.add(tp);
            }
            t.tracingOn(false);
            t.enableExactly(present);
            t.tracingOn(true);
            workload();
            t.tracingOn(false);

            List<Seen> expected = kernelRendering(t, formats);
            Map<Integer, List<Seen>> actual = new TreeMap<>();
            PageLayout layout = FormatParser.pageLayout(root);
            int cpus = t.cpus().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            recording = new BufferSet(Files.createTempDirectory("lkst-correctness-"), cpus, 32 << 20, BufferMode.DISCARD,
                    declared);
            for (int cpu : t.cpus()) {
                List<Seen> list = new ArrayList<>();
                actual.put(cpu, list);
                CpuReader r = new CpuReader(t, cpu, layout, types, collectAndRecord(list, recording), mmap);
                readers.add(r);
                assertEquals(mmap ? CpuReader.Mode.MMAP : CpuReader.Mode.READ, r.mode());
                r.drain();
            }
            Map<Integer, List<Seen>> byCpu = new TreeMap<>();
            for (Seen s : expected) byCpu.computeIfAbsent(s.cpu, k -> new ArrayList<>()).add(s);
            int compared = 0;
            Map<String, Integer> perType = new TreeMap<>();
            for (int cpu : actual.keySet()) {
                List<Seen> want = byCpu.getOrDefault(cpu, List.of());
                List<Seen> got = actual.get(cpu);
                for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
                    compare(want.get(i), got.get(i), formats, i);
                    perType.merge(got.get(i).name, 1, Integer::sum);
                    compared++;
                }
                assertEquals(want.size(), got.size(), "events on cpu" + cpu);
                assertRecorded(got, cpu);
                PageDecoder d = readers.get(readers.size() - actual.size() + new ArrayList<>(actual.keySet()).indexOf(cpu)).decoder();
                assertEquals(0, d.malformed() + d.unknownTypes(), "cpu" + cpu + " malformed/unknown");
            }
            System.out.println((mmap ? "mmap" : "read") + " reader: " + compared + " events equal to the kernel's trace file ("
                    + numbers + " numeric, " + texts + " text and " + arrays + " array field values compared), and the same read back"
                    + " from LKST/J buffers: " + perType);
            assertTrue(numbers > compared && texts > 0 && arrays > 0, "field values were compared");
            for (String must : List.of("sched:sched_switch", "raw_syscalls:sys_enter", "signal:signal_generate",
                    "printk:console", "net:net_dev_queue", "kmem:mm_page_alloc", "sched:sched_wakeup")) {
                if (present.contains(must)) assertTrue(perType.getOrDefault(must, 0) > 0, "workload produced no " + must);
            }
        } finally {
            for (CpuReader r : readers) r.close();
            if (recording != null) {
                recording.close();
                deleteTree(recording.directory());
            }
        }
    }

    private BufferSet recording;

    /**
     * What the record handler stored for the CPU (a page of events at a time, through a lane) equals what was decoded,
     * event by event and field by field, and nothing was lost.
     */
    private void assertRecorded(List<Seen> decoded, int cpu) {
        var info = recording.list().stream().filter(b -> b.cpu() == cpu).findFirst().orElseThrow();
        assertEquals(0, info.lost(), "cpu" + cpu + " records lost");
        assertEquals(decoded.size(), info.written(), "cpu" + cpu + " records written");
        List<TraceRecord> stored = recording.read(cpu, 0, 0);
        assertEquals(decoded.size(), stored.size(), "cpu" + cpu + " records read back");
        for (int i = 0; i < stored.size(); i++) {
            Seen d = decoded.get(i);
            TraceRecord r = stored.get(i);
            String where = "cpu" + cpu + " record " + i + " (" + d.name + ")";
            assertEquals(d.ts, r.time(), where);
            assertEquals(d.pid, r.pid(), where);
            assertEquals(d.name, r.event(), where);
            Map<String, String> f = new HashMap<>();
            r.fields().forEach((k, v) -> f.put(k, v instanceof BigInteger b ? Long.toString(b.longValue()) : String.valueOf(v)));
            assertEquals(d.fields, f, where);
        }
    }

    static Dispatcher collectAndRecord(List<Seen> into, BufferSet set) {
        Dispatcher collect = collector(into);
        return new Dispatcher() {
            @Override
            public void dispatch(Event e) {
                collect.dispatch(e);
                assertTrue(set.record(e), "recorded");
            }
            @Override public boolean enabled(int eventId) { return true; }
            @Override public EventHandler handlerFor(int eventId) { return null; }
            @Override public void addListener(Runnable r) { }
            @Override public void removeListener(Runnable r) { }
        };
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Context switches, wakeups, forks, signals, timers, page allocation, loopback TCP, printk. */
    static void workload() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] b = new byte[256];
                    for (int n; (n = in.read(b)) > 0; ) out.write(b, 0, n);
                } catch (IOException ignored) {
                    // the client closed
                }
            });
            echo.start();
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                byte[] b = new byte[64];
                for (int i = 0; i < 50; i++) {
                    c.getOutputStream().write(b);
                    c.getInputStream().readNBytes(b, 0, b.length);
                }
            }
            echo.join();
        }
        ByteBuffer pages = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < pages.capacity(); i += 4096) pages.put(i, (byte) 1);
        KernelTesting.sh("for i in 1 2 3; do echo lkst-correctness-$i > /dev/kmsg; done; "
                + "trap '' USR1; kill -USR1 $$; sleep 0.01 & wait; /bin/true");
    }

    static Dispatcher collector(List<Seen> into) {
        return new Dispatcher() {
            @Override
            public void dispatch(Event e) {
                Map<String, String> f = new HashMap<>();
                List<Field> fields = e.type().fields();
                for (int i = 0; i < fields.size(); i++) {
                    Field field = fields.get(i);
                    f.put(field.name(), field.type().isNumber() ? Long.toString(e.number(i)) : e.text(i));
                }
                into.add(new Seen(e.cpu(), e.timestamp(), e.pid(), -1, e.type().name(), f));
            }
            @Override public boolean enabled(int eventId) { return true; }
            @Override public EventHandler handlerFor(int eventId) { return null; }
            @Override public void addListener(Runnable r) { }
            @Override public void removeListener(Runnable r) { }
        };
    }

    private static final Pattern SYS_ENTER = Pattern.compile(".*: sys_enter: NR -?\\d+ \\(([0-9a-f, ]+)\\)");
    private static final Pattern RAW = Pattern.compile("(\\d+) (\\d+) (\\d+) type: (\\d+)");
    /** "comm-pid (tgid) [cpu] flags s.us: event: text"; the tgid column shows as LKST/J's instance sets options/record-tgid. */
    private static final Pattern TEXT = Pattern.compile("\\s*(.*)-(\\d+)\\s+(?:\\(\\s*(?:\\d+|-+)\\)\\s+)?\\[(\\d+)\\]\\s+\\S+\\s+(\\d+)\\.(\\d+): (\\w+):(.*)");

    /** The kernel's own rendering of the instance's buffers, from raw and fields passes over the same trace file. */
    static List<Seen> kernelRendering(TraceInstance t, Map<Integer, EventFormat> formats) throws IOException {
        t.option("raw", true);
        String raw = Tracefs.read(t.dir().resolve("trace"));
        t.option("raw", false);
        t.option("fields", true);
        String text = Tracefs.read(t.dir().resolve("trace"));
        t.option("fields", false);
        // the fields pass cannot show arrays; the print fmt of sys_enter shows its args[6] in hex
        String plain = Tracefs.read(t.dir().resolve("trace"));
        List<String> plainLines = new ArrayList<>();
        for (String l : plain.split("\n")) if (!l.startsWith("#") && !l.isBlank()) plainLines.add(l);
        List<String> rawLines = new ArrayList<>();
        for (String l : raw.split("\n")) if (!l.startsWith("#") && !l.isBlank()) rawLines.add(l);
        List<String> textLines = new ArrayList<>();
        for (String l : text.split("\n")) if (!l.startsWith("#") && !l.isBlank()) textLines.add(l);
        assertEquals(rawLines.size(), textLines.size(), "raw and fields passes over the same buffers");
        List<Seen> out = new ArrayList<>();
        for (int i = 0; i < rawLines.size(); i++) {
            Matcher r = RAW.matcher(rawLines.get(i));
            Matcher x = TEXT.matcher(textLines.get(i));
            if (!r.matches() || !x.matches()) fail("unexpected trace lines:\n" + rawLines.get(i) + "\n" + textLines.get(i));
            int pid = Integer.parseInt(r.group(1));
            int cpu = Integer.parseInt(r.group(2));
            long ts = Long.parseLong(r.group(3));
            int kid = Integer.parseInt(r.group(4));
            assertEquals(pid, Integer.parseInt(x.group(2)), textLines.get(i));
            assertEquals(cpu, Integer.parseInt(x.group(3)), textLines.get(i));
            long us = Long.parseLong(x.group(4)) * 1_000_000 + Long.parseLong(x.group(5));
            assertTrue(Math.abs(us - ts / 1000) <= 1, "same event in both passes: " + ts + " vs " + textLines.get(i));
            EventFormat f = formats.get(kid);
            assertTrue(f != null, "event type " + kid + " was not enabled: " + textLines.get(i));
            assertEquals(f.name(), x.group(6));
            Map<String, String> values = fieldValues(f, x.group(7));
            Matcher nr = SYS_ENTER.matcher(plainLines.get(i));
            if (f.tracepoint().equals("raw_syscalls:sys_enter") && nr.matches()) values.put("args", nr.group(1).replace(" ", ""));
            out.add(new Seen(cpu, ts, pid, kid, f.tracepoint(), values));
        }
        return out;
    }

    /** Splits " a=1 b=x y c=3" by the known field names in order (values may contain spaces). */
    static Map<String, String> fieldValues(EventFormat f, String s) {
        Map<String, String> out = new HashMap<>();
        List<Field> fields = f.fields();
        int at = 0;
        for (int i = 0; i < fields.size(); i++) {
            String key = " " + fields.get(i).name() + "=";
            int start = s.indexOf(key, at);
            if (start < 0) break;
            start += key.length();
            int end = i + 1 < fields.size() ? s.indexOf(" " + fields.get(i + 1).name() + "=", start) : s.length();
            if (end < 0) end = s.length();
            out.put(fields.get(i).name(), s.substring(start, end));
            at = end;
        }
        return out;
    }

    private static final Pattern DECIMAL = Pattern.compile(".*\\((-?\\d+)\\)$");
    private static final Pattern CHAR = Pattern.compile("'(.)'");

    /** field values compared: numbers, texts */
    long numbers;
    long texts;
    long arrays;

    void compare(Seen want, Seen got, Map<Integer, EventFormat> formats, int index) {
        String where = "event " + index + " on cpu" + want.cpu + " (" + want.name + " at " + want.ts + ")";
        assertEquals(want.name, got.name, where);
        assertEquals(want.ts, got.ts, where + ": timestamp");
        assertEquals(want.pid, got.pid, where + ": pid");
        EventFormat f = formats.get(want.kernelId);
        for (Field field : f.fields()) {
            String k = want.fields.get(field.name());
            String mine = got.fields.get(field.name());
            if (k == null) continue;
            if (field.type().isNumber()) {
                Matcher d = DECIMAL.matcher(k);
                Matcher c = CHAR.matcher(k);
                long mask = field.size() == 8 ? -1L : (1L << (8 * field.size())) - 1;
                long v = Long.parseLong(mine);
                if (d.matches()) {
                    assertEquals(Long.parseLong(d.group(1)) & mask, v & mask, where + ": " + field.name() + " kernel says " + k);
                    numbers++;
                } else if (c.matches()) {
                    assertEquals(c.group(1).charAt(0), v & mask, where + ": " + field.name() + " kernel says " + k);
                    numbers++;
                }
            } else if (field.type() == FieldType.ARRAY && k.matches("[0-9a-f]+(,[0-9a-f]+)*")) {
                // Payload prints {0xa,0xb,…} for u64 elements; the print fmt %lx without 0x
                assertEquals(k, mine.replace("{", "").replace("}", "").replace("0x", ""), where + ": " + field.name());
                arrays++;
            } else if (field.type() == FieldType.CHARS || field.type() == FieldType.STRING) {
                if (k.matches(".* \\([0-9a-f:]+\\)$")) continue; // non-printable text: the kernel adds hex
                assertEquals(k, mine, where + ": " + field.name());
                texts++;
            }
        }
    }
}
