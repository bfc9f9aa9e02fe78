package lkst.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lkst.api.RuntimeProperties;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The LKST/J runtime: a Felix framework with the bundles of {@code bundles/}, Configuration Admin persisting
 * under {@code $LKST_HOME/var/config} and FileInstall watching {@code $LKST_HOME/deploy}. The framework's own
 * cache is private to this process and removed when it stops. Only the runtime that holds the home's lock writes
 * under {@code var/}; another one beside it runs as a guest with files of its own ({@link HomeLock}).
 */
final class LkstRuntime implements AutoCloseable {
    /** {@code -Dlkst.timing=true}: each start-up and shut-down phase's time on standard error. */
    static final boolean TIMING = Boolean.getBoolean("lkst.timing");
    private static final long T0 = System.nanoTime();

    static void phase(String what) {
        if (TIMING) System.err.printf("lkst timing: %-28s %6.0f ms%n", what, (System.nanoTime() - T0) / 1e6);
    }

    /** Bundles started last, and only when a person is at the terminal: the interactive Gogo shell. */
    static final String INTERACTIVE_SHELL = "org.apache.felix.gogo.jline";

    final Framework framework;
    private final Path cache;
    private final HomeLock lock;

    private LkstRuntime(Framework framework, Path cache, HomeLock lock) {
        this.framework = framework;
        this.cache = cache;
        this.lock = lock;
    }

    static LkstRuntime start(Path home, Path bundles, boolean interactive, Map<String, String> extra)
            throws IOException, BundleException {
        HomeLock lock = HomeLock.acquire(home);
        if (!lock.owner()) RuntimeLog.notice(lock.note());
        try {
            return start(home, bundles, interactive, extra, lock);
        } catch (IOException | BundleException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static LkstRuntime start(Path home, Path bundles, boolean interactive, Map<String, String> extra, HomeLock lock)
            throws IOException, BundleException {
        Path cache = Files.createTempDirectory("lkst-felix-");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the API packages come from the launcher's class path, so that it calls the services with their own types
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, ApiPackages.of(bundles));
        config.putAll(lock.properties()); // felix.cm.dir, and a guest's own trace directory
        config.put("felix.fileinstall.dir", home.resolve(RuntimeProperties.DEPLOY).toString());
        config.put("felix.fileinstall.poll", "200");
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.log.level", "2");
        // deploy/*.cfg are the user's files: read them, never write them back. (FileInstall writes a configuration
        // changed in Configuration Admin back to its file; a short run that exits during that write leaves it empty.)
        config.put("felix.fileinstall.enableConfigSave", "false");
        config.put("felix.log.level", "1");
        config.put(RuntimeProperties.HOME, home.toString());
        // the interactive shell reads etc/gosh_profile of the runtime's folder: lkst first, exit, Tab completion
        config.put("gosh.home", bundles.toAbsolutePath().getParent().toString());
        config.putAll(extra);
        Files.createDirectories(home.resolve(RuntimeProperties.DEPLOY));
        phase("launcher");
        Framework fw = new FrameworkFactory().newFramework(config);
        fw.start();
        phase("framework started");
        LkstRuntime rt = new LkstRuntime(fw, cache, lock);
        try {
            BundleContext ctx = fw.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            Bundle shell = null;
            for (Path jar : jars(bundles)) {
                // reference: the framework reads the jar in place instead of copying it into its cache
                Bundle b = ctx.installBundle("reference:" + jar.toUri());
                if (INTERACTIVE_SHELL.equals(b.getSymbolicName())) shell = b;
                else installed.add(b);
            }
            phase("bundles installed");
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) b.start();
                // before FileInstall and the components read configuration: see DeployedConfigurations
                if (DeployedConfigurations.CONFIG_ADMIN.equals(b.getSymbolicName())) DeployedConfigurations.forgetDeletedFiles(ctx, b);
                phase("started " + b.getSymbolicName());
            }
            if (interactive && shell != null) startShell(shell);
        } catch (BundleException | RuntimeException e) {
            rt.close();
            throw e;
        }
        return rt;
    }

    /**
     * Starts the interactive shell, which builds its terminal as it starts. JLine looks its terminal providers up
     * through the thread's context class loader, falling back to its own: the launcher's loader cannot see them
     * (JLine would fall back to a dumb terminal: no line editing, history or completion), so there is none.
     */
    private static void startShell(Bundle shell) throws BundleException {
        Thread thread = Thread.currentThread();
        ClassLoader launcher = thread.getContextClassLoader();
        thread.setContextClassLoader(null);
        try {
            shell.start();
        } finally {
            thread.setContextClassLoader(launcher);
        }
    }

    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            // libraries before the LKST/J bundles that use them; the order only shortens start-up
            return s.filter(p -> p.toString().endsWith(".jar"))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().startsWith("lkst.") ? 1 : 0)
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    /** The service of type {@code type} (an API type), waiting up to 15 s for its bundle to register it. */
    <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(framework.getBundleContext(), type, null);
        // all services of that name: the framework cannot tell that the system bundle's class space (the launcher's
        // class path) is where the bundles' API classes come from, so a tracker limited to it may not see them
        t.open(true);
        T s = t.waitForService(15_000);
        if (s == null) throw new IllegalStateException("no " + type.getSimpleName() + " service within 15 s");
        if (!type.isInstance(s)) {
            throw new IllegalStateException("the " + type.getSimpleName() + " service does not use the launcher's API "
                    + "classes (its bundle did not import " + type.getPackageName() + " from the system bundle)");
        }
        return s; // the tracker stays open: the service is used until the framework stops
    }

    int waitForStop() throws InterruptedException {
        framework.waitForStop(0);
        return 0;
    }

    @Override
    public void close() {
        try {
            if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) framework.stop();
            framework.waitForStop(30_000);
            phase("framework stopped");
        } catch (BundleException | InterruptedException e) {
            System.err.println("lkst: the framework did not stop cleanly: " + e);
        } finally {
            delete(cache.toFile());
            lock.close(); // after the framework stopped: nothing writes under var/ any more
        }
    }

    private static void delete(File f) {
        File[] children = f.listFiles();
        if (children != null) for (File c : children) delete(c);
        f.delete();
    }
}
