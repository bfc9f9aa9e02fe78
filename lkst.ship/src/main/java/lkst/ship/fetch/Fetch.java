package lkst.ship.fetch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import lkst.ship.Frame;
import lkst.ship.KafkaTarget;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code lkst fetch kafka://HOST:PORT/TOPIC [--host H] [--from T] [--to T] -o DIR}: reads the topic from its start to
 * its end as the command starts, and rebuilds one trace directory per host and trace, {@code DIR/HOST/TRACE}, that
 * print, stats, report, ctf and recover read. T is wall-clock time: {@code 2026-12-02T13:48:48Z} or seconds since 1970
 * (each host's records are placed on the wall clock by the offset its trace.meta recorded).
 */
public final class Fetch {
    static final String USAGE = String.join("\n",
            "usage: lkst fetch kafka://HOST:PORT/TOPIC[?CLIENT.PROPERTY=VALUE…] [--host H[,H…]] [--from T] [--to T] -o DIR",
            "  rebuilds DIR/HOST/TRACE, a trace directory per host and trace on the topic (print, report, ctf, recover read it)",
            "  --host H      only these hosts (repeatable, comma lists)",
            "  --from T, --to T   only records between these wall-clock times: 2026-12-02T13:48:48Z or seconds since 1970",
            "  -o DIR        where to write; it must not exist or be empty");
    /** The longest the topic may give nothing before fetch gives up. */
    static final Duration STALL = Duration.ofSeconds(30);

    private Fetch() {}

    public static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        String url = null;
        Set<String> hosts = new TreeSet<>();
        long from = Long.MIN_VALUE, to = Long.MAX_VALUE;
        Path dir = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
            if (!a.startsWith("-")) {
                if (url != null) return usage(err, "one topic only; '" + a + "' is a second");
                url = a;
                continue;
            }
            if (!List.of("--host", "--from", "--to", "-o").contains(a)) return usage(err, "unknown option '" + a + "'");
            if (i + 1 >= args.length) return usage(err, a + " needs a value");
            String v = args[++i];
            try {
                switch (a) {
                    case "--host" -> { for (String h : v.split(",")) hosts.add(KafkaTarget.checkHost(h.trim())); }
                    case "--from" -> from = wall(v);
                    case "--to" -> to = wall(v);
                    default -> dir = Paths.get(v);
                }
            } catch (IllegalArgumentException e) {
                return usage(err, a + ": " + e.getMessage());
            }
        }
        if (url == null) return usage(err, "give the topic: kafka://HOST:PORT/TOPIC");
        if (dir == null) return usage(err, "give -o DIR");
        if (from > to) return usage(err, "--from is after --to");
        KafkaTarget target;
        try {
            target = KafkaTarget.parse(url);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
            err.println("lkst: fetch: " + dir + " exists and is not an empty directory; give another -o DIR");
            return 1;
        }
        return fetch(target, hosts, from, to, dir, out, err);
    }

    private static int usage(PrintStream err, String why) {
        err.println("lkst: fetch: " + why + "; usage: lkst fetch --help");
        return 2;
    }

    static long wall(String t) {
        try {
            return Instant.parse(t).getEpochSecond() * 1_000_000_000L + Instant.parse(t).getNano();
        } catch (DateTimeParseException e) {
            try {
                return (long) (Double.parseDouble(t) * 1e9);
            } catch (NumberFormatException n) {
                throw new IllegalArgumentException("bad time '" + t + "': 2026-12-02T13:48:48Z or seconds since 1970");
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static int fetch(KafkaTarget target, Set<String> hosts, long from, long to, Path dir, PrintStream out, PrintStream err)
            throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "lkst-fetch");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.putAll(target.client());
        Map<String, FetchedTrace> traces = new LinkedHashMap<>();
        long skippedHosts = 0, bad = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> parts;
            try {
                parts = consumer.partitionsFor(target.topic(), Duration.ofSeconds(10));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                err.println("lkst: fetch: no answer from " + target.bootstrap() + " within 10 s (is the broker running?)");
                return 1;
            }
            if (parts == null || parts.isEmpty()) {
                err.println("lkst: fetch: no topic '" + target.topic() + "' on " + target.bootstrap());
                return 1;
            }
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo pi : parts) tps.add(new TopicPartition(pi.topic(), pi.partition()));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(tps));
            boolean timed = from != Long.MIN_VALUE || to != Long.MAX_VALUE;
            // with a time window, a first pass reads the metadata of every trace (its wall-clock offset places its records)
            for (int pass = timed ? 0 : 1; pass <= 1; pass++) {
                if (pass == 1 && timed) consumer.seekToBeginning(tps);
                long lastProgress = System.nanoTime();
                while (!done(consumer, end)) {
                    var polled = consumer.poll(Duration.ofMillis(500));
                    if (polled.isEmpty()) {
                        if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                            err.println("lkst: fetch: the topic gave nothing for " + STALL.toSeconds() + " s before its end; nothing written");
                            return 1;
                        }
                        continue;
                    }
                    lastProgress = System.nanoTime();
                    for (ConsumerRecord<String, byte[]> r : polled) {
                        Frame f;
                        try {
                            f = Frame.decode(r.value());
                        } catch (IllegalArgumentException e) {
                            bad++;
                            continue;
                        }
                        if (!hosts.isEmpty() && !hosts.contains(f.host())) {
                            skippedHosts++;
                            continue;
                        }
                        FetchedTrace t = traces.computeIfAbsent(f.host() + "/" + f.trace(),
                                k -> new FetchedTrace(f.host(), f.trace(), dir.resolve(f.host()).resolve(f.trace())));
                        if (pass == 0) {
                            if (f.kind() == Frame.Kind.META) t.meta(f);
                            continue;
                        }
                        switch (f.kind()) {
                            case META -> t.meta(f);
                            case RECORDS -> t.records(f, from, to);
                            case LOST -> t.lost(f);
                            case END -> t.end(f);
                        }
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            err.println("lkst: fetch: " + target + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            return 1;
        }
        int exit = 0;
        if (traces.isEmpty()) err.println("lkst: fetch: no trace on " + target + (hosts.isEmpty() ? "" : " of host " + hosts));
        for (FetchedTrace t : traces.values()) {
            if (!t.hasMeta()) {
                err.println("lkst: fetch: " + t.host + "/" + t.trace + ": no metadata on the topic; its " + t.records + " records cannot be read: not written");
                exit = 1;
                continue;
            }
            t.finish();
            out.println(t.dir + ": " + t.records + " records, cpus " + t.cpuList() + ", metadata version " + t.metaVersion
                    + (t.duplicates > 0 ? ", " + t.duplicates + " sent twice and dropped" : "")
                    + (t.outOfWindow > 0 ? ", " + t.outOfWindow + " outside --from/--to" : "")
                    + ", lost " + t.lost() + (t.reasons.isEmpty() ? "" : " (" + String.join("; ", t.reasons) + ")")
                    + (t.ended ? "" : "; not finished on the topic (its runtime still ships, or died): its own losses are not known"));
        }
        if (bad > 0) err.println("lkst: fetch: " + bad + " messages on the topic are not LKST/J fleet messages; left out");
        return exit;
    }

    private static boolean done(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) return false;
        }
        return true;
    }
}
