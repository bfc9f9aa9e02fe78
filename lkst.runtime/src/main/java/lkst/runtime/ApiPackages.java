package lkst.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.Constants;

/**
 * The API packages the launcher shares with the bundles through the system bundle: every package named
 * {@code lkst.api} or {@code lkst.*.api} that the bundles on lkst.jar's class path ({@link #JARS}) export, at the
 * version they export. Read from their manifests, so that a version bump of an API needs no change here.
 */
final class ApiPackages {
    private static final Pattern API = Pattern.compile("(lkst(?:\\.\\w+)*\\.api);version=\"([0-9.]+)\"");

    /** The bundles on lkst.jar's {@code Class-Path} (lkst.runtime/pom.xml): the launcher loads their API from there. */
    static final Set<String> JARS = Set.of("lkst.core.jar", "lkst.hooks.jar", "lkst.buffers.jar");

    private ApiPackages() {}

    /** As {@code org.osgi.framework.system.packages.extra} takes them: {@code lkst.api;version=2.2.0,…}. */
    static String of(Path bundles) {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(bundles)) {
            for (Path jar : s.filter(j -> JARS.contains(j.getFileName().toString())).toList()) {
                try (JarFile j = new JarFile(jar.toFile())) {
                    String exports = j.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
                    if (exports == null) continue;
                    Matcher m = API.matcher(exports);
                    while (m.find()) out.add(m.group(1) + ";version=" + m.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the exports of the bundles in " + bundles, e);
        }
        return String.join(",", out);
    }
}
