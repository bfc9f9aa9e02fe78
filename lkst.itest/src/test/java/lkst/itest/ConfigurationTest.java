package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import lkst.itest.Lkst.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration follows its files (deploy/*.cfg) across runs of the launcher. */
class ConfigurationTest {
    @TempDir
    Path home;

    private Path deploy(String file, String text) throws Exception {
        Path f = home.resolve("deploy").resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    @Test
    void kernelConfigurationFileDeletedWhileStoppedNoLongerApplies() throws Exception {
        Path cfg = deploy("lkst.kernel.cfg", "tracefs=" + home.resolve("no-tracefs") + "\n");
        Run with = Lkst.runUntil(home, "lkst:status", "no-tracefs");
        assertTrue(with.out().contains("no-tracefs"), "the file applied: " + with.out());
        Files.delete(cfg);
        Run without = Lkst.run(home, "-c", "lkst:status");
        assertEquals(0, without.exit(), without.err());
        assertFalse(without.out().contains("no-tracefs"), "the deleted file still applies: " + without.out());
        assertTrue(without.err().contains("configuration lkst.kernel no longer applies: its file " + cfg + " is gone"), without.err());
        assertFalse(Lkst.run(home, "-c", "lkst:status").out().contains("no-tracefs"), "and stays gone");
    }

    @Test
    void handlerConfigurationFileDeletedWhileStoppedNoLongerApplies() throws Exception {
        Path cfg = deploy("lkst.handler.pid-filter.cfg", "pids=42,43\n");
        assertTrue(Lkst.runUntil(home, "lkst:ctl pid-filter", "pids=[42, 43]").out().contains("pids=[42, 43]"));
        Files.delete(cfg);
        Run without = Lkst.run(home, "-c", "lkst:ctl pid-filter");
        assertEquals(0, without.exit(), without.err());
        assertTrue(without.out().contains("pids=[]"), "back to the default: " + without.out());
    }

    @Test
    void hyphenatedFileNameConfiguresTheHandlerOfThatName() throws Exception {
        deploy("lkst.handler.maskset-switch.cfg", "target=off\n");
        Run r = Lkst.runUntil(home, "lkst:ctl maskset-switch", "target=off");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("target=off"), "FileInstall's factory PID lkst.handler.maskset~switch names handler maskset-switch: " + r.out());
    }

    @Test
    void aFileWinsOverCtlAtStartAndCtlLastsUntilThen() throws Exception {
        deploy("lkst.handler.pid-filter.cfg", "pids=42\n");
        Lkst.runUntil(home, "lkst:ctl pid-filter", "pids=[42]");
        Run ctl = Lkst.run(home, "-c", "lkst:ctl pid-filter pids 7");
        assertTrue(ctl.out().contains("pids=[7]"), ctl.out());
        Run next = Lkst.run(home, "-c", "lkst:ctl pid-filter");
        assertTrue(next.out().contains("pids=[42]"), "the file is read again at start: " + next.out());
    }

    @Test
    void ctlWithoutAFileSurvivesARestartAndAFileAddedLaterWins() throws Exception {
        assertEquals(0, Lkst.run(home, "-c", "lkst:ctl pid-filter pids 5").exit());
        assertTrue(Lkst.run(home, "-c", "lkst:ctl pid-filter").out().contains("pids=[5]"));
        deploy("lkst.handler.pid-filter.cfg", "pids=42\n");
        assertTrue(Lkst.runUntil(home, "lkst:ctl pid-filter", "pids=[42]").out().contains("pids=[42]"));
    }

    @Test
    void aBadValueInAFileIsRefusedInOneStatusLineNamingTheFile() throws Exception {
        Path cfg = deploy("lkst.handler.pid-filter.cfg", "pids=forty\n");
        Run r = Lkst.runUntil(home, "lkst:status; lkst:ctl pid-filter", "refused");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.equals("config      refused " + cfg
                + ": bad value 'forty' for pids: expected comma-separated integers (old value kept)")), r.out());
        assertTrue(r.out().contains("pids=[]"), "the value from before the file stays (here the default): " + r.out());
        Files.writeString(cfg, "pids=40\n");
        Run fixed = Lkst.runUntil(home, "lkst:status; lkst:ctl pid-filter", "pids=[40]");
        assertTrue(fixed.out().contains("pids=[40]"), fixed.out());
        assertFalse(fixed.out().contains("refused"), fixed.out());
    }

    /**
     * Issue 9: a bad value in deploy/lkst.kernel.cfg is refused in one status line naming the file; the value before
     * it stays (here the default) and the kernel domain goes on (it made the kernel unavailable before).
     */
    @Test
    void aBadKernelValueKeepsThePreviousAndTheStatusNamesTheFile() throws Exception {
        Path cfg = deploy("lkst.kernel.cfg", "buffer.size.kb=lots\n");
        Run r = Lkst.runUntil(home, "lkst:status", "refused");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.equals("              config refused " + cfg
                + ": bad value 'lots' for buffer.size.kb: expected an integer (old value kept)")), r.out());
        assertFalse(r.out().contains("unavailable: bad"), "the kernel domain is not given up for a bad value: " + r.out());
    }
}
