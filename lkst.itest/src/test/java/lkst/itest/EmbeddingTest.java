package lkst.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lkst.api.Tracer;
import lkst.buffers.api.Buffers;
import lkst.buffers.api.TraceRecord;
import lkst.hooks.api.Hooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

/**
 * An OSGi application embeds LKST/J: a plain Felix framework installs the LKST/J bundles and the example
 * application bundle, which declares SHOP_ORDER and fires it at its hook point; the events are read back through
 * the buffers API.
 */
class EmbeddingTest {
    @TempDir
    Path home;

    @Test
    void applicationEventsAreRecordedUnderTheDefaultMasksetAndReadBack() throws Exception {
        // default traces the kernel too: buffers large enough that a busy machine's kernel events cannot overwrite
        // the three orders (4 MiB per CPU wrapped within 2 s while other builds ran)
        try (Felix felix = Felix.start(home, Map.of("lkst.trace.dir", home.resolve("trace").toString(), "lkst.buffers.size", "64M"),
                Felix.example("lkst.example.app"))) {
            Tracer tracer = felix.service(Tracer.class);
            Buffers buffers = felix.service(Buffers.class);
            Hooks hooks = felix.service(Hooks.class);
            // the application's own class: the test calls it as the application would, without sharing its class
            ServiceReference<?> ref = felix.framework.getBundleContext().getAllServiceReferences("lkst.example.app.Shop", null)[0];
            Object shop = felix.framework.getBundleContext().getService(ref);
            Method order = shop.getClass().getMethod("order", long.class, int.class, String.class);

            assertEquals("default", tracer.status().maskset());
            assertTrue(hooks.hook("SHOP_ORDER").enabled(), "default traces the events applications declare");
            long before = System.nanoTime();
            order.invoke(shop, 1L, 3, "ada");
            order.invoke(shop, 2L, 1, "grace");
            order.invoke(shop, Long.MAX_VALUE, 7, "émile");
            long after = System.nanoTime();

            List<TraceRecord> orders = buffers.read(-1, -1, 0).stream().filter(r -> r.event().equals("SHOP_ORDER")).toList();
            assertEquals(3, orders.size(), orders.toString());
            assertEquals(Map.of("order", 1L, "items", 3L, "customer", "ada"), orders.get(0).fields());
            assertEquals(Map.of("order", 2L, "items", 1L, "customer", "grace"), orders.get(1).fields());
            assertEquals(Map.of("order", Long.MAX_VALUE, "items", 7L, "customer", "émile"), orders.get(2).fields());
            for (TraceRecord r : orders) {
                assertEquals(ProcessHandle.current().pid(), r.pid());
                assertTrue(r.time() >= before && r.time() <= after, "timestamps are System.nanoTime(): " + r.time());
            }

            tracer.select("off");
            assertFalse(hooks.hook("SHOP_ORDER").enabled(), "under off the hook point is disabled");
            order.invoke(shop, 4L, 1, "nobody");
            assertEquals(3, buffers.read(-1, -1, 0).stream().filter(r -> r.event().equals("SHOP_ORDER")).count());
            assertTrue(tracer.status().sources().containsKey("buffers"), tracer.status().sources().toString());
        }
    }
}
