package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import lkst.itest.LkstProcess.Run;
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
        Run with = LkstProcess.runUntil(home, "lkst:status", "no-tracefs");
        assertTrue(with.out().contains("no-tracefs"), "the file applied: " + with.out());
        Files.delete(cfg);
        Run without = LkstProcess.run(home, "-c", "lkst:status");
        assertEquals(0, without.exit(), without.err());
        assertFalse(without.out().contains("no-tracefs"), "the deleted file still applies: " + without.out());
        assertTrue(without.err().contains("configuration lkst.kernel no longer applies: its file " + cfg + " is gone"), without.err());
        assertFalse(LkstProcess.run(home, "-c", "lkst:status").out().contains("no-tracefs"), "and stays gone");
    }

    @Test
    void handlerConfigurationFileDeletedWhileStoppedNoLongerApplies() throws Exception {
        Path cfg = deploy("lkst.handler.pid-filter.cfg", "pids=42,43\n");
        assertTrue(LkstProcess.runUntil(home, "lkst:ctl pid-filter", "pids=[42, 43]").out().contains("pids=[42, 43]"));
        Files.delete(cfg);
        Run without = LkstProcess.run(home, "-c", "lkst:ctl pid-filter");
        assertEquals(0, without.exit(), without.err());
        assertTrue(without.out().contains("pids=[]"), "back to the default: " + without.out());
    }
}
