package lkst.hooks.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel bridge's configuration: a bad value keeps the value before it, and the refusal names its file. */
class KernelSettingsTest {
    @Test
    void absentValuesAreTheDefaults() {
        KernelSettings s = KernelSettings.of(Map.of(), KernelSettings.DEFAULTS);
        assertEquals(KernelSettings.DEFAULTS, s);
        assertNull(s.bufferPercent(), "the kernel's own buffer_percent");
    }

    @Test
    void aBadValueKeepsThePreviousOneAndTheRefusalNamesTheFile() {
        KernelSettings before = KernelSettings.of(Map.of("buffer.size.kb", "1024", "mmap", "true", "buffer.percent", "25"),
                KernelSettings.DEFAULTS);
        assertEquals(List.of(), before.refusals());
        KernelSettings after = KernelSettings.of(Map.of("buffer.size.kb", "lots", "mmap", "yes", "buffer.percent", "half",
                "reader.nice", "5", KernelSettings.FILENAME, "file:/home/u/deploy/lkst.kernel.cfg"), before);
        assertEquals(1024, after.bufferKb());
        assertEquals(true, after.mmap());
        assertEquals(25, after.bufferPercent());
        assertEquals(5, after.readerNice(), "the good value of the same file applies");
        assertEquals(List.of(
                "refused /home/u/deploy/lkst.kernel.cfg: bad value 'lots' for buffer.size.kb: expected an integer (old value kept)",
                "refused /home/u/deploy/lkst.kernel.cfg: bad value 'yes' for mmap: expected true or false (old value kept)",
                "refused /home/u/deploy/lkst.kernel.cfg: bad value 'half' for buffer.percent: expected an integer (old value kept)"),
                after.refusals());
    }

    @Test
    void anImpossibleCombinationKeepsBothPreviousValues() {
        KernelSettings s = KernelSettings.of(Map.of("trace.self", "true", "buffer.percent", "0", "tracefs", "/t"), KernelSettings.DEFAULTS);
        assertEquals(false, s.traceSelf());
        assertNull(s.bufferPercent());
        assertEquals(Path.of("/t"), s.tracefs());
        assertEquals(1, s.refusals().size(), s.refusals().toString());
    }
}
