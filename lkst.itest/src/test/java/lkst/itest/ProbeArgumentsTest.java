package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lkst:probe add with the kernel's fetch arguments, as a user types it into ./lkst -c, on real uprobes. */
class ProbeArgumentsTest {
    @TempDir
    Path home;

    private LauncherTest.Run lkst(String script) throws Exception {
        LauncherTest l = new LauncherTest();
        l.home = home;
        return l.lkst("-c", script);
    }

    private static List<String> errorLines(LauncherTest.Run r) {
        return r.err().lines().filter(l -> l.startsWith("lkst:")).toList();
    }

    @Test
    void quotedFetchArgumentBecomesAFieldOfTheEventType() throws Exception {
        Path bin = TimerUaf.build(home);
        LauncherTest.Run r = lkst("lkst:probe add tnew " + bin + ":conn_new 'obj=" + TimerUaf.firstArgument()
                + ":u64' 'size=" + TimerUaf.secondArgument() + ":u64'");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("uprobes:tnew") && r.out().contains("obj:u64") && r.out().contains("size:u64"), r.out());
    }

    @Test
    void escapedPercentWorksUnquoted() throws Exception {
        Path bin = TimerUaf.build(home);
        LauncherTest.Run r = lkst("lkst:probe add tfree " + bin + ":conn_free obj=\\" + TimerUaf.firstArgument() + ":u64");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("obj:u64"), r.out());
    }

    @Test
    void unquotedPercentIsRefusedWithOneLineSayingToQuoteIt() throws Exception {
        Path bin = TimerUaf.build(home);
        LauncherTest.Run r = lkst("lkst:probe add tfree " + bin + ":conn_free obj=%di:u64");
        assertEquals(1, r.exit());
        List<String> lines = errorLines(r);
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("quote the argument, e.g. 'obj=%di:u64'"), lines.get(0));
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void badFetchSyntaxShowsTheKernelsErrorLogLine() throws Exception {
        Path bin = TimerUaf.build(home);
        LauncherTest.Run r = lkst("lkst:probe add tfree " + bin + ":conn_free 'obj=%nosuchreg:u64'");
        assertEquals(1, r.exit());
        List<String> lines = errorLines(r);
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("kernel refused uprobe") && lines.get(0).contains("trace_uprobe: error:"), lines.get(0));
    }

    @Test
    void badProbeNameIsRefusedAsABadName() throws Exception {
        Path bin = TimerUaf.build(home);
        LauncherTest.Run r = lkst("lkst:probe add 'bad name' " + bin + ":conn_free");
        assertEquals(1, r.exit());
        List<String> lines = errorLines(r);
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("bad probe name 'bad name'"), lines.get(0));
        assertTrue(!lines.get(0).contains("kprobes"), "not taken for a kernel probe: " + lines.get(0));
    }
}
