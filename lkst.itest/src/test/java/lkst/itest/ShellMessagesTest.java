package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the shell says to a person, through {@code ./lkst -c}: help, errors, and nothing more on success. */
class ShellMessagesTest {
    /** A message that starts like {@code java.lang.IllegalArgumentException} or {@code lkst.core.Engine}. */
    private static final Pattern CLASS_NAME = Pattern.compile("^(lkst: [^:]+: )?([a-z][a-z0-9]*\\.)+[A-Z]\\w*");

    @TempDir
    Path home;

    @Test
    void helpLkstListsTheLkstCommandsWithTheirOneLineDescriptions() throws Exception {
        Lkst.Run r = Lkst.run(home, "-c", "help lkst");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("lkst:maskset     work on masksets"), r.out());
        assertTrue(lines.contains("lkst:release     bring a quarantined handler back"), r.out());
        assertTrue(lines.contains("lkst:buffer      work on the recording buffers"), r.out());
        for (String command : List.of("status", "events", "handlers", "ctl", "fire", "tracepoint", "probe", "log", "recover")) {
            assertTrue(lines.stream().anyMatch(l -> l.matches("lkst:" + command + " +\\S.*")), command + " missing:\n" + r.out());
        }
        assertTrue(Lkst.run(home, "-c", "help lkst:maskset").out().contains("work on masksets: list | show NAME"),
                "help of one command is still Gogo's");
    }

    @Test
    void aSuccessfulRunPrintsNoInfoLines() throws Exception {
        Lkst.Run r = Lkst.run(home, "-c", "lkst:status");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("INFO"), r.err());
        assertFalse(r.out().contains("dispatch generation"), r.out());
    }

    @Test
    void bufferPrintRefusesABufferNoCpuHasAsSwitchDoes() throws Exception {
        Lkst.Run one = Lkst.run(home, "-c", "lkst:buffer print all 0 99");
        assertEquals(1, one.exit(), one.out());
        assertTrue(one.err().contains("lkst: lkst:buffer print all 0 99: cpu 0 has no buffer 99 (lkst:buffer list shows them)"), one.err());
        Lkst.Run all = Lkst.run(home, "-c", "lkst:buffer print all all 99");
        assertEquals(1, all.exit(), all.out());
        assertTrue(all.err().contains("no cpu has buffer 99"), all.err());
        assertEquals(1, Lkst.run(home, "-c", "lkst:buffer switch 0 99").exit(), "switch refuses it too");
    }

    @Test
    void wrongArgumentsSayWhereToLookNotWhichJavaTypesFailed() throws Exception {
        Lkst.Run r = Lkst.run(home, "-c", "lkst:ctl");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("lkst: lkst:ctl: wrong number or kind of arguments (help lkst:ctl shows them)"), r.err());
        assertFalse(r.err().contains("Cannot coerce"), r.err());
    }

    @Test
    void failingCommandsNeverAnswerWithAJavaClassNameOrAStackTrace() throws Exception {
        for (String command : List.of("lkst:fire 1 2 3 4", "lkst:release record", "lkst:filter nope:x 'a == 1'", "nosuchcommand")) {
            Lkst.Run r = Lkst.run(home, "-c", command);
            assertEquals(1, r.exit(), command);
            for (String line : r.err().lines().toList()) {
                assertFalse(CLASS_NAME.matcher(line).find(), command + ": " + line);
                assertFalse(line.contains("Exception") || line.startsWith("\tat "), command + ": " + line);
            }
        }
    }
}
