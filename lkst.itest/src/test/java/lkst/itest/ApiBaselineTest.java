package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * bnd's baseline of the API: each bundle jar in {@code cnf/baseline/} (the API as issue 11 settled it; nothing has
 * been released) against the same bundle as built now. A change an exported package's version does not allow for
 * (a method removed under the same major version, a method added to a {@code @ProviderType} without a minor bump …)
 * fails here, with bnd's suggested version. Replace a baseline jar when an API is released.
 */
class ApiBaselineTest {
    static final Path BASELINE = Paths.get(System.getProperty("lkst.baseline", "../cnf/baseline"));

    @Test
    void theApiPackagesAreVersionedAsTheirChangesRequire() throws Exception {
        List<Path> jars;
        try (Stream<Path> s = Files.list(BASELINE)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        assertFalse(jars.isEmpty(), "no baseline jar in " + BASELINE.toAbsolutePath());
        List<String> wrong = new ArrayList<>();
        for (Path old : jars) {
            Path now = Felix.DIST.resolve("bundles").resolve(old.getFileName());
            try (Jar newer = new Jar(now.toFile()); Jar older = new Jar(old.toFile())) {
                wrong.addAll(mismatches(newer, older));
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The check can fail: lkst.api without one of its types, at the same version, is refused with a major bump. */
    @Test
    void aTypeRemovedFromAnApiPackageAtTheSameVersionFails() throws Exception {
        File core = BASELINE.resolve("lkst.core.jar").toFile();
        try (Jar older = new Jar(core); Jar newer = new Jar(core)) {
            assertTrue(newer.remove("lkst/api/Drainable.class") != null, "the baseline has lkst.api.Drainable");
            List<String> wrong = mismatches(newer, older);
            assertEquals(1, wrong.size(), wrong.toString());
            assertTrue(wrong.get(0).startsWith("lkst.api: version 2.2.0, bnd suggests 3.0.0"), wrong.toString());
        }
    }

    /** One line per exported package whose version is below what its change from {@code older} requires. */
    private static List<String> mismatches(Jar newer, Jar older) throws Exception {
        List<String> out = new ArrayList<>();
        try (Processor p = new Processor()) {
            for (Baseline.Info info : new Baseline(p, new DiffPluginImpl()).baseline(newer, older, null)) {
                if (info.mismatch) {
                    out.add(info.packageName + ": version " + info.newerVersion + ", bnd suggests " + info.suggestedVersion
                            + " (" + info.packageDiff.getDelta() + " change since " + info.olderVersion + ")");
                }
            }
            if (!p.isOk()) out.add("bnd: " + p.getErrors());
        }
        return out;
    }
}
