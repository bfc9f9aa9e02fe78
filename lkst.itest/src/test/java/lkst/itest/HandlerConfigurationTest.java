package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import lkst.api.HandlerInfo;
import lkst.api.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handler parameters from Configuration Admin: a .cfg file dropped into deploy/ reaches the handler through FileInstall. */
class HandlerConfigurationTest {
    @TempDir
    Path home;

    private static Object pids(Tracer tracer) {
        return tracer.handlers().stream().filter(h -> h.name().equals("pid-filter")).findFirst()
                .map(HandlerInfo::parameters).map(p -> p.get("pids")).orElse(null);
    }

    private static void await(Tracer tracer, Object expected) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!expected.equals(pids(tracer)) && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(expected, pids(tracer));
    }

    @Test
    void configurationFileSetsAParameterAndABadValueKeepsTheOldOne() throws Exception {
        try (Felix felix = Felix.start(home, Map.of("lkst.trace.dir", home.resolve("trace").toString()))) {
            Tracer tracer = felix.service(Tracer.class);
            await(tracer, Set.of());
            Path cfg = home.resolve("deploy/lkst.handler.pid-filter.cfg");
            Files.writeString(cfg, "pids=42,43\n");
            await(tracer, Set.of(42, 43));
            Files.writeString(home.resolve("deploy/lkst.handler.pid-filter.cfg.tmp"), "pids=forty\n");
            Files.move(home.resolve("deploy/lkst.handler.pid-filter.cfg.tmp"), cfg, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(1000); // FileInstall polls every 100 ms here: the bad value has been seen and refused
            assertEquals(Set.of(42, 43), pids(tracer), "a bad value leaves the old one");
        }
    }

    @Test
    void deletingTheFileWhileRunningPutsTheParameterBackToItsDefault() throws Exception {
        try (Felix felix = Felix.start(home, Map.of("lkst.trace.dir", home.resolve("trace").toString()))) {
            Tracer tracer = felix.service(Tracer.class);
            Path cfg = home.resolve("deploy/lkst.handler.pid-filter.cfg");
            Files.writeString(cfg, "pids=42\n");
            await(tracer, Set.of(42));
            Files.delete(cfg);
            await(tracer, Set.of());
        }
    }

    @Test
    void aBadValueShowsInStatusNamingTheFileUntilTheFileIsFixed() throws Exception {
        try (Felix felix = Felix.start(home, Map.of("lkst.trace.dir", home.resolve("trace").toString()))) {
            Tracer tracer = felix.service(Tracer.class);
            Path cfg = home.resolve("deploy/lkst.handler.pid-filter.cfg");
            Files.writeString(cfg, "pids=42\n");
            await(tracer, Set.of(42));
            Files.writeString(home.resolve("deploy/x.tmp"), "pids=forty\n");
            Files.move(home.resolve("deploy/x.tmp"), cfg, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (tracer.status().sources().get("config") == null && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals("refused " + cfg + ": bad value 'forty' for pids: expected comma-separated integers (old value kept)",
                    tracer.status().sources().get("config"));
            assertEquals(Set.of(42), pids(tracer), "the old value stays");
            Files.writeString(home.resolve("deploy/x.tmp"), "pids=43\n");
            Files.move(home.resolve("deploy/x.tmp"), cfg, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            await(tracer, Set.of(43));
            assertEquals(null, tracer.status().sources().get("config"), "nothing refused any more");
        }
    }
}
