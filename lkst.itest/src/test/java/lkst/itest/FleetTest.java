package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lkst.broker.Broker;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.TraceReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet against a real Apache Kafka broker (KRaft, 127.0.0.1, its own JVM, started once for these tests): runtimes
 * ship what their loggers write, {@code ./lkst fetch} rebuilds it, and the fetched trace equals, record for record, what
 * the runtime wrote locally — also when the broker dies mid-stream, and when the runtime is killed with SIGKILL.
 * Each runtime traces only LKST_TEST, fired by {@code lkst:fire} (a deterministic workload).
 */
class FleetTest {
    private static final int EVENTS = 20_000;
    @TempDir
    static Path temp;
    private static Broker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Broker.start(temp.resolve("broker"), 120_000);
        System.out.println("FleetTest: broker " + broker.bootstrap() + " started in " + broker.startMillis() + " ms");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) broker.close();
    }

    private static String url(String topic, String host) {
        return "kafka://" + broker.bootstrap() + "/" + topic + "?host=" + host;
    }

    /**
     * The commands that make a maskset tracing LKST_TEST only, select it and start tracing (the runtimes start with
     * tracing stopped, {@link #runtime}): the trace holds exactly what lkst:fire fires.
     */
    private static final String ONLY_TEST_EVENTS = "lkst:maskset copy off fleet; lkst:maskset set fleet LKST_TEST 1;"
            + " lkst:maskset select fleet; lkst:start";

    /** lkst.jar on {@code home} with tracing stopped at start (a framework property read from the JVM's), then {@code args}. */
    private static List<String> runtime(Path home, String... args) {
        List<String> cmd = Lkst.java(home);
        cmd.add(1, "-Dlkst.tracing=stopped");
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void threeRuntimesShipAtOnceAndTheFetchedTracesEqualWhatEachWrote() throws Exception {
        List<Process> runs = new ArrayList<>();
        List<Path> homes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path home = temp.resolve("three-" + i);
            Files.createDirectories(home);
            homes.add(home);
            String script = ONLY_TEST_EVENTS + "; lkst:ship start '" + url("fleet-three", "host" + i) + "'; lkst:fire " + EVENTS
                    + " host" + i + "; lkst:log stop; lkst:ship stop 60";
            runs.add(new ProcessBuilder(runtime(home, "-c", script)).redirectErrorStream(true)
                    .redirectOutput(home.resolve("out.txt").toFile()).start());
        }
        for (int i = 0; i < 3; i++) {
            Process p = runs.get(i);
            if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
            String out = Files.readString(homes.get(i).resolve("out.txt"));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("shipped ") && out.contains(EVENTS + " records acknowledged"), out);
        }
        Path fetched = temp.resolve("three-fetched");
        Lkst.Run f = Lkst.run(temp, "fetch", "kafka://" + broker.bootstrap() + "/fleet-three", "-o", fetched.toString());
        assertEquals(0, f.exit(), f.err());
        for (int i = 1; i <= 3; i++) {
            Path local = only(homes.get(i - 1).resolve("var").resolve("fleet"));
            Path remote = fetched.resolve("host" + i).resolve(local.getFileName());
            List<String> written = records(local);
            assertEquals(EVENTS, written.size(), "host" + i + " wrote every event it fired");
            List<String> got = records(remote);
            assertEquals(written.size(), got.size(), "host" + i + ": records fetched; fetch said: " + f.out() + f.err());
            assertEquals(written, got, "host" + i + ": the fetched trace equals what it wrote");
            assertTrue(f.out().contains(remote + ": " + EVENTS + " records"), f.out());
        }
    }

    @Test
    void recordShipsToTheTopicAndFetchGetsTheSameTrace() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/tracing/instances")), "needs tracefs (root) for record's kernel events");
        Path home = temp.resolve("record");
        Files.createDirectories(home);
        Path dir = home.resolve("t");
        Lkst.Run r = Lkst.run(home, "record", "--ship-to", url("fleet-record", "rec"), "-e", "sched:sched_process_exec",
                "-e", "raw_syscalls:sys_enter", "-F", "-o", dir.toString(), "--", "sh", "-c", "ls / >/dev/null");
        assertEquals(0, r.exit(), r.err());
        List<String> written = records(dir);
        assertFalse(written.isEmpty(), "the command's syscalls were recorded: " + r.err());
        Path fetched = temp.resolve("record-fetched");
        Lkst.Run f = Lkst.run(temp, "fetch", "kafka://" + broker.bootstrap() + "/fleet-record", "-o", fetched.toString());
        assertEquals(0, f.exit(), f.err());
        assertEquals(written, records(only(fetched.resolve("rec"))), "the fetched trace equals what record wrote; fetch said: " + f.out());
    }

    @Test
    void theBrokerKilledMidStreamAndRestartedLosesAndDoublesNothing() throws Exception {
        Path home = temp.resolve("outage");
        Files.createDirectories(home);
        try (Lkst.Shell shell = new Lkst.Shell(runtime(home))) {
            shell.run(ONLY_TEST_EVENTS);
            shell.run("lkst:ship start '" + url("fleet-outage", "outage") + "'");
            shell.run("lkst:fire " + EVENTS + " before");
            long before = waitForAcknowledged(shell, 1, 30);
            broker.kill();
            try {
                shell.run("lkst:fire " + EVENTS + " during");
                Thread.sleep(1_500);
                long during = acknowledged(shell.run("lkst:ship"));
                assertTrue(during < 2L * EVENTS, "nothing is acknowledged while the broker is dead: " + during);
            } finally {
                broker.restart();
            }
            System.out.println("FleetTest: broker restarted in " + broker.startMillis() + " ms; " + before + " acknowledged before the kill");
            shell.run("lkst:log stop");
            String stop = shell.run("lkst:ship stop 90");
            assertTrue(stop.contains("shipped ") && stop.contains(2 * EVENTS + " records acknowledged"), stop);
        }
        Path local = only(home.resolve("var").resolve("fleet"));
        Path fetched = temp.resolve("outage-fetched");
        Lkst.Run f = Lkst.run(temp, "fetch", "kafka://" + broker.bootstrap() + "/fleet-outage", "-o", fetched.toString());
        assertEquals(0, f.exit(), f.err());
        List<String> written = records(local);
        assertEquals(2 * EVENTS, written.size());
        List<String> got = records(fetched.resolve("outage").resolve(local.getFileName()));
        assertEquals(written.size(), got.size(), "records fetched; fetch said: " + f.out() + f.err());
        assertEquals(written, got, "nothing lost, nothing twice");
        assertTrue(f.out().contains("lost 0"), f.out());
    }

    @Test
    void whatAKilledRuntimeHadWrittenReachesTheTopicAfterItsRestart() throws Exception {
        Path home = temp.resolve("crash");
        Path deploy = home.resolve("deploy");
        Files.createDirectories(deploy);
        // first run: it always ships, to a broker that is not there, so that what it writes waits on disk
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Files.writeString(deploy.resolve("lkst.ship.cfg"), "to=kafka://127.0.0.1:" + closed + "/fleet-crash\nhost=crash\n");
        Path firstTrace;
        try (Lkst.Shell shell = new Lkst.Shell(runtime(home))) {
            waitFor(shell, "lkst:ship", "shipping ", 30);
            shell.run(ONLY_TEST_EVENTS);
            shell.run("lkst:fire " + EVENTS + " doomed");
            firstTrace = only(home.resolve("var").resolve("fleet"));
            // the logger writes whole pages: wait until some are on disk, then kill the runtime as a crash would
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records(firstTrace).isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
            shell.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        List<String> written = records(firstTrace);
        assertTrue(!written.isEmpty(), "the killed runtime had written records");
        // second run, now pointed at the broker: it finishes shipping the trace the first run left
        Files.writeString(deploy.resolve("lkst.ship.cfg"), "to=" + url("fleet-crash", "crash") + "\n");
        try (Lkst.Shell shell = new Lkst.Shell(runtime(home))) {
            waitFor(shell, "lkst:ship", "shipped " + firstTrace, 60);
        }
        Path fetched = temp.resolve("crash-fetched");
        Lkst.Run f = Lkst.run(temp, "fetch", "kafka://" + broker.bootstrap() + "/fleet-crash", "--host", "crash", "-o", fetched.toString());
        assertEquals(0, f.exit(), f.err());
        List<String> got = records(fetched.resolve("crash").resolve(firstTrace.getFileName()));
        assertEquals(written.size(), got.size(), "records of the killed runtime's trace on the topic; fetch said: " + f.out() + f.err());
        assertEquals(written, got, "what the killed runtime had written, on the topic once");
    }

    private static long waitForAcknowledged(Lkst.Shell shell, long atLeast, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long n;
        do {
            n = acknowledged(shell.run("lkst:ship"));
            if (n >= atLeast) return n;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("fewer than " + atLeast + " records acknowledged within " + seconds + " s: " + n);
    }

    private static void waitFor(Lkst.Shell shell, String command, String expected, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String out;
        do {
            out = shell.run(command);
            if (out.contains(expected)) return;
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no '" + expected + "' in " + command + " within " + seconds + " s: " + out);
    }

    private static long acknowledged(String status) {
        Matcher m = Pattern.compile("(\\d+) records acknowledged").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static Path only(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(Files::isDirectory).sorted().toList();
            assertTrue(!l.isEmpty(), "no trace in " + dir);
            return l.get(0);
        }
    }

    /** Every record of a trace directory as print shows it, in time order; an unreadable part fails the test. */
    private static List<String> records(Path dir) {
        List<String> l = new ArrayList<>();
        if (!Files.exists(dir.resolve("trace.meta"))) return l;
        TraceReader r = TraceReader.open(dir);
        r.forEach(RecordCursor.Torn.FAIL, rec -> l.add(rec.text()));
        return l;
    }

    static String text(Path p) throws Exception { return Files.readString(p, StandardCharsets.UTF_8); }
}
