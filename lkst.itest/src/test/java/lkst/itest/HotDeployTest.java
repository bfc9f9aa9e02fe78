package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import lkst.api.HandlerInfo;
import lkst.api.Tracer;
import lkst.hooks.api.HookPoint;
import lkst.hooks.api.Hooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A handler bundle dropped into deploy/ of a running framework is bound by ID; deleting it unbinds it. */
class HotDeployTest {
    @TempDir
    Path home;
    Felix felix;
    Tracer tracer;
    Hooks hooks;

    @BeforeEach
    void start() throws Exception {
        felix = Felix.start(home, Map.of());
        tracer = felix.service(Tracer.class);
        hooks = felix.service(Hooks.class);
    }

    @AfterEach
    void stop() throws Exception {
        felix.close();
    }

    private Optional<HandlerInfo> handler(int id) {
        return tracer.handlers().stream().filter(h -> h.id() == id && h.state().equals(HandlerInfo.BOUND)).findFirst();
    }

    private static long await(String what, BooleanSupplier condition) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - t0 > 15_000_000_000L) throw new AssertionError(what + " did not happen within 15 s");
            Thread.sleep(20);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(what + " after " + ms + " ms");
        return ms;
    }

    private void fireTestEvents(int n) {
        HookPoint test = hooks.hook("LKST_TEST");
        for (int i = 0; i < n; i++) if (test.enabled()) test.begin().put(i).put("hot").fire();
    }

    @Test
    void droppedHandlerBundleIsBoundAndReceivesItsEventsThenUnbindsWhenDeleted() throws Exception {
        tracer.copy("default", "tallied");
        tracer.set("tallied", "LKST_TEST", 1001);
        tracer.select("tallied");
        assertTrue(tracer.maskset("tallied").unbound().contains(1001), "bound by ID before the handler exists");
        assertTrue(hooks.hook("LKST_TEST").enabled(), "an event bound to an unbound ID still fires and is counted");

        Path jar = home.resolve("deploy/tally.jar");
        Files.copy(Felix.example("lkst.example.handler"), jar);
        await("handler 1001 bound", () -> handler(1001).isPresent());
        assertTrue(!tracer.maskset("tallied").unbound().contains(1001));

        fireTestEvents(10);
        assertEquals(10L, handler(1001).orElseThrow().parameters().get("seen"));
        assertEquals("LKST_TEST", handler(1001).orElseThrow().parameters().get("last"));

        long unboundBefore = tracer.status().undelivered().get("unbound");
        Files.delete(jar);
        await("handler 1001 unbound", () -> handler(1001).isEmpty());
        fireTestEvents(5);
        assertEquals(unboundBefore + 5, tracer.status().undelivered().get("unbound"), "events for a gone handler are counted");
        assertEquals(Map.of("LKST_TEST", 1001), Map.of("LKST_TEST", tracer.maskset("tallied").bindings().get("LKST_TEST")));
        assertTrue(tracer.maskset("tallied").unbound().contains(1001));
        assertTrue(tracer.status().tracing(), "tracing goes on");
    }

    @Test
    void secondBundleWithTheSameHandlerIdIsRefusedAndTheFirstStaysBound() throws Exception {
        Files.copy(Felix.example("lkst.example.handler"), home.resolve("deploy/tally.jar"));
        await("handler 1001 bound", () -> handler(1001).isPresent());
        Path twin = home.resolve("twin.jar");
        renamed(Felix.example("lkst.example.handler"), twin, "lkst.example.handler.twin");
        Files.move(twin, home.resolve("deploy/twin.jar"), StandardCopyOption.ATOMIC_MOVE);
        await("duplicate refused", () -> tracer.handlers().stream().anyMatch(h -> h.state().equals(HandlerInfo.REFUSED)));
        HandlerInfo refused = tracer.handlers().stream().filter(h -> h.state().equals(HandlerInfo.REFUSED)).findFirst().orElseThrow();
        assertEquals("lkst.example.handler.twin", refused.bundle());
        assertTrue(refused.reason().contains("duplicate lkst.handler.id 1001"), refused.reason());
        assertEquals("lkst.example.handler", handler(1001).orElseThrow().bundle(), "the first stays bound");
    }

    /** Copies a bundle under another symbolic name: same classes, so the same handler ID. */
    static void renamed(Path from, Path to, String symbolicName) throws Exception {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(from))) {
            Manifest m = new Manifest(in.getManifest());
            m.getMainAttributes().put(new Attributes.Name("Bundle-SymbolicName"), symbolicName);
            try (OutputStream os = Files.newOutputStream(to); JarOutputStream out = new JarOutputStream(os, m)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
    }
}
