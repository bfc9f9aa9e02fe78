package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/worked-example.md as a user runs it: ./lkst (the Gogo shell, fed on standard input), uprobes on
 * examples/timer-uaf, handler 1002 timerwatch hot-deployed, the program run until it crashes, the finding and the
 * escalation seen, then LKST/J killed with SIGKILL (as when the machine goes down), the buffers recovered with
 * {@code ./lkst recover} and the sequence "conn created → timer armed → conn freed → timer fires" read back.
 */
class WorkedExampleTest {
    @TempDir
    Path home;

    /** An interactive ./lkst whose shell reads a pipe. */
    final class Shell implements AutoCloseable {
        final Process process;
        final OutputStream in;
        final Path out;

        Shell() throws IOException {
            out = home.resolve("shell.out");
            process = new ProcessBuilder(Lkst.command(home))
                    .redirectOutput(out.toFile()).redirectError(home.resolve("shell.err").toFile()).start();
            in = process.getOutputStream();
        }

        void type(String command) throws IOException {
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Types {@code command} (again every second) until what it printed satisfies {@code done}; returns that. */
        String until(String command, Predicate<String> done) throws Exception {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                long from = Files.size(out);
                type(command);
                Thread.sleep(1000);
                String printed = Files.readString(out).substring((int) from);
                if (done.test(printed)) return printed;
                if (!process.isAlive()) break;
            }
            throw new AssertionError("'" + command + "' never printed what was expected; shell output:\n"
                    + Files.readString(out) + "\nerrors:\n" + Files.readString(home.resolve("shell.err")));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private LauncherTest.Run lkst(String... args) throws Exception {
        LauncherTest l = new LauncherTest();
        l.home = home;
        return l.lkst(args);
    }

    @Test
    void objectFreedWithItsTimerArmedIsFoundEscalatedAndItsHistoryRecoveredAfterAKill() throws Exception {
        Path program = TimerUaf.build(home);
        Path jar = Path.of(System.getProperty("lkst.example.timerwatch"));
        String first = TimerUaf.firstArgument();
        long lkstPid;
        String finding;
        try (Shell shell = new Shell()) {
            lkstPid = shell.process.pid();
            // step 2: the probes, with the object's address (and conn_new's size) as fields
            for (String f : TimerUaf.FUNCTIONS) {
                shell.type("lkst:probe add " + f + " " + program + ":" + f + " 'obj=" + first + ":u64'"
                        + (f.equals("conn_new") ? " 'size=" + TimerUaf.secondArgument() + ":u64'" : ""));
            }
            shell.type("lkst:maskset create watch");
            for (String f : TimerUaf.FUNCTIONS) shell.type("lkst:maskset set watch uprobes:" + f + " 1002");
            shell.type("lkst:maskset select watch");
            // step 3: the handler, hot-deployed
            Files.createDirectories(home.resolve("deploy"));
            Files.copy(jar, home.resolve("deploy").resolve(jar.getFileName()));
            shell.until("lkst:handlers", p -> p.contains("1002 timerwatch       bound"));
            shell.until("lkst:tracepoint", p -> p.contains("conn_new") && p.contains("timer_fire"));

            // step 4: run the program: it crashes on the timer of the freed connection
            Process run = new ProcessBuilder(program.toString(), "--free-armed").redirectErrorStream(true).start();
            String said = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(run.waitFor(30, TimeUnit.SECONDS));
            assertEquals(128 + 11, run.exitValue(), "the program dies of SIGSEGV: " + said);
            Matcher conn = Pattern.compile("connection 0 \\((0x[0-9a-f]+)\\) freed").matcher(said);
            assertTrue(conn.find(), said);
            String object = conn.group(1);

            // step 5: the finding, and the escalation
            String ctl = shell.until("lkst:ctl timerwatch", p -> p.contains("escalated=true") && p.contains("fired at"));
            Matcher found = Pattern.compile("timerwatch: (object " + object + " \\(\\d+ bytes, created [^\\n]*)").matcher(ctl);
            assertTrue(found.find(), ctl);
            finding = found.group(1);
            System.out.println("finding: " + finding);
            assertTrue(finding.contains(" by pid " + run.pid() + " while its timer 0x"), finding);
            String status = shell.until("lkst:status", p -> p.contains("maskset     timerwatch-detailed"));
            assertTrue(status.contains("cpu 0 buffer 1 (current)") && status.contains("cpu 1 buffer 1 (current)"), status);

            // step 6: the machine goes down
            shell.process.destroyForcibly(); // SIGKILL
            assertTrue(shell.process.waitFor(10, TimeUnit.SECONDS));
            assertEquals(128 + 9, shell.process.exitValue(), "killed by SIGKILL");
        }

        // step 7: recover the buffers and print the object's story
        Path trace = home.resolve("var/trace");
        LauncherTest.Run recovered = lkst("recover", trace.toString(), "-o", home.resolve("recovered").toString());
        assertEquals(0, recovered.exit(), recovered.err());
        System.out.println(recovered.out());
        LauncherTest.Run print = lkst("print", home.resolve("recovered").toString());
        assertEquals(0, print.exit(), print.err());
        long obj = Long.decode(finding.substring(7, finding.indexOf(' ', 7)));
        Matcher t = Pattern.compile("its timer (0x[0-9a-f]+) was armed").matcher(finding);
        assertTrue(t.find(), finding);
        long timer = Long.decode(t.group(1));
        List<String> story = new ArrayList<>();
        for (String line : print.out().lines().toList()) {
            if (line.matches(".* uprobes:conn_(new|free) .*obj=" + obj + "( .*)?")
                    || line.matches(".* uprobes:timer_(add|mod|del|fire) .*obj=" + timer + "( .*)?")) {
                story.add(line);
            }
        }
        story.forEach(System.out::println);
        List<String> steps = story.stream().map(l -> l.replaceAll(".* uprobes:(\\w+) .*", "$1")).toList();
        assertEquals("conn_new", steps.get(0), "the story starts with the object's creation: " + story);
        int free = steps.indexOf("conn_free");
        assertEquals(List.of("timer_add", "conn_free", "timer_fire"), steps.subList(free - 1, steps.size()),
                "conn created → timer armed → conn freed → timer fires: " + story);
        assertTrue(!steps.subList(steps.lastIndexOf("timer_add"), free).contains("timer_del"), "armed when freed");

        // the next start reclaims the uprobes the killed process left
        assertEquals(0, lkst("-c", "lkst:status").exit());
        assertTrue(!Files.readString(Path.of("/sys/kernel/tracing/uprobe_events")).contains("lkstj_" + lkstPid + "/"),
                "uprobes of the killed LKST/J are gone");
    }
}
