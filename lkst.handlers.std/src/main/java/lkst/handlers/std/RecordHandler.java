package lkst.handlers.std;

import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.HandlerContext;
import lkst.api.Recorder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Handler 1, {@code record}: stores the event, with its raw fields, in its CPU's current buffer. */
@Component(property = {EventHandler.ID + ":Integer=" + RecordHandler.ID, EventHandler.NAME + "=record"})
public final class RecordHandler implements EventHandler {
    public static final int ID = EventHandler.RECORD_ID;

    private final Recorder recorder;

    @Activate
    public RecordHandler(@Reference Recorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void handle(Event event, HandlerContext context) {
        recorder.record(event);
    }
}
