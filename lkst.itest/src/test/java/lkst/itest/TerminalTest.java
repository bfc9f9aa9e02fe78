package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell in a real terminal: lkst.jar in a detached tmux session, driven by the keys a person types
 * and read back from the screen. A terminal JLine cannot drive shows as a "dumb terminal" warning, arrow keys
 * echoed as ^[[A and Tab doing nothing.
 */
class TerminalTest {
    private static final String EXITED = "LKST-EXITED=";

    @TempDir
    Path home;

    private final String session = "lkst-terminal-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private boolean started;

    @AfterEach
    void killSession() throws Exception {
        if (started) tmux("kill-session", "-t", session);
    }

    @Test
    void historyLineEditingTabCompletionAndExitWithoutAStackTrace() throws Exception {
        assumeTrue(tmuxInstalled(), "tmux is not installed: the terminal test needs it (apt-get install tmux)");
        String lkst = Lkst.command(home).stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "));
        // the pane stays after lkst exits, so that what it printed last and its exit status can be read
        tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", lkst + "; echo " + EXITED + "$?; sleep 600");
        started = true;
        await("the prompt", s -> lastLine(s).startsWith("g!"));

        keys("lkst:maskset copy default mine", "Enter");
        await("the copy", s -> s.contains("mine") && lastLine(s).equals("g!"));
        keys("Up");
        await("the command recalled by Up", s -> lastLine(s).equals("g! lkst:maskset copy default mine"));

        keys("C-u", "lkst:mask", "Tab");
        await("lkst:mask completed", s -> lastLine(s).equals("g! lkst:maskset"));

        keys("C-u", "lkst:maskset select mi", "Tab");
        await("the maskset name completed", s -> lastLine(s).equals("g! lkst:maskset select mine"));
        keys("Enter");
        await("the selection", s -> s.contains("*   ") && lastLine(s).equals("g!"));

        keys("C-u", "lkst:ctl maskset-sw", "Tab");
        await("the handler name completed", s -> lastLine(s).equals("g! lkst:ctl maskset-switch"));

        keys("C-u", "lkst:maskset select nope", "Enter");
        await("the refusal", s -> s.contains("\nno maskset 'nope' (lkst:maskset list shows them)\n"));

        keys("C-u", "exit", "Enter");
        String screen = await("lkst to exit", s -> s.contains(EXITED));
        assertTrue(screen.contains(EXITED + "0"), screen);
        assertFalse(screen.toLowerCase().contains("dumb"), screen);
        assertFalse(screen.contains("Exception"), screen);
        assertFalse(screen.contains("^[["), "arrow keys echoed instead of read:\n" + screen);
    }

    @Test
    void ctrlDLeavesWithoutAStackTrace() throws Exception {
        assumeTrue(tmuxInstalled(), "tmux is not installed: the terminal test needs it (apt-get install tmux)");
        String lkst = Lkst.command(home).stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "));
        tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", lkst + "; echo " + EXITED + "$?; sleep 600");
        started = true;
        await("the prompt", s -> lastLine(s).startsWith("g!"));
        keys("C-d");
        String screen = await("lkst to exit", s -> s.contains(EXITED));
        assertTrue(screen.contains(EXITED + "0"), screen);
        assertFalse(screen.contains("Exception"), screen);
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Reads the screen until it shows what is awaited; fails with the screen after 60 s (a stuck shell). */
    private String await(String what, Predicate<String> shows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String screen;
        do {
            screen = tmux("capture-pane", "-p", "-t", session);
            if (shows.test(screen)) return screen;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the terminal never showed " + what + ":\n" + screen);
    }

    private static String lastLine(String screen) {
        List<String> lines = screen.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static boolean tmuxInstalled() {
        try {
            return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        if (p.exitValue() != 0 && !args[0].equals("kill-session")) throw new AssertionError("tmux " + String.join(" ", args) + ": " + out);
        return out;
    }
}
