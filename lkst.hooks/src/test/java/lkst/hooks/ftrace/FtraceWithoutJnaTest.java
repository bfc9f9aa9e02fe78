package lkst.hooks.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ftrace package is what tools outside the framework use to read kernel pages and format files: it must work
 * with nothing but itself and lkst.api on the class path. A class loader that defines only those two packages (and
 * refuses JNA, the kernel bridge and everything else) loads every class of the package and decodes a page.
 */
class FtraceWithoutJnaTest {
    /** Defines lkst.hooks.ftrace and lkst.api from the build's class folders; refuses any other lkst or JNA class. */
    static final class OnlyFtrace extends ClassLoader {
        OnlyFtrace() { super(ClassLoader.getPlatformClassLoader()); }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.startsWith("lkst.hooks.ftrace.") && !name.startsWith("lkst.api.")) {
                throw new ClassNotFoundException(name + " is outside lkst.hooks.ftrace and lkst.api");
            }
            Class<?> from = name.startsWith("lkst.api.") ? lkst.api.Field.class : FormatParser.class;
            try (InputStream in = from.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
                if (in == null) throw new ClassNotFoundException(name);
                byte[] b = in.readAllBytes();
                return defineClass(name, b, 0, b.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    @Test
    void theLoaderRefusesJnaAndTheBridge() {
        ClassLoader l = new OnlyFtrace();
        assertThrows(ClassNotFoundException.class, () -> l.loadClass("com.sun.jna.Native"));
        assertThrows(ClassNotFoundException.class, () -> l.loadClass("lkst.hooks.kernel.KernelBridge"));
    }

    @Test
    void everyClassLoadsAndAPageDecodesWithoutJna() throws Exception {
        ClassLoader l = new OnlyFtrace();
        for (String c : classesOfThePackage()) Class.forName(c, true, l); // linked and initialised

        Class<?> parser = l.loadClass(FormatParser.class.getName());
        Object format = parser.getMethod("event", String.class, List.class).invoke(null, "sched", FormatParserTest.SCHED_SWITCH);
        assertEquals("sched:sched_switch", format.getClass().getMethod("tracepoint").invoke(format));

        Class<?> layoutType = l.loadClass(PageLayout.class.getName());
        Object layout = layoutType.getMethod("linux64").invoke(null);
        Object types = l.loadClass(KernelTypes.class.getName()).getConstructor().newInstance();
        Class<?> dispatcher = l.loadClass("lkst.api.Dispatcher");
        Object sink = Proxy.newProxyInstance(l, new Class<?>[]{dispatcher}, (p, m, a) -> m.getReturnType() == boolean.class ? false : null);
        Object decoder = l.loadClass(PageDecoder.class.getName())
                .getConstructor(layoutType, types.getClass(), int.class, dispatcher).newInstance(layout, types, 0, sink);
        ByteBuffer page = PageDecoderTest.page();
        page.putLong(0, 500);
        int end = PageDecoderTest.small(page, 16, 1, 1, 1); // an event of a type nobody declared
        PageDecoderTest.commit(page, end, 0);
        assertEquals(end - 16, decoder.getClass().getMethod("decode", ByteBuffer.class, int.class, int.class).invoke(decoder, page, 0, 0));
        assertEquals(1L, decoder.getClass().getMethod("unknownTypes").invoke(decoder));
    }

    private static List<String> classesOfThePackage() throws IOException, URISyntaxException {
        Path dir = Path.of(FormatParser.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("lkst/hooks/ftrace");
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
                    .map(n -> "lkst.hooks.ftrace." + n.substring(0, n.length() - ".class".length())).sorted().toList();
        }
    }
}
