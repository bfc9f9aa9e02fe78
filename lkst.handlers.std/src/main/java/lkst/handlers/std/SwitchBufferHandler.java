package lkst.handlers.std;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventType;
import lkst.api.HandlerContext;
import lkst.api.Parameter;
import lkst.api.Recorder;
import lkst.buffers.api.Buffers;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Handler 5, {@code switch-buffer} (the seed's example): records the event like {@code record}; on a context
 * switch it then makes the CPU's current buffer the one assigned to the pid switched in ({@code assign}, e.g.
 * {@code 1234:1,1240:2}), or {@code default} for any other pid — so one process's events land in a buffer of their
 * own. As in LKST, the switch event itself stays in the old buffer.
 */
@Component(property = {EventHandler.ID + ":Integer=" + SwitchBufferHandler.ID, EventHandler.NAME + "=switch-buffer"})
public final class SwitchBufferHandler implements EventHandler {
    public static final int ID = 5;
    static final String CONTEXT_SWITCH = "PROCESS_CONTEXTSWITCH";

    private final Recorder recorder;
    private final Buffers buffers;
    /** pid → buffer ID, as two sorted arrays: looked up without allocation */
    private volatile int[][] assignment = {new int[0], new int[0]};
    private volatile int fallback;
    private volatile EventType lastType;
    private volatile int nextPidField = -1;

    @Activate
    public SwitchBufferHandler(@Reference Recorder recorder, @Reference Buffers buffers) {
        this.recorder = recorder;
        this.buffers = buffers;
    }

    @Override
    public void handle(Event event, HandlerContext context) {
        recorder.record(event);
        int field = nextPid(event.type());
        if (field < 0) return;
        int pid = (int) event.number(field);
        int[][] a = assignment;
        int i = java.util.Arrays.binarySearch(a[0], pid);
        buffers.switchTo(event.cpu(), i >= 0 ? a[1][i] : fallback);
    }

    /** Index of next_pid in a context-switch event's fields, else -1; cached for the last type seen. */
    private int nextPid(EventType t) {
        if (t != lastType) {
            nextPidField = t.name().equals("sched:sched_switch") || t.groups().contains(CONTEXT_SWITCH) ? t.fieldIndex("next_pid") : -1;
            lastType = t;
        }
        return nextPidField;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                Parameter.<String>of("assign", Parameter.Type.STRING, "PID:BUFFER-ID pairs, comma-separated",
                        this::assignmentText, v -> assignment = parse(v), v -> { parse(v); return true; }, ""),
                Parameter.<Integer>of("default", Parameter.Type.INT, "buffer ID for every other pid",
                        () -> fallback, v -> fallback = v, v -> v >= 0, "a buffer ID is 0 or more"));
    }

    private String assignmentText() {
        int[][] a = assignment;
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < a[0].length; i++) s.append(i == 0 ? "" : ",").append(a[0][i]).append(':').append(a[1][i]);
        return s.toString();
    }

    static int[][] parse(String text) {
        Map<Integer, Integer> m = new TreeMap<>();
        if (!text.isBlank()) {
            for (String pair : text.split("\\s*,\\s*")) {
                String[] pb = pair.trim().split(":");
                try {
                    if (pb.length != 2) throw new NumberFormatException();
                    int pid = Integer.parseInt(pb[0]);
                    int buf = Integer.parseInt(pb[1]);
                    if (pid <= 0 || buf < 0) throw new NumberFormatException();
                    m.put(pid, buf);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad assignment '" + pair + "' (expected PID:BUFFER-ID, e.g. 1234:1)");
                }
            }
        }
        int[][] a = {new int[m.size()], new int[m.size()]};
        int i = 0;
        for (Map.Entry<Integer, Integer> e : m.entrySet()) {
            a[0][i] = e.getKey();
            a[1][i++] = e.getValue();
        }
        return a;
    }
}
