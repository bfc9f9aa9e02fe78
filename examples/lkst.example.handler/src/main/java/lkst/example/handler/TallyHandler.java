package lkst.example.handler;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.HandlerContext;
import lkst.api.Parameter;

/**
 * An example handler bundle: handler 1001, {@code tally}, counts the events a maskset gives it and remembers the
 * last one's name; drop this bundle's jar into deploy/ and bind an event to 1001 in a maskset. Users' handlers
 * take IDs from 1000 up; 1–999 are reserved for the standard ones.
 */
@org.osgi.service.component.annotations.Component(property = {EventHandler.ID + ":Integer=1001", EventHandler.NAME + "=tally"})
public final class TallyHandler implements EventHandler {
    private final AtomicLong seen = new AtomicLong();
    private volatile String last = "";

    @Override
    public void handle(Event event, HandlerContext context) {
        seen.incrementAndGet();
        last = event.type().name();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                Parameter.<Long>of("seen", Parameter.Type.LONG, "events handled (set 0 to reset)", seen::get, seen::set,
                        v -> v == 0, "only 0 can be set"),
                Parameter.<String>of("last", Parameter.Type.STRING, "name of the last event handled (read-only)",
                        () -> last, v -> { }, v -> false, "read-only"));
    }
}
