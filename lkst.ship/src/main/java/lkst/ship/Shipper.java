package lkst.ship;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import lkst.buffers.trace.TraceLosses;
import lkst.buffers.trace.TraceMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Ships one trace directory that the logger writes (or wrote) to a Kafka topic, on a thread of its own, never in the
 * way of tracing: it reads the segments the logger wrote ({@link CpuFollower}), sends each CPU's records as
 * {@link Frame} messages keyed {@code HOST/TRACE/cpuN} with per-CPU sequence numbers, the trace's {@code trace.meta}
 * whenever it changes (event types added: a new metadata version), and at the end {@code trace.lost}. The local
 * directory stays the source of truth: when the broker is slow or gone the shipper only falls behind on disk (at most
 * {@link #MAX_IN_FLIGHT} bytes wait in the client), and what the topic acknowledged is saved in {@link ShipPosition},
 * from where a shipper started again resumes. The producer is idempotent (no duplicates within its session); after a
 * failure the shipper starts a new one from the acknowledged position, and the consumer drops what is sent twice by
 * sequence number.
 */
public final class Shipper {
    /** Records per message: at most this many bytes (below the broker's default message.max.bytes of 1 MiB). */
    static final int MAX_FRAME = 256 * 1024;
    /** Bytes sent and not yet acknowledged before the shipper stops reading (and falls behind on disk). */
    static final long MAX_IN_FLIGHT = 16L * 1024 * 1024;
    private static final long IDLE_NANOS = 100_000_000L;

    private final KafkaTarget target;
    private final Path dir;
    private final ShipPosition acked;
    private final Thread thread;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    /** System.nanoTime of the first message sent and of the last acknowledged (for the shipping rate), 0: none yet. */
    private volatile long firstSend;
    private volatile long lastAck;
    private volatile boolean stopping;
    private volatile long deadline;
    private volatile boolean running;
    private volatile String error;
    private volatile Exception failure;
    private volatile boolean endAcked;
    private int generation;
    private KafkaProducer<String, byte[]> producer;
    private List<CpuFollower> followers = new ArrayList<>();
    private int metaSent;
    private long metaSentCrc;
    private boolean endSent;

    /**
     * A shipper of {@code dir} to {@code target}, resuming from the directory's {@link ShipPosition} when it has one
     * (then its trace ID and host name are kept), else as a new trace of {@code host}.
     */
    public Shipper(KafkaTarget target, Path dir, String host, String trace) {
        this.target = target;
        this.dir = dir.toAbsolutePath().normalize();
        ShipPosition p = ShipPosition.read(this.dir);
        if (p == null) {
            p = new ShipPosition();
            p.trace = trace != null ? trace : newTraceId();
            p.host = target.host() != null ? target.host() : KafkaTarget.checkHost(host);
        }
        this.acked = p;
        this.endAcked = p.done;
        this.thread = new Thread(this::run, "lkst-ship");
        thread.setDaemon(true);
    }

    /** A new trace ID: the UTC time it started and a random part, so that runs of one host sort by time. */
    public static String newTraceId() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    public Path dir() { return dir; }

    public String trace() { return acked.trace; }

    public Shipper start() {
        saveAcked(); // the trace ID and host on disk before anything is sent: a crash before the first message keeps them
        running = true;
        thread.start();
        return this;
    }

    /**
     * Stops: ships what the logger wrote until then (and, when the logger has stopped, the end of the trace), waiting
     * at most {@code waitMillis} for the topic to acknowledge it; what is left stays on disk, its position saved.
     */
    public ShipStatus stop(long waitMillis) {
        deadline = System.nanoTime() + waitMillis * 1_000_000L;
        stopping = true;
        try {
            thread.join(waitMillis + 15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return status();
    }

    public boolean running() { return running; }

    public ShipStatus status() {
        long behind = 0;
        List<CpuFollower> fs = followers;
        for (CpuFollower f : fs) behind += f.behind();
        return new ShipStatus(running, target.toString(), acked.host, acked.trace, dir.toString(), acked.shippedRecords(),
                lastAck > firstSend && firstSend > 0 ? (lastAck - firstSend) / 1e9 : 0, bytesSent.get(),
                behind, acked.lostRecords(), acked.lostSegments(), acked.metaVersion, endAcked, error);
    }

    private void run() {
        try {
            while (!(endAcked && inFlight.get() == 0)) {
                boolean stop = stopping;
                boolean sent;
                try {
                    if (failure != null) rewind(); // closes the client that failed
                    if (producer == null) open();
                    sent = round();
                } catch (RuntimeException e) { // the broker unreachable (metadata timeout), a refused configuration …
                    error("the topic does not take messages: " + describe(e) + "; shipping goes on when it does");
                    rewind();
                    sent = false;
                    if (!stop) sleep(1_000_000_000L);
                }
                saveAcked();
                if (sent) continue;
                if (stop && (System.nanoTime() > deadline || (inFlight.get() == 0 && !finished() && failure == null))) break;
                sleep(IDLE_NANOS);
            }
        } finally {
            closeProducer(5_000);
            saveAcked();
            running = false;
        }
    }

    private void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void open() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "lkst-ship-" + acked.host);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(2 * MAX_FRAME));
        // a broker that is gone is waited for, never given up on: the client retries while the shipper stops reading
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Integer.MAX_VALUE));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.putAll(target.client());
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        // configured classes (a SASL login callback …) are loaded by the client's own bundle; serializers are handed in
        t.setContextClassLoader(KafkaProducer.class.getClassLoader());
        try {
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        } finally {
            t.setContextClassLoader(before);
        }
        rewind();
    }

    /** Starts again from what the topic acknowledged: new followers, the metadata and the end sent again if unacknowledged. */
    private void rewind() {
        generation++; // first: the callbacks of the client closed here fail, and are no longer this shipper's concern
        if (failure != null && producer != null) {
            closeProducer(0);
        }
        failure = null;
        inFlight.set(0);
        List<CpuFollower> fs = new ArrayList<>();
        int cpus = cpus();
        for (int cpu = 0; cpu < cpus; cpu++) {
            long[] a = acked.cpu(cpu);
            CpuFollower f = new CpuFollower(dir, cpu, (int) a[0], a[1], a[2]);
            f.lostRecords = a[3];
            f.lostSegments = a[4];
            fs.add(f);
        }
        followers = fs;
        metaSent = acked.metaVersion;
        metaSentCrc = acked.metaCrc;
        endSent = false;
    }

    private void closeProducer(long millis) {
        KafkaProducer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(java.time.Duration.ofMillis(millis));
            } catch (RuntimeException e) {
                error = "closing the Kafka client: " + describe(e);
            }
        }
    }

    private int cpus() {
        try {
            for (String l : Files.readAllLines(dir.resolve(TraceMetadata.FILE), StandardCharsets.UTF_8)) {
                if (l.startsWith("cpus\t")) return Integer.parseInt(l.substring(5).trim());
            }
        } catch (IOException | NumberFormatException e) {
            // not written yet: no CPU to follow until it is
        }
        return 0;
    }

    /** One pass: the metadata when it changed, each CPU's next records, the end when the logger has stopped. */
    private boolean round() {
        boolean sent = false;
        if (followers.isEmpty()) rewind();
        byte[] meta = read(dir.resolve(TraceMetadata.FILE));
        if (meta != null && meta.length > 0 && meta[meta.length - 1] == '\n') {
            long crc = crc(meta);
            if (crc != metaSentCrc) {
                int version = ++metaSent;
                metaSentCrc = crc;
                send(new Frame(Frame.Kind.META, acked.host, acked.trace, -1, version, 0, ByteBuffer.wrap(meta)), () -> {
                    synchronized (acked) {
                        if (version > acked.metaVersion) {
                            acked.metaVersion = version;
                            acked.metaCrc = crc;
                        }
                    }
                });
                sent = true;
            }
        }
        if (acked.metaVersion == 0 && metaSent == 0) return sent; // records need their metadata first
        boolean caughtUp = true;
        RecordBatch batch = new RecordBatch();
        List<Frame> lost = new ArrayList<>();
        for (CpuFollower f : followers) {
            if (inFlight.get() > MAX_IN_FLIGHT) return true; // behind: the records wait on disk
            batch.reset(f.cpu, f.seq);
            lost.clear();
            boolean progress = f.read(batch, MAX_FRAME, lost, acked.host, acked.trace);
            for (Frame l : lost) send(l, () -> { });
            if (batch.count > 0) {
                int cpu = f.cpu;
                long seg = batch.endSegment, pos = batch.endPosition, seq = batch.endSeq, lr = f.lostRecords, ls = f.lostSegments;
                send(new Frame(Frame.Kind.RECORDS, acked.host, acked.trace, cpu, batch.firstSeq, batch.count, batch.body()),
                        () -> acked.ack(cpu, seg, pos, seq, lr, ls));
            } else if (!lost.isEmpty()) {
                int cpu = f.cpu;
                long seg = f.segment, pos = f.position, seq = f.seq, lr = f.lostRecords, ls = f.lostSegments;
                send(new Frame(Frame.Kind.RECORDS, acked.host, acked.trace, cpu, seq, 0, ByteBuffer.allocate(0)),
                        () -> acked.ack(cpu, seg, pos, seq, lr, ls));
            }
            if (progress) {
                caughtUp = false;
                sent = true;
            }
        }
        // the end goes last: after every record and loss of the trace is acknowledged (they travel in other partitions)
        if (caughtUp && !endSent && inFlight.get() == 0 && failure == null && finished()) {
            byte[] lostFile = read(dir.resolve(TraceLosses.FILE));
            endSent = true;
            send(new Frame(Frame.Kind.END, acked.host, acked.trace, -1, 0, 0, ByteBuffer.wrap(lostFile == null ? new byte[0] : lostFile)),
                    () -> {
                        acked.done = true;
                        endAcked = true;
                    });
            sent = true;
        }
        return sent;
    }

    /** The logger has stopped writing this directory (it writes trace.lost last), or died: nothing more comes. */
    private boolean finished() { return orphan || Files.exists(dir.resolve(TraceLosses.FILE)); }

    private volatile boolean orphan;

    /** The directory of a logger that died (a crash): what it holds is all there will be. */
    public Shipper orphan() {
        orphan = true;
        return this;
    }

    private void send(Frame f, Runnable onAck) {
        byte[] value = f.encode();
        int gen = generation;
        if (firstSend == 0) firstSend = System.nanoTime();
        inFlight.addAndGet(value.length);
        producer.send(new ProducerRecord<>(target.topic(), f.key(), value), (meta, e) -> {
            if (gen != generation) return;
            inFlight.addAndGet(-value.length);
            if (e != null) {
                error("a message was not acknowledged: " + describe(e) + "; it is sent again");
                failure = e;
            } else {
                bytesSent.addAndGet(value.length);
                lastAck = System.nanoTime();
                onAck.run();
            }
        });
    }

    /** The last problem, for the status; each new one is also a line of the runtime's log. */
    private void error(String text) {
        if (!text.equals(error)) System.err.println(java.time.LocalTime.now() + " lkst WARN ship " + acked.host + "/" + acked.trace + ": " + text);
        error = text;
    }

    private void saveAcked() {
        try {
            acked.write(dir);
        } catch (RuntimeException e) {
            error = describe(e);
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return (m == null || m.isBlank() ? t.getClass().getSimpleName() : m + " (" + t.getClass().getSimpleName() + ")");
    }
}
