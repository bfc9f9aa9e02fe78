package lkst.handlers.std;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventType;
import lkst.api.HandlerContext;
import lkst.api.Parameter;

/**
 * Handler 3, {@code count}: counts events per event type and records nothing. The counts are its parameter
 * {@code counts}; setting it to 0 resets them.
 */
@org.osgi.service.component.annotations.Component(
        property = {EventHandler.ID + ":Integer=" + CountHandler.ID, EventHandler.NAME + "=count"})
public final class CountHandler implements EventHandler {
    public static final int ID = 3;

    private volatile AtomicLongArray counts = new AtomicLongArray(1024);
    private volatile EventType[] types = new EventType[1024];

    @Override
    public void handle(Event event, HandlerContext context) {
        EventType t = event.type();
        int id = t.id();
        AtomicLongArray c = counts;
        if (id >= c.length()) c = grow(id);
        types[id] = t;
        c.incrementAndGet(id);
    }

    private synchronized AtomicLongArray grow(int id) {
        AtomicLongArray c = counts;
        if (id < c.length()) return c;
        AtomicLongArray n = new AtomicLongArray(Math.max(id + 1, c.length() * 2));
        for (int i = 0; i < c.length(); i++) n.set(i, c.get(i));
        types = java.util.Arrays.copyOf(types, n.length());
        counts = n;
        return n;
    }

    /** Event name → count, for events counted at least once. */
    public Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        AtomicLongArray c = counts;
        EventType[] t = types;
        for (int i = 0; i < c.length(); i++) {
            long n = c.get(i);
            if (n > 0 && t[i] != null) m.put(t[i].name(), n);
        }
        return m;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.<String>of("counts", Parameter.Type.STRING,
                "events counted per event type; set to 0 to reset", () -> counts().toString(),
                v -> counts = new AtomicLongArray(counts.length()), "0"::equals, "only 0 (reset) can be set"));
    }
}
