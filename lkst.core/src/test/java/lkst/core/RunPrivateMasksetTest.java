package lkst.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A maskset named ".…" belongs to one run (./lkst record): it is never saved and never the saved selection. */
class RunPrivateMasksetTest {
    private final Engine engine = new Engine();
    private final AtomicReference<Map<String, Object>> saved = new AtomicReference<>();

    @Test
    void aRunPrivateMasksetIsNeverSaved() {
        engine.store(saved::set);
        engine.copy("off", ".record-1");
        engine.set(".record-1", "SYSCALL_ENTRY", 1);
        assertFalse(Arrays.asList((String[]) saved.get().get("masksets")).stream().anyMatch(n -> n.endsWith(".record-1")),
                saved.get().toString());
        assertFalse(saved.get().containsKey("maskset..record-1"), saved.get().toString());
    }

    @Test
    void selectingARunPrivateMasksetLeavesTheSavedSelectionAsItWas() {
        engine.store(saved::set);
        engine.copy("default", "light");
        engine.select("light");
        engine.copy("off", ".record-1");
        engine.select(".record-1");
        assertEquals(".record-1", engine.status().maskset(), "the run traces under its own maskset");
        assertEquals("light", saved.get().get("active"));

        Engine next = new Engine();
        next.restore(saved.get());
        assertEquals("light", next.status().maskset(), "a run that never restored the selection (killed) changes nothing");
    }
}
