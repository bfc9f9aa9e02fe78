package lkst.itest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A plain Felix framework, started by the test: the LKST/J bundles of the runtime (and any others given) are
 * installed and started; the API packages come from the test's class path through the system bundle, so the test
 * talks to the bundles' services with the real API types.
 */
final class Felix implements AutoCloseable {
    static final Path DIST = Paths.get(System.getProperty("lkst.dist", "../lkst.runtime/target/lkst"));
    static final String API = "lkst.api;version=2.2.0,lkst.hooks.api;version=1.0.0,lkst.buffers.api;version=2.0.0";

    final Framework framework;
    final Path home;

    private Felix(Framework framework, Path home) {
        this.framework = framework;
        this.home = home;
    }

    /** Starts a framework with the runtime's bundles except the interactive shell, plus {@code extra}. */
    static Felix start(Path home, Map<String, String> props, Path... extra) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, home.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, API);
        config.put("felix.cm.dir", home.resolve("config").toString());
        config.put("felix.fileinstall.dir", home.resolve("deploy").toString());
        config.put("felix.fileinstall.poll", "100");
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("lkst.home", home.toString());
        config.putAll(props);
        Files.createDirectories(home.resolve("deploy"));
        Framework fw = new FrameworkFactory().newFramework(config);
        fw.start();
        Felix felix = new Felix(fw, home);
        try {
            BundleContext ctx = fw.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            try (Stream<Path> s = Files.list(DIST.resolve("bundles"))) {
                for (Path p : s.sorted().toList()) {
                    if (!p.getFileName().toString().contains("gogo.jline")) bundles.add(ctx.installBundle(p.toUri().toString()));
                }
            }
            for (Path p : extra) bundles.add(ctx.installBundle(p.toUri().toString()));
            for (Bundle b : bundles) if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) b.start();
        } catch (Exception e) {
            felix.close();
            throw e;
        }
        return felix;
    }

    <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(framework.getBundleContext(), type, null);
        t.open(true); // the system bundle's class space: the framework cannot tell the API came from it
        T s = t.waitForService(10_000);
        if (s == null) throw new AssertionError("no " + type.getName() + " service within 10 s; " + diagnosis());
        return s;
    }

    /** Bundles not active, with their state: what a failed wait for a service shows. */
    String diagnosis() {
        StringBuilder b = new StringBuilder();
        for (Bundle x : framework.getBundleContext().getBundles()) {
            if (x.getState() != Bundle.ACTIVE) b.append(x.getSymbolicName()).append(" state ").append(x.getState()).append("; ");
            org.osgi.framework.wiring.BundleWiring w = x.adapt(org.osgi.framework.wiring.BundleWiring.class);
            if (w != null && x.getSymbolicName().startsWith("lkst.")) {
                for (org.osgi.framework.wiring.BundleWire wire : w.getRequiredWires("osgi.wiring.package")) {
                    Object pkg = wire.getCapability().getAttributes().get("osgi.wiring.package");
                    if (String.valueOf(pkg).startsWith("lkst.")) {
                        b.append(x.getSymbolicName()).append(" gets ").append(pkg).append(" from ")
                                .append(wire.getProvider().getSymbolicName()).append("; ");
                    }
                }
            }
        }
        try {
            for (org.osgi.framework.ServiceReference<?> r : framework.getBundleContext().getAllServiceReferences(null, null)) {
                b.append(java.util.Arrays.toString((String[]) r.getProperty("objectClass"))).append(' ');
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        return b.toString();
    }

    Bundle bundle(String symbolicName) {
        for (Bundle b : framework.getBundleContext().getBundles()) if (symbolicName.equals(b.getSymbolicName())) return b;
        throw new AssertionError("no bundle " + symbolicName);
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(30_000);
    }

    static Path example(String name) {
        return Paths.get(System.getProperty(name));
    }

    static void deleteTree(Path p) throws IOException {
        File[] children = p.toFile().listFiles();
        if (children != null) for (File c : children) deleteTree(c.toPath());
        Files.deleteIfExists(p);
    }
}
