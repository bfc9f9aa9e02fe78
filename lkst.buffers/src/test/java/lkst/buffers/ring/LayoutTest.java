package lkst.buffers.ring;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** trace.meta's layout lines are made from the descriptors' offsets: every offset constant appears in them. */
class LayoutTest {
    @Test
    void bufferFileLayoutNamesEveryOffset() throws IllegalAccessException {
        assertEquals(List.of(), missing(BufferDescriptor.class, BufferDescriptor.layout()));
    }

    @Test
    void recordLayoutNamesEveryOffset() throws IllegalAccessException {
        assertEquals(List.of(), missing(RecordDescriptor.class, RecordDescriptor.layout()));
    }

    @Test
    void layoutsAreOneLineEach() {
        assertFalse(BufferDescriptor.layout().contains("\n") || BufferDescriptor.layout().contains("\t"));
        assertFalse(RecordDescriptor.layout().contains("\n") || RecordDescriptor.layout().contains("\t"));
    }

    /** The int constants named *_OFFSET whose value does not appear as "@value" in the layout line. */
    private static List<String> missing(Class<?> descriptor, String layout) throws IllegalAccessException {
        List<String> missing = new ArrayList<>();
        for (Field f : descriptor.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !f.getName().endsWith("_OFFSET") || f.getType() != int.class) continue;
            int v = f.getInt(null);
            if (!layout.matches(".*@" + v + "\\b.*")) missing.add(f.getName() + "=" + v);
        }
        return missing;
    }
}
