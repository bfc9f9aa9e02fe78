package lkst.hooks.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a trace keeps of what the kernel said: the instance's and tracefs' own files, byte for byte. */
class KernelFileCopyTest {
    Path root;

    @BeforeEach
    void tracefs() { root = KernelTesting.tracefs(); }

    @Test
    void formatsAndHeadersAreTheKernelsOwnBytes() throws IOException {
        try (TraceInstance t = TraceInstance.create(root, 0)) {
            Map<String, byte[]> files = KernelFileCopy.read(root, t, List.of("sched:sched_switch", "raw_syscalls:sys_enter", "nosuch:event"));
            assertArrayEquals(Files.readAllBytes(t.dir().resolve("events/sched/sched_switch/format")), files.get("events/sched/sched_switch/format"));
            assertArrayEquals(Files.readAllBytes(t.dir().resolve("events/raw_syscalls/sys_enter/format")), files.get("events/raw_syscalls/sys_enter/format"));
            assertArrayEquals(Files.readAllBytes(root.resolve("events/header_page")), files.get("events/header_page"));
            assertArrayEquals(Files.readAllBytes(root.resolve("events/header_event")), files.get("events/header_event"));
            assertFalse(files.keySet().stream().anyMatch(k -> k.contains("nosuch")), "an event the kernel lacks is left out");
            assertTrue(files.containsKey("saved_cmdlines") && files.containsKey("saved_tgids"), files.keySet().toString());
        }
    }

    @Test
    void theArchitectureIsUnameM() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("uname", "-m").start();
        String machine = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor());
        try (TraceInstance t = TraceInstance.create(root, 0)) {
            assertEquals(machine, new String(KernelFileCopy.read(root, t, List.of()).get("arch"), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void theInstanceRecordsThreadGroups() throws IOException {
        try (TraceInstance t = TraceInstance.create(root, 0)) {
            assertEquals("1", Tracefs.read(t.dir().resolve("options/record-tgid")).trim());
        }
    }

    @Test
    void kallsymsIsKeptWhenItsAddressesAreShown() throws IOException {
        boolean shown;
        try (var lines = Files.lines(Path.of("/proc/kallsyms"))) {
            shown = lines.limit(16).anyMatch(l -> !l.startsWith("0000000000000000"));
        }
        try (TraceInstance t = TraceInstance.create(root, 0)) {
            byte[] k = KernelFileCopy.read(root, t, List.of()).get("kallsyms");
            assertEquals(shown, k != null, "kallsyms kept exactly when its addresses are readable");
            if (k != null) assertTrue(new String(k, 0, 200, StandardCharsets.US_ASCII).matches("(?s)[0-9a-f]{16} [A-Za-z] .*"));
        }
    }
}
