package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two LKST/J runtimes on one kernel, one of them in a pid namespace of its own ({@code unshare --pid}): its pid means
 * nothing in the root namespace, so a runtime there must not take its ftrace instance or its uprobe for abandoned.
 */
class PidNamespaceTest {
    static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    static final Path LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    static final Pattern INSTANCE = Pattern.compile("ftrace instance (lkstj-(\\d+)-(\\d+)-\\d+)");
    static final Pattern UPROBE_COUNT = Pattern.compile("uprobes:lkstns=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void aRuntimeInAnotherPidNamespaceKeepsItsInstanceAndUprobeWhenARuntimeStartsInTheRootNamespace() throws Exception {
        assumeTrue(Files.isWritable(TRACEFS.resolve("instances")), "needs root and tracefs mounted at " + TRACEFS);
        assumeTrue(Files.exists(TRACEFS.resolve("uprobe_events")), "needs uprobes (CONFIG_UPROBE_EVENTS)");
        assumeTrue(Files.exists(LIBC), "needs " + LIBC + " to probe");
        assumeTrue(unshareWorks(), "needs unshare --pid --fork --mount-proc --kill-child (util-linux, root)");
        // its pid in its namespace is one no process has in the root namespace: a pid there proves nothing
        int pid = pidUnusedInTheRootNamespace();
        List<String> cmd = Lkst.java(dir.resolve("ns-home"));
        List<String> unshare = new java.util.ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
                "sh", "-c", "echo \"$1\" > /proc/sys/kernel/ns_last_pid; shift; \"$@\"; exit $?", "sh", Integer.toString(pid - 1)));
        unshare.addAll(cmd);
        try (Lkst.Shell ns = new Lkst.Shell(unshare)) {
            Matcher m = INSTANCE.matcher(ns.run("lkst:status"));
            assertTrue(m.find(), ns.output());
            String instance = m.group(1);
            assertEquals(Integer.toString(pid), m.group(2), "the runtime runs as pid " + pid + " in its namespace: " + instance);
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("\\D", ""), m.group(3));
            String group = instance.replace('-', '_');
            ns.run("lkst:probe add lkstns " + LIBC + ":getppid");
            ns.run("lkst:maskset create ns");
            ns.run("lkst:maskset set ns uprobes:lkstns 3");
            ns.run("lkst:maskset select ns");
            // stopped: the uprobe is disabled, so the kernel alone would let anyone delete it
            assertTrue(ns.run("lkst:stop").contains("tracing     stopped"), ns.output());
            assertTrue(uprobes().contains(group + "/lkstns"), uprobes());

            Lkst.Run root = Lkst.run(dir.resolve("root-home"), "-c", "lkst:status");
            assertEquals(0, root.exit(), root.err());
            assertTrue(root.out().contains("ftrace instance lkstj-"), "the root runtime had kernel events, so it reclaimed: " + root.out());

            assertTrue(Files.isDirectory(TRACEFS.resolve("instances").resolve(instance)), "the namespaced runtime's instance stays");
            assertTrue(uprobes().contains(group + "/lkstns"), "its uprobe stays: " + uprobes());
            ns.run("lkst:start");
            long count = 0;
            for (int i = 0; i < 100 && count == 0; i++) {
                new ProcessBuilder("sh", "-c", "echo $PPID").start().waitFor(10, TimeUnit.SECONDS); // calls getppid
                Matcher c = UPROBE_COUNT.matcher(ns.run("lkst:ctl count"));
                count = c.find() ? Long.parseLong(c.group(1)) : 0;
            }
            assertTrue(count > 0, "the namespaced runtime still records its uprobe: " + ns.output());
            ns.close();
            assertFalse(Files.exists(TRACEFS.resolve("instances").resolve(instance)), "it removed its instance at its end");
            assertFalse(uprobes().contains(group + "/"), "and its uprobe: " + uprobes());
        }
    }

    static String uprobes() throws Exception {
        return Files.readString(TRACEFS.resolve("uprobe_events"));
    }

    static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "true")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static int pidUnusedInTheRootNamespace() throws Exception {
        // in one read: a sysctl file read a byte at a time (Files.readString of a size-0 file) ends after one byte
        int max = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
        for (int p = max - 100; p > 300; p--) {
            if (!Files.exists(Path.of("/proc/" + p))) return p;
        }
        throw new AssertionError("no unused pid");
    }
}
