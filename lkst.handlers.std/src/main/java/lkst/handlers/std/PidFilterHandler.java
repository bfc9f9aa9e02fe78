package lkst.handlers.std;

import java.util.List;
import java.util.Set;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.HandlerContext;
import lkst.api.Parameter;
import lkst.api.Recorder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Handler 2, {@code pid-filter} (LKST's {@code t_pid} example): records only the events of the pids it is given
 * (an event matches on its pid or its thread ID). With no pids it records nothing. For kernel tracepoints the
 * filter is pushed down into the kernel, so events it would drop never leave it.
 */
@Component(property = {EventHandler.ID + ":Integer=" + PidFilterHandler.ID, EventHandler.NAME + "=pid-filter"})
public final class PidFilterHandler implements EventHandler {
    public static final int ID = 2;

    private final Recorder recorder;
    private volatile PidSet pids = PidSet.EMPTY;

    @Activate
    public PidFilterHandler(@Reference Recorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void handle(Event event, HandlerContext context) {
        PidSet p = pids;
        if (p.contains(event.pid()) || p.contains(event.tid())) recorder.record(event);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.<Set<Integer>>of("pids", Parameter.Type.INT_SET,
                "the pids whose events are recorded (LKST's t_pid), comma-separated",
                () -> pids.pids, s -> pids = new PidSet(s),
                s -> s.stream().allMatch(p -> p > 0), "pids are positive integers"));
    }

    @Override
    public String kernelFilter(EventType tracepoint) {
        return tracepoint.source() == EventSource.JVM ? null : pids.kernelFilter();
    }
}
