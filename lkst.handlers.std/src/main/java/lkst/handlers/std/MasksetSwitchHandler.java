package lkst.handlers.std;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.HandlerContext;
import lkst.api.Parameter;
import lkst.api.Recorder;
import lkst.api.Tracer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Handler 4, {@code maskset-switch}: LKST's escalation. It records every event it gets, like {@code record};
 * when one matches its {@code condition}, it switches the tracer to the maskset {@code target} (once, until
 * {@code armed} is set again). Bind it to the events of a light maskset to switch to a detailed one on a symptom.
 * The switch runs on a thread of its own so the event source is never blocked.
 */
@Component(property = {EventHandler.ID + ":Integer=" + MasksetSwitchHandler.ID, EventHandler.NAME + "=maskset-switch"})
public final class MasksetSwitchHandler implements EventHandler {
    public static final int ID = 4;

    private final Recorder recorder;
    private final Tracer tracer;
    private final ExecutorService switcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lkst-maskset-switch");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final AtomicLong switches = new AtomicLong();
    private volatile Condition condition;
    private volatile String target = "all";

    @Activate
    public MasksetSwitchHandler(@Reference Recorder recorder, @Reference Tracer tracer) {
        this.recorder = recorder;
        this.tracer = tracer;
    }

    @Deactivate
    void deactivate() { switcher.shutdownNow(); }

    @Override
    public void handle(Event event, HandlerContext context) {
        recorder.record(event);
        Condition c = condition;
        if (c != null && c.matches(event) && armed.compareAndSet(true, false)) {
            String to = target;
            switcher.execute(() -> {
                // counted before the switch: whoever sees the new maskset active sees the switch counted too
                switches.incrementAndGet();
                try {
                    tracer.select(to);
                } catch (IllegalArgumentException e) {
                    switches.decrementAndGet();
                    lkst.handlers.std.Log.warn("maskset-switch: " + e.getMessage());
                }
            });
        }
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                Parameter.<String>of("condition", Parameter.Type.STRING,
                        "EVENT FIELD OP VALUE that triggers the switch, OP one of " + Condition.OPS,
                        () -> condition == null ? "" : condition.toString(),
                        v -> condition = v.isEmpty() ? null : Condition.parse(v),
                        v -> { if (!v.isEmpty()) Condition.parse(v); return true; }, ""),
                Parameter.<String>of("target", Parameter.Type.STRING, "the maskset to switch to",
                        () -> target, v -> target = v, v -> tracer.masksets().stream().anyMatch(m -> m.name().equals(v)),
                        "no such maskset (lkst:maskset list)"),
                Parameter.<Boolean>of("armed", Parameter.Type.BOOLEAN, "true until the switch happened; set to re-arm",
                        armed::get, armed::set),
                Parameter.<Long>of("switches", Parameter.Type.LONG, "switches done so far (read-only: set 0 only)",
                        switches::get, switches::set, v -> v == 0, "only 0 can be set"));
    }
}
