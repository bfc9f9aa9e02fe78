package lkst.ship.component;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import lkst.api.StatusSource;
import lkst.buffers.api.Buffers;
import lkst.buffers.api.LogStatus;
import lkst.ship.KafkaTarget;
import lkst.ship.ShipStatus;
import lkst.ship.Shipper;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * Shipping in the runtime: the {@code lkst:ship} commands, the {@code ship} line of {@code lkst:status}, and a runtime
 * that always ships when Configuration Admin has {@value #PID} with {@code to=kafka://…} (e.g. a file
 * {@code deploy/lkst.ship.cfg}): it then runs the logger into {@code var/fleet/TRACE} with a bound on the disk it takes
 * ({@code log.mb} per file × {@code log.files} files per CPU; the oldest are deleted, and counted lost when they were not
 * shipped yet), ships it, and first finishes shipping the traces an earlier run left unshipped there. Other keys:
 * {@code host} (the host name it ships as), {@code kafka.NAME} (client property NAME).
 */
@Component(service = {ShipComponent.class, StatusSource.class}, configurationPid = ShipComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        property = {"osgi.command.scope=lkst", "osgi.command.function=ship"})
public final class ShipComponent implements StatusSource {
    public static final String PID = "lkst.ship";
    static final long DEFAULT_LOG_MB = 64;
    static final int DEFAULT_LOG_FILES = 8;
    /** How long {@code lkst:ship stop} waits for the topic by default. */
    static final long DEFAULT_WAIT_SECONDS = 30;

    private final Buffers buffers;
    private final BundleContext context;
    private final List<Shipper> shippers = new CopyOnWriteArrayList<>();
    private final List<Shipper> finished = new CopyOnWriteArrayList<>();
    /** The shippers the configuration started: stopped when it changes. */
    private final List<Shipper> configuredShippers = new CopyOnWriteArrayList<>();
    private volatile String defaultHost;
    private volatile String configured;

    @Activate
    public ShipComponent(@Reference Buffers buffers, BundleContext context, Map<String, Object> config) {
        this.buffers = buffers;
        this.context = context;
        modified(config);
    }

    @Modified
    synchronized void modified(Map<String, Object> config) {
        String host = string(config, "host", context.getProperty("lkst.host"));
        defaultHost = host != null ? KafkaTarget.checkHost(host) : machineHost();
        String to = string(config, "to", null);
        if (java.util.Objects.equals(to, configured)) return;
        // another target, or none: what the configuration's shippers did not ship stays on disk, their position saved
        for (Shipper s : configuredShippers) {
            s.stop(2_000);
            shippers.remove(s);
            finished.add(s);
        }
        configuredShippers.clear();
        configured = to;
        if (to == null) return;
        Map<String, String> client = new TreeMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith("kafka.")) client.put(k.substring(6), String.valueOf(v));
        });
        KafkaTarget parsed = KafkaTarget.parse(to);
        KafkaTarget target = new KafkaTarget(parsed.bootstrap(), parsed.topic(), parsed.host(), merge(parsed.client(), client));
        long mb = Long.parseLong(string(config, "log.mb", String.valueOf(DEFAULT_LOG_MB)));
        int files = Integer.parseInt(string(config, "log.files", String.valueOf(DEFAULT_LOG_FILES)));
        resumeLeftovers(target);
        configuredShippers.add(start(target, mb, files));
    }

    @Deactivate
    void deactivate() {
        for (Shipper s : shippers) s.stop(2_000);
    }

    @Descriptor("the shippers: what each has shipped, how far behind on disk it is, what was lost")
    public List<String> ship() {
        List<String> l = new ArrayList<>();
        for (Shipper s : shippers) l.add(s.status().line());
        for (Shipper s : finished) l.add(s.status().line());
        if (l.isEmpty()) l.add("not shipping (lkst:ship start kafka://HOST:PORT/TOPIC)");
        return l;
    }

    @Descriptor("ship what the logger writes to a Kafka topic: start kafka://HOST:PORT/TOPIC[?host=NAME&CLIENT.PROPERTY=VALUE…]"
            + " (starts the logger into var/fleet/TRACE when it does not run) | stop [SECONDS] (ships what was logged until then,"
            + " waiting at most SECONDS, default 30, for the topic; the rest stays on disk)")
    public Object ship(@Descriptor("start or stop") String action, @Descriptor("start: the target; stop: seconds to wait") String... args) {
        try {
            switch (action) {
                case "start": {
                    if (args.length != 1) throw new IllegalArgumentException("usage: lkst:ship start kafka://HOST:PORT/TOPIC");
                    synchronized (this) {
                        return start(KafkaTarget.parse(args[0]), DEFAULT_LOG_MB, DEFAULT_LOG_FILES).status().line();
                    }
                }
                case "stop": {
                    if (args.length > 1) throw new IllegalArgumentException("usage: lkst:ship stop [SECONDS]");
                    long wait = DEFAULT_WAIT_SECONDS;
                    if (args.length == 1) {
                        try {
                            wait = Long.parseLong(args[0]);
                            if (wait < 0) throw new NumberFormatException();
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("bad wait '" + args[0] + "': seconds >= 0");
                        }
                    }
                    if (shippers.isEmpty()) throw new IllegalArgumentException("not shipping");
                    List<String> l = new ArrayList<>();
                    for (Shipper s : shippers) {
                        l.add(s.stop(wait * 1000).line());
                        shippers.remove(s);
                        finished.add(s);
                    }
                    configured = null;
                    return l;
                }
                default:
                    throw new IllegalArgumentException("unknown action '" + action + "': start or stop (help lkst:ship)");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ShipRefusal(e.getMessage());
        }
    }

    /** Ships the logger's directory, starting the logger (bounded: {@code mb} × {@code files} per CPU) when it does not run. */
    private Shipper start(KafkaTarget target, long mb, int files) {
        LogStatus log = buffers.logStatus();
        Path dir;
        String trace = null;
        if (log.running()) {
            dir = Paths.get(log.dir());
        } else {
            trace = Shipper.newTraceId();
            dir = fleetDir().resolve(trace);
            buffers.logStart(dir, mb * 1024 * 1024, files);
        }
        for (Shipper s : shippers) {
            if (s.dir().equals(dir.toAbsolutePath().normalize())) throw new IllegalArgumentException("already shipping " + dir);
        }
        Shipper s = new Shipper(target, dir, defaultHost, trace).start();
        shippers.add(s);
        return s;
    }

    /** Traces an earlier run left in var/fleet unshipped (a crash, a broker that was gone): shipped to their end. */
    private void resumeLeftovers(KafkaTarget target) {
        Path fleet = fleetDir();
        if (!Files.isDirectory(fleet)) return;
        LogStatus log = buffers.logStatus();
        Path live = log.running() ? Paths.get(log.dir()).toAbsolutePath().normalize() : null;
        try (Stream<Path> s = Files.list(fleet)) {
            for (Path d : s.sorted().toList()) {
                if (!Files.exists(d.resolve("trace.meta")) || d.toAbsolutePath().normalize().equals(live)) continue;
                String pos = Files.exists(d.resolve("ship.position")) ? Files.readString(d.resolve("ship.position")) : "";
                if (pos.contains("\ndone\n")) continue;
                Path abs = d.toAbsolutePath().normalize();
                if (shippers.stream().anyMatch(x -> x.dir().equals(abs))) continue;
                // its logger is gone (this runtime's logger writes elsewhere): what the directory holds is all of it
                // a directory of var/fleet is named by its trace ID: the same ID whether or not its position was saved
                Shipper x = new Shipper(target, d, defaultHost, d.getFileName().toString()).orphan().start();
                shippers.add(x);
                configuredShippers.add(x);
            }
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println(java.time.LocalTime.now().withNano(0) + " lkst WARN cannot resume shipping the traces in " + fleet + ": " + e.getMessage());
        }
    }

    private Path fleetDir() {
        String home = context.getProperty("lkst.home");
        return Paths.get(home != null ? home : System.getProperty("java.io.tmpdir"), "var", "fleet");
    }

    @Override
    public String name() { return "ship"; }

    @Override
    public String status() {
        List<String> l = new ArrayList<>();
        for (Shipper s : shippers) l.add(s.status().line());
        return l.isEmpty() ? "not shipping" : String.join("\n", l);
    }

    private static String machineHost() {
        try {
            String h = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
            return h.isEmpty() ? "localhost" : h;
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private static String string(Map<String, Object> config, String key, String fallback) {
        Object v = config.get(key);
        return v == null || String.valueOf(v).isBlank() ? fallback : String.valueOf(v).trim();
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new TreeMap<>(a);
        m.putAll(b);
        return m;
    }

    /** A refused command: Gogo shows its message, one line. */
    static final class ShipRefusal extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ShipRefusal(String message) { super(message); }

        @Override
        public String toString() { return getMessage(); }
    }
}
