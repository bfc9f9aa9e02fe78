package lkst.hooks.kernel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.HandlerContext;
import lkst.core.Engine;

/**
 * Prints what the kernel bridge sustains on a syscall storm ({@code dd bs=1}: two syscalls, four events per byte)
 * or any command (syscalls, context switches and wakeups traced): events decoded and dispatched per reader, reader CPU
 * ns per event, lost counts, for the mmap and the read() reader. A program, not a test:
 * {@code java -cp ... lkst.hooks.kernel.KernelThroughput [BYTES] [BUFFER_KB] [READER_NICE] [COMMAND]}.
 */
public final class KernelThroughput {
    private KernelThroughput() {}

    public static void main(String[] args) throws Exception {
        long bytes = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int kb = args.length > 1 ? Integer.parseInt(args[1]) : 8192;
        int nice = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        String command = args.length > 3 ? args[3] : "dd if=/dev/zero of=/dev/null bs=1 count=" + bytes;
        for (String mode : List.of("true", "false", "true", "false")) run(command, kb, nice, Boolean.parseBoolean(mode));
    }

    static void run(long bytes, int kb, boolean mmap) throws Exception {
        run("dd if=/dev/zero of=/dev/null bs=1 count=" + bytes, kb, 0, mmap);
    }

    static void run(String command, int kb, int nice, boolean mmap) throws Exception {
        Engine engine = new Engine();
        LongAdder handled = new LongAdder();
        EventHandler count = new EventHandler() {
            @Override public void handle(Event e, HandlerContext c) { handled.increment(); }
        };
        KernelBridge bridge = new KernelBridge(engine, engine, Map.of("buffer.size.kb", kb, "mmap", mmap, "reader.nice", nice,
                "subbuf.size.kb", Integer.getInteger("lkst.subbuf", 0)));
        try {
            engine.bind(count, 1000, "count", "bench");
            engine.create("storm");
            engine.set("storm", "SYSCALL_ENTRY", 1000);
            engine.set("storm", "SYSCALL_EXIT", 1000);
            engine.set("storm", "PROCESS_CONTEXTSWITCH", 1000);
            engine.set("storm", "PROCESS_WAKEUP", 1000);
            engine.select("storm");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("sh", "-c", command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
            long ddNs = System.nanoTime() - t0;
            engine.select("off"); // stop recording (other processes keep making syscalls), then let the readers drain
            for (int i = 0; i < 300 && bridge.counters().stream().anyMatch(c -> c.unread() > 0); i++) Thread.sleep(100);
            long events = 0, cpu = 0, lost = 0;
            StringBuilder per = new StringBuilder();
            for (KernelBridge.CpuCounters c : bridge.counters()) {
                events += c.read();
                cpu += Math.max(0, c.cpuTimeNs());
                lost += c.lost();
                per.append(String.format(" cpu%d[read %d lost %d %s, %d calls, %d waits]", c.cpu(), c.read(),
                        c.lost(), c.read() > 0 ? c.cpuTimeNs() / c.read() + " ns/ev" : "-", c.calls(), c.waits()));
            }
            System.out.printf("%-5s subbuf " + Integer.getInteger("lkst.subbuf", 0) + " KiB, nice %d, %d KiB/CPU, workload %.2f s: %d events read (%.2f M/s), %d handled, %d lost (%.1f %%),"
                            + " reader CPU %.1f ns/event;%s%n",
                    mmap ? "mmap" : "read", nice, kb, ddNs / 1e9, events, events / (ddNs / 1e3), handled.sum(), lost,
                    100.0 * lost / Math.max(1, events + lost), events > 0 ? (double) cpu / events : 0, per);
        } finally {
            bridge.deactivate();
        }
    }
}
