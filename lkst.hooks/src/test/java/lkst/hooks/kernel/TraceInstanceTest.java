package lkst.hooks.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TraceInstanceTest {
    Path root;

    @BeforeEach
    void tracefs() { root = KernelTesting.tracefs(); }

    /** What the top-level buffer and other tools see: must be the same after every test. */
    String topLevel() throws IOException {
        return Tracefs.read(root.resolve("set_event")) + "|" + Tracefs.read(root.resolve("tracing_on"))
                + "|" + Tracefs.read(root.resolve("trace_clock")) + "|" + Tracefs.read(root.resolve("buffer_size_kb"))
                + "|" + Tracefs.read(root.resolve("set_event_pid"));
    }

    @Test
    void lifecycleLeavesNothingBehindEvenAfterAFailure() throws IOException {
        String before = topLevel();
        Path dir = null;
        try (TraceInstance t = TraceInstance.create(root, 512)) {
            dir = t.dir();
            assertTrue(t.name().startsWith("lkstj-" + ProcessHandle.current().pid() + "-"), t.name());
            assertTrue(Files.isDirectory(dir));
            assertEquals("mono", t.traceClock());
            assertTrue(t.bufferSizeKb() >= 512 && t.bufferSizeKb() < 520, "rounded up to whole pages: " + t.bufferSizeKb());
            t.enableExactly(List.of("sched:sched_switch", "raw_syscalls:sys_enter"));
            assertEquals(Set.of("sched:sched_switch", "raw_syscalls:sys_enter"), t.enabledInKernel());
            t.enableExactly(List.of("sched:sched_switch", "timer:timer_start"));
            assertEquals(Set.of("sched:sched_switch", "timer:timer_start"), t.enabledInKernel());
            assertThrows(IllegalArgumentException.class, () -> t.enableExactly(List.of("nosuch:event")));
            assertEquals(Set.of("sched:sched_switch", "timer:timer_start"), t.enabledInKernel(), "a refused set changes nothing");
            throw new IllegalStateException("a test failing with the instance open");
        } catch (IllegalStateException expected) {
            assertEquals("a test failing with the instance open", expected.getMessage());
        }
        assertFalse(Files.exists(dir), dir + " must be gone");
        assertEquals(before, topLevel(), "the top-level buffer is untouched");
    }

    @Test
    void reclaimsAbandonedInstancesOnlyWhateverTheirPid() throws IOException {
        // made by hand, so nobody holds them: abandoned, even the one named after this live process
        Path stale = root.resolve("instances/" + TraceInstance.PREFIX + "4000000-1-1");
        Path ownPid = root.resolve("instances/" + TraceInstance.PREFIX + ProcessHandle.current().pid() + "-1-7");
        Path legacyDead = root.resolve("instances/" + TraceInstance.PREFIX + "4000000-1"); // lkstj-<pid>-<n>: older LKST/J
        Path legacyLive = root.resolve("instances/" + TraceInstance.PREFIX + ProcessHandle.current().pid() + "-999");
        Path other = root.resolve("instances/other-tool-" + ProcessHandle.current().pid());
        try (TraceInstance live = TraceInstance.create(root, 0)) {
            Files.createDirectory(stale);
            Files.createDirectory(ownPid);
            Files.createDirectory(legacyDead);
            Files.createDirectory(legacyLive);
            Files.createDirectory(other);
            Tracefs.write(stale.resolve("events/sched/sched_switch/enable"), "1");
            live.tracingOn(false); // a stopped runtime is alive too
            try (TraceInstance t = TraceInstance.create(root, 0)) {
                assertFalse(Files.exists(stale), "the abandoned instance is reclaimed");
                assertFalse(Files.exists(ownPid), "a visible pid proves nothing");
                assertFalse(Files.exists(legacyDead), "an older LKST/J's instance whose pid is gone is reclaimed");
                assertTrue(Files.exists(legacyLive), "an older LKST/J held no file open: its instance stays while its pid runs");
                assertTrue(Files.exists(live.dir()), "a live instance stays: its runtime holds a file of it open");
                assertTrue(Files.exists(other), "another tool's instance is left alone");
                assertTrue(Files.exists(t.dir()));
            }
        } finally {
            Files.deleteIfExists(stale);
            Files.deleteIfExists(ownPid);
            Files.deleteIfExists(legacyDead);
            Files.deleteIfExists(legacyLive);
            Files.deleteIfExists(other);
        }
    }

    @Test
    void namesCarryThePidNamespace() throws IOException {
        String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("\\D", "");
        try (TraceInstance a = TraceInstance.create(root, 0); TraceInstance b = TraceInstance.create(root, 0)) {
            assertTrue(a.name().startsWith(TraceInstance.PREFIX + ProcessHandle.current().pid() + "-" + ns + "-"), a.name());
            assertFalse(a.name().equals(b.name()));
        }
    }

    @Test
    void badFilterShowsTheKernelsMessageAndChangesNothing() throws IOException {
        try (TraceInstance t = TraceInstance.create(root, 0)) {
            t.setFilter("sched:sched_switch", "prev_pid == 1");
            assertEquals("prev_pid == 1", t.kernelFilter("sched:sched_switch"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.setFilter("sched:sched_switch", "prev_pidx == 1"));
            assertTrue(e.getMessage().contains("Field not found"), e.getMessage());
            assertEquals("prev_pid == 1", t.kernelFilter("sched:sched_switch"), "the previous filter stays");
            assertEquals("prev_pid == 1", t.filter("sched:sched_switch"));
            t.clearFilter("sched:sched_switch");
            assertEquals("none", t.kernelFilter("sched:sched_switch"));
            assertThrows(IllegalArgumentException.class, () -> t.setFilter("sched:sched_switch", "next_comm ~ "));
            assertEquals("none", t.kernelFilter("sched:sched_switch"), "no filter before, none after a refused one");
        }
    }

    @Test
    void eventPids() throws IOException {
        try (TraceInstance t = TraceInstance.create(root, 0)) {
            t.setEventPids(List.of(3, 1));
            assertEquals(Set.of(1, 3), t.eventPids());
            t.setEventPids(List.of());
            assertEquals(Set.of(), t.eventPids());
        }
    }
}
