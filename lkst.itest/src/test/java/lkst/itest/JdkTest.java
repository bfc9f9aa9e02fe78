package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code lkst} script on every JDK this machine has (each folder of /usr/lib/jvm, and the JDK running the test):
 * {@code JAVA_HOME=JDK ./lkst -c lkst:status} exits 0, prints the status and not one warning, on its first run after a
 * build (which writes the class-data-sharing archive) and its second (which maps it), with the archives of the other
 * JDKs beside it, and a third with -Xshare:on, which starts only if the JVM can map its archive. The script runs on a copy of the built runtime, marked built, so that it never starts Maven here.
 */
class JdkTest {
    private static final Path SCRIPT = Path.of("../lkst");
    private static final Path JVMS = Path.of("/usr/lib/jvm");
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(?:1\\.)?(\\d+)", Pattern.MULTILINE);

    @TempDir
    static Path root;

    /** A copy of the runtime folder laid out as the script expects it beside itself, built and without archives. */
    private static synchronized Path checkout() throws IOException {
        Path script = root.resolve("lkst");
        if (Files.exists(script)) return root;
        Path dist = root.resolve("lkst.runtime/target/lkst");
        Path from = Felix.DIST.toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".jsa") || name.startsWith(".")) continue;
                Path to = dist.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        Files.copy(SCRIPT, script);
        assertTrue(script.toFile().setExecutable(true));
        Files.createFile(dist.resolve(".built")); // newer than every file of the copy: the script does not build
        return root;
    }

    /** Every JDK to try: each folder of /usr/lib/jvm (once, symbolic links resolved) and the one running this test. */
    static List<Path> jdks() throws IOException {
        Set<Path> jdks = new LinkedHashSet<>();
        jdks.add(Path.of(System.getProperty("java.home")).toRealPath());
        if (Files.isDirectory(JVMS)) {
            try (Stream<Path> s = Files.list(JVMS)) {
                for (Path p : s.sorted().toList()) if (Files.isDirectory(p)) jdks.add(p.toRealPath());
            }
        }
        return new ArrayList<>(jdks);
    }

    /** The feature version of the JDK in {@code jdk} from its release file, -1 when it has none. */
    static int version(Path jdk) throws IOException {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release)) return -1;
        Matcher m = VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    record Run(int exit, String out, String err) {
        /** The lines of both streams that hold a warning, in any case. */
        List<String> warnings() {
            return Stream.concat(out.lines(), err.lines()).filter(l -> l.toLowerCase().contains("warning")).toList();
        }
    }

    static Run lkst(Path javaHome, Path home, String... args) throws Exception {
        return lkstWith(null, javaHome, home, args);
    }

    /** The script with {@code JAVA_HOME=javaHome LKST_HOME=home LKST_JAVA_OPTS=javaOpts} (none when null). */
    static Run lkstWith(String javaOpts, Path javaHome, Path home, String... args) throws Exception {
        Path dir = checkout();
        List<String> cmd = new ArrayList<>(List.of("bash", dir.resolve("lkst").toString()));
        cmd.addAll(List.of(args));
        Files.createDirectories(home);
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("LKST_HOME", home.toString());
        env.remove("LKST_JAVA_OPTS");
        if (javaOpts != null) env.put("LKST_JAVA_OPTS", javaOpts);
        env.remove("JAVA_TOOL_OPTIONS"); // the JVM announces these on standard error ("Picked up …")
        env.remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lkst " + String.join(" ", args) + " on " + javaHome + " did not exit within 90 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @TestFactory
    Stream<DynamicTest> statusWithoutAWarningOnEveryJdk() throws IOException {
        return jdks().stream().map(jdk -> DynamicTest.dynamicTest(jdk.toString(), () -> {
            assumeTrue(Files.isExecutable(jdk.resolve("bin/java")), jdk + " has no bin/java: not a JDK this test can run");
            int v = version(jdk);
            assumeTrue(v > 0, jdk + " has no release file telling its version: not run");
            assumeTrue(v >= 17, jdk + " is Java " + v + ": LKST/J needs Java 17 or later");
            Path home = root.resolve("home-" + v + "-" + jdk.getFileName());
            // -Xshare:on: the JVM refuses to start when it cannot map the archive (one of another JVM, say)
            for (String run : List.of("first run (writes the CDS archive)", "second run (maps the CDS archive)",
                    "third run, -Xshare:on (must map the archive)")) {
                Run r = lkstWith(run.contains("Xshare") ? "-Xshare:on" : null, jdk, home, "-c", "lkst:status");
                String all = "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err();
                assertEquals(0, r.exit(), "Java " + v + ", " + run + ": exit" + all);
                assertTrue(r.out().contains("tracing     started") && r.out().contains("maskset     default"),
                        "Java " + v + ", " + run + ": the status" + all);
                assertEquals(List.of(), r.warnings(), "Java " + v + ", " + run + ": no warning" + all);
            }
            String jsa = "lkst-" + runtimeVersion(jdk).replaceAll("[^A-Za-z0-9._+-]", "_") + ".jsa";
            assertTrue(Files.isRegularFile(root.resolve("lkst.runtime/target/lkst").resolve(jsa)),
                    "Java " + v + ": its own class-data-sharing archive " + jsa);
        }));
    }

    private static String runtimeVersion(Path jdk) throws IOException {
        String release = Files.readString(jdk.resolve("release"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("^JAVA_RUNTIME_VERSION=\"([^\"]*)\"", Pattern.MULTILINE).matcher(release);
        if (m.find()) return m.group(1);
        m = Pattern.compile("^JAVA_VERSION=\"([^\"]*)\"", Pattern.MULTILINE).matcher(release);
        assertTrue(m.find(), "JAVA_VERSION in " + jdk.resolve("release"));
        return m.group(1);
    }

    /**
     * A stand-in JDK in {@code dir}: its bin/java prints the options it was started with (and, for -version, the
     * version lines of {@code version}); a release file tells the version when {@code release} is true.
     */
    static Path fakeJdk(String dir, String version, boolean release) throws IOException {
        Path jdk = root.resolve(dir);
        Files.createDirectories(jdk.resolve("bin"));
        if (release) {
            Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version.replaceAll("[+-].*", "")
                    + "\"\nJAVA_RUNTIME_VERSION=\"" + version + "\"\n");
        }
        Path java = jdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then\n"
                + "  echo 'openjdk version \"" + version.replaceAll("[+-].*", "") + "\"' >&2\n"
                + "  echo 'OpenJDK Runtime Environment (build " + version + ")' >&2\n"
                + "  exit 0\n"
                + "fi\n"
                + "for a; do echo \"$a\"; done\n");
        assertTrue(java.toFile().setExecutable(true));
        return jdk;
    }

    /**
     * The options each Java gets, for the versions this machine may not have: native access for JNA from 17 on, Unsafe
     * memory access allowed from 23 on (where the option exists; 17–22 refuse it), a class-data-sharing archive named
     * after the runtime version; the version read from the release file, or from java -version when there is none.
     */
    @Test
    void eachJavaGetsTheOptionsItAccepts() throws Exception {
        record Case(String dir, String version, boolean release, boolean unsafeAllow) {}
        for (Case c : List.of(new Case("fake-17", "17.0.9+9", true, false), new Case("fake-21", "21.0.5+11-Debian-1", true, false),
                new Case("fake-22", "22.0.2+9", false, false), new Case("fake-23", "23.0.1+11", false, true),
                new Case("fake-25", "25.0.1+8-LTS", true, true), new Case("fake-26", "26-ea+20", true, true))) {
            Path jdk = fakeJdk(c.dir(), c.version(), c.release());
            Run r = lkst(jdk, root.resolve("home-" + c.dir()), "-c", "lkst:status");
            assertEquals(0, r.exit(), c + ": " + r.err());
            List<String> args = r.out().lines().toList();
            assertTrue(args.contains("--enable-native-access=ALL-UNNAMED"), c + ": " + args);
            assertEquals(c.unsafeAllow(), args.contains("--sun-misc-unsafe-memory-access=allow"), c + ": " + args);
            String jsa = "lkst-" + c.version() + ".jsa";
            assertTrue(args.stream().anyMatch(a -> a.startsWith("-XX:") && a.endsWith("/" + jsa)), c + ": archive " + jsa + " in " + args);
            assertEquals(List.of("-jar", root.resolve("lkst.runtime/target/lkst/lkst.jar").toString(), "-c", "lkst:status"),
                    args.subList(args.size() - 4, args.size()), c + ": " + args);
        }
    }

    /** A JVM older than 17 is refused by the script in one line, before it starts: no stack trace of a class version. */
    @Test
    void aJavaOlderThan17IsRefusedInOneLine() throws Exception {
        Path old = root.resolve("jdk-11");
        Files.createDirectories(old.resolve("bin"));
        Files.writeString(old.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
        Path java = old.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho 'this java should not have been started'\nexit 3\n");
        assertTrue(java.toFile().setExecutable(true));
        Run r = lkst(old, root.resolve("home-old"), "-c", "lkst:status");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertEquals("", r.out());
        assertEquals(List.of("lkst: " + java + " is Java 11; LKST/J needs Java 17 or later (set JAVA_HOME)"),
                r.err().lines().toList());
    }

    /** A JAVA_HOME without a java: one line saying so, exit 1. */
    @Test
    void aJavaHomeWithoutJavaIsRefusedInOneLine() throws Exception {
        Path empty = Files.createDirectories(root.resolve("no-jdk"));
        Run r = lkst(empty, root.resolve("home-none"), "-c", "lkst:status");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertEquals(List.of("lkst: JAVA_HOME=" + empty + " has no bin/java; set it to a Java 17 or later"), r.err().lines().toList());
    }
}
