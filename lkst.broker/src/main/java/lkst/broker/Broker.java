package lkst.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker for tests and benchmarks: one KRaft node (broker and controller) on 127.0.0.1, started in
 * a JVM of its own from the Maven Central artifacts (kafka_2.13, its class path written at build time to
 * {@code lkst.broker/target/broker.classpath}), its data under a folder the owner gives. Every wait is bounded; the
 * owner stops it ({@link #close}), or kills it ({@link #kill}) and starts it again on the same ports and data
 * ({@link #restart}). Its log is {@code DIR/broker.log}.
 */
public final class Broker implements AutoCloseable {
    /** The system property naming the class path file; else it is looked for beside this module. */
    public static final String CLASSPATH = "lkst.broker.classpath";
    private static final String STARTED = "Kafka Server started";

    private final Path dir;
    private final String classpath;
    private final int port;
    private final int controllerPort;
    private final long timeoutMillis;
    private Process process;
    private long startMillis;

    private Broker(Path dir, String classpath, int port, int controllerPort, long timeoutMillis) {
        this.dir = dir;
        this.classpath = classpath;
        this.port = port;
        this.controllerPort = controllerPort;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Formats a new single-node cluster in {@code dir} (which must be empty or absent) and starts it; waits at most
     * {@code timeoutMillis} for it to serve.
     */
    public static Broker start(Path dir, long timeoutMillis) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Broker b = new Broker(dir.toAbsolutePath(), classpath(), freePort(), freePort(), timeoutMillis);
        b.configure();
        b.restart();
        return b;
    }

    /** {@code 127.0.0.1:PORT}: what clients bootstrap from. */
    public String bootstrap() { return "127.0.0.1:" + port; }

    /** Milliseconds the last start took, from the JVM's launch to "Kafka Server started". */
    public long startMillis() { return startMillis; }

    /** The broker JVM's process ID (for its CPU time), or -1 when it is not running. */
    public long pid() { return process != null && process.isAlive() ? process.pid() : -1; }

    public Path log() { return dir.resolve("broker.log"); }

    private static String classpath() throws IOException {
        String file = System.getProperty(CLASSPATH);
        Path p = file != null ? Paths.get(file) : Paths.get("lkst.broker", "target", "broker.classpath");
        if (!Files.isRegularFile(p)) throw new IOException("no broker class path at " + p.toAbsolutePath() + ": build the reactor first (mvn -B verify -DskipTests)");
        return Files.readString(p).trim();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void configure() throws IOException, InterruptedException {
        String props = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=4",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.flush.interval.messages=1",
                "") ;
        Files.writeString(dir.resolve("server.properties"), props);
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        String cluster = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        Process format = java("kafka.tools.StorageTool", "format", "--cluster-id", cluster, "--config",
                dir.resolve("server.properties").toString()).redirectOutput(dir.resolve("format.log").toFile())
                .redirectErrorStream(true).start();
        if (!format.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            format.destroyForcibly();
            throw new IOException("formatting the broker's storage took more than " + timeoutMillis + " ms");
        }
        if (format.exitValue() != 0) throw new IOException("formatting the broker's storage failed: " + Files.readString(dir.resolve("format.log")).trim());
    }

    private ProcessBuilder java(String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Xms128m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn", "-Dorg.slf4j.simpleLogger.log.state.change.logger=warn", "-cp", classpath, main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile());
    }

    /** Starts the broker (again, after {@link #kill}) on the same ports and data; waits until it serves. */
    public void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) throw new IllegalStateException("the broker runs");
        long t0 = System.nanoTime();
        Path log = log();
        long from = Files.exists(log) ? Files.size(log) : 0;
        process = java("kafka.Kafka", dir.resolve("server.properties").toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
        long deadline = t0 + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("the broker exited with status " + process.exitValue() + "; see " + log);
            if (startedSince(log, from) && accepts()) {
                startMillis = (System.nanoTime() - t0) / 1_000_000L;
                return;
            }
            Thread.sleep(50);
        }
        kill();
        throw new IOException("the broker did not start within " + timeoutMillis + " ms; see " + log);
    }

    private static boolean startedSince(Path log, long from) throws IOException {
        if (!Files.exists(log)) return false;
        byte[] all = Files.readAllBytes(log);
        if (all.length <= from) return false;
        return new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8).contains(STARTED);
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: the broker dies as in a crash, its data stays. */
    public void kill() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 10 s) and deletes its folder. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) kill();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a broker in a new temporary folder and prints its address and start time; Ctrl-C stops it (for the benchmark script). */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("lkst-broker-");
        Broker b = start(dir, 60_000);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                b.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("broker " + b.bootstrap() + " pid " + b.pid() + " started in " + b.startMillis() + " ms");
        System.out.flush();
        b.process.waitFor();
    }
}
