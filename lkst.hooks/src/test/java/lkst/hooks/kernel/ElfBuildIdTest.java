package lkst.hooks.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ElfSymbols.buildId reads the GNU build-id note the linker wrote, as readelf shows it. */
class ElfBuildIdTest {
    @TempDir
    Path dir;

    private Path compile(String buildId) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cc")), "needs a C compiler (cc)");
        Path src = dir.resolve("p.c");
        Files.writeString(src, "int main(void) { return 0; }\n");
        Path out = dir.resolve("p-" + buildId);
        Process p = new ProcessBuilder("cc", "-O0", "-o", out.toString(), src.toString(), "-Wl,--build-id=" + buildId)
                .redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), msg);
        return out;
    }

    @Test
    void buildIdIsTheOneTheLinkerWrote() throws Exception {
        assertEquals("0123456789abcdef", ElfSymbols.buildId(compile("0x0123456789abcdef")));
        assertEquals(40, ElfSymbols.buildId(compile("sha1")).length(), "sha1: 20 bytes");
    }

    @Test
    void aProgramLinkedWithoutBuildIdHasNone() throws Exception {
        assertNull(ElfSymbols.buildId(compile("none")));
    }
}
