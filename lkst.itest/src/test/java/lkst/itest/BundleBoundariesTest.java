package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only API packages cross bundles (issue 11): every LKST/J bundle of the runtime exports only the packages that the
 * README's layout table names as API, and imports no LKST/J package that another bundle keeps private. Read from the
 * manifests bnd wrote, so a class that starts using another bundle's private package fails here.
 */
class BundleBoundariesTest {
    /** The exported packages, and only those: the API packages and the ftrace library. */
    static final Set<String> API = Set.of("lkst.api", "lkst.hooks.api", "lkst.hooks.kernel.api", "lkst.hooks.ftrace",
            "lkst.buffers.api");

    private static final Pattern PACKAGE = Pattern.compile("(?:^|,)(lkst(?:\\.\\w+)*)(?=[;,]|$)");

    @Test
    void bundlesExportOnlyApiPackages() throws IOException {
        Map<String, Set<String>> exports = header("Export-Package");
        Set<String> all = new TreeSet<>();
        exports.values().forEach(all::addAll);
        assertEquals(new TreeSet<>(API), all, "exported by " + exports);
    }

    @Test
    void bundlesImportNoOtherBundlesPrivatePackage() throws IOException {
        Map<String, Set<String>> imports = header("Import-Package");
        List<String> wrong = new ArrayList<>();
        imports.forEach((bundle, pkgs) -> {
            for (String p : pkgs) if (!API.contains(p)) wrong.add(bundle + " imports " + p);
        });
        assertEquals(List.of(), wrong);
        assertTrue(imports.get("lkst.shell.jar").contains("lkst.hooks.kernel.api"), "the shell reaches the kernel through its API: " + imports);
    }

    /** The lkst.* packages a header lists, by bundle file (attributes and directives left out). */
    private static Map<String, Set<String>> header(String name) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(Felix.DIST.resolve("bundles"))) {
            for (Path jar : s.filter(j -> j.getFileName().toString().startsWith("lkst.")).toList()) {
                try (JarFile j = new JarFile(jar.toFile())) {
                    String value = j.getManifest().getMainAttributes().getValue(name);
                    Set<String> pkgs = new TreeSet<>();
                    // quoted attribute values (uses:="lkst.api,…") name packages too: leave them out
                    if (value != null) {
                        Matcher m = PACKAGE.matcher(value.replaceAll("\"[^\"]*\"", "\"\""));
                        while (m.find()) pkgs.add(m.group(1));
                    }
                    out.put(jar.getFileName().toString(), pkgs);
                }
            }
        }
        return out;
    }
}
