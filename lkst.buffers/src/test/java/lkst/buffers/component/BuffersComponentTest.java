package lkst.buffers.component;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import lkst.buffers.api.BufferMode;
import lkst.buffers.trace.TraceMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** Where the component puts the trace, and what it makes there, from framework properties. */
class BuffersComponentTest {
    @TempDir Path tmp;

    static BundleContext context(Map<String, String> props) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> method.getName().equals("getProperty") ? props.get((String) args[0]) : null);
    }

    @Test
    void traceDirPropertyWins() {
        Path dir = tmp.resolve("t");
        BundleContext c = context(Map.of("lkst.trace.dir", dir.toString(), "lkst.home", tmp.resolve("home").toString()));
        assertEquals(dir, BuffersComponent.traceDirectory(c));
    }

    @Test
    void elseTheTraceLivesUnderLkstHome() {
        BundleContext c = context(Map.of("lkst.home", tmp.toString()));
        assertEquals(tmp.resolve("var").resolve("trace"), BuffersComponent.traceDirectory(c));
    }

    @Test
    void elseInATemporaryDirectory() throws Exception {
        Path d = BuffersComponent.traceDirectory(context(Map.of()));
        assertTrue(Files.isDirectory(d));
        Files.delete(d);
    }

    @Test
    void theComponentMakesOneBufferPerCpuOfTheConfiguredSizeAndKeepsThePreviousTrace() {
        Path dir = tmp.resolve("trace");
        BundleContext c = context(Map.of("lkst.trace.dir", dir.toString(), "lkst.buffers.cpus", "3", "lkst.buffers.size", "64k",
                "lkst.buffers.mode", "discard"));
        BuffersComponent first = new BuffersComponent(c);
        first.record(new lkst.buffers.TestEvent().seq(2, 0, 7));
        first.deactivate();
        assertEquals(3, first.list().size());
        assertEquals(65536, first.list().get(0).size());
        assertEquals(BufferMode.DISCARD, first.list().get(0).mode());
        assertEquals("buffers", first.name());
        assertTrue(first.status().startsWith("written 1, lost 0"), first.status());

        BuffersComponent second = new BuffersComponent(c);
        assertEquals(0, second.read(-1, -1, 0).size(), "a fresh trace");
        Path previous = tmp.resolve("trace.old");
        assertEquals(3, TraceMetadata.read(previous).cpus());
        assertEquals(1, second.recover(previous, tmp.resolve("rec")).stream().filter(l -> l.startsWith("recovered 1 records")).count());
        second.deactivate();
    }
}
