package lkst.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lkst.api.EventType;
import lkst.api.HandlerInfo;
import lkst.api.MasksetInfo;
import lkst.api.Tracer;
import lkst.api.TracerStatus;
import lkst.hooks.api.HookPoint;
import lkst.hooks.api.Hooks;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code lkst} Gogo commands for the tracer: status, catalog, handlers, masksets, control, test events.
 * Each returns data ({@link Formats} renders it); bad input throws one {@link IllegalArgumentException} and
 * changes nothing.
 */
@Component(service = LkstCommands.class, property = {
        "osgi.command.scope=lkst",
        "osgi.command.function=status", "osgi.command.function=start", "osgi.command.function=stop",
        "osgi.command.function=events", "osgi.command.function=handlers", "osgi.command.function=maskset",
        "osgi.command.function=ctl", "osgi.command.function=release", "osgi.command.function=fire",
        "osgi.command.function=declare"})
public final class LkstCommands {
    private final Tracer tracer;
    private final Hooks hooks;

    @Activate
    public LkstCommands(@Reference Tracer tracer, @Reference Hooks hooks) {
        this.tracer = tracer;
        this.hooks = hooks;
    }

    @Descriptor("show the tracer: tracing or stopped, active maskset, enabled events, undelivered events, and each source's state (kernel, jvm, buffers)")
    public TracerStatus status() { return tracer.status(); }

    @Descriptor("start tracing under the active maskset")
    public TracerStatus start() {
        return Refusal.of(() -> {
            tracer.start();
            return tracer.status();
        });
    }

    @Descriptor("stop tracing: every hook point is disabled, the active maskset stays selected; the events the kernel "
            + "still holds are read and recorded first")
    public TracerStatus stop() {
        return Refusal.of(() -> {
            tracer.stop();
            return tracer.status();
        });
    }

    @Descriptor("list the event catalog: ID, name, category, source, tracepoints or fields, and why an event is unavailable")
    public List<EventType> events() { return tracer.events(); }

    @Descriptor("list the events whose name or category contains a word")
    public List<EventType> events(@Descriptor("part of an event name or a category, e.g. sched or memory") String word) {
        return Refusal.of(() -> {
            String w = word.toLowerCase(Locale.ROOT);
            List<EventType> out = new ArrayList<>();
            for (EventType e : tracer.events()) {
                if (e.name().toLowerCase(Locale.ROOT).contains(w) || e.category().equals(w)) out.add(e);
            }
            if (out.isEmpty()) throw new IllegalArgumentException("no event matches '" + word + "'");
            return out;
        });
    }

    @Descriptor("list the handlers: ID, name, bundle, state (bound, quarantined, refused and why), faults, parameters")
    public List<HandlerInfo> handlers() { return tracer.handlers(); }

    @Descriptor("list the masksets; * marks the active one")
    public List<MasksetInfo> maskset() { return tracer.masksets(); }

    @Descriptor("work on masksets: list | show NAME | create NAME | copy FROM TO | set NAME EVENT HANDLER-ID | unset NAME EVENT | select NAME | delete NAME")
    public Object maskset(@Descriptor("list, show, create, copy, set, unset, select or delete") String action,
                          @Descriptor("the action's arguments") String... args) {
        return Refusal.of(() -> {
            switch (action) {
                case "list": arity(action, args, 0, ""); return tracer.masksets();
                case "show": arity(action, args, 1, "NAME"); return tracer.maskset(args[0]);
                case "create": arity(action, args, 1, "NAME"); return tracer.create(args[0]);
                case "copy": arity(action, args, 2, "FROM TO"); return tracer.copy(args[0], args[1]);
                case "set": arity(action, args, 3, "NAME EVENT HANDLER-ID"); return tracer.set(args[0], args[1], handlerId(args[2]));
                case "unset": arity(action, args, 2, "NAME EVENT"); return tracer.unset(args[0], args[1]);
                case "select": arity(action, args, 1, "NAME"); return tracer.select(args[0]);
                case "delete":
                    arity(action, args, 1, "NAME");
                    tracer.delete(args[0]);
                    return tracer.masksets();
                default:
                    throw new IllegalArgumentException("unknown maskset action '" + action
                            + "' (list, show, create, copy, set, unset, select, delete)");
            }
        });
    }

    private static void arity(String action, String[] args, int n, String usage) {
        if (args.length != n) {
            throw new IllegalArgumentException("usage: lkst:maskset " + action + (usage.isEmpty() ? "" : " " + usage));
        }
    }

    private static int handlerId(String text) {
        return Args.intAtLeast(text, 1, "bad handler id '" + text + "' (a positive integer; lkst:handlers lists them)");
    }

    @Descriptor("show a handler's control parameters")
    public HandlerInfo ctl(@Descriptor("handler ID or name") String handler) {
        return Refusal.of(() -> {
            for (HandlerInfo h : tracer.handlers()) {
                if (h.name().equals(handler) || String.valueOf(h.id()).equals(handler)) return h;
            }
            throw new IllegalArgumentException("no handler '" + handler + "' (lkst:handlers lists them)");
        });
    }

    @Descriptor("set a handler's control parameter (LKST's control functions), e.g. lkst:ctl pid-filter pids 42,43")
    public HandlerInfo ctl(@Descriptor("handler ID or name") String handler,
                           @Descriptor("parameter name") String parameter,
                           @Descriptor("new value; a bad value is refused and the old one stays") String value) {
        return Refusal.of(() -> {
            return tracer.ctl(handler, parameter, value);
        });
    }

    @Descriptor("bring a quarantined handler back")
    public HandlerInfo release(@Descriptor("handler ID or name") String handler) {
        return Refusal.of(() -> {     return tracer.release(handler);
        });
    }

    @Descriptor("fire the JVM test event LKST_TEST once")
    public String fire() { return fire("1", "test"); }

    @Descriptor("fire the JVM test event LKST_TEST COUNT times, with seq 1..COUNT and a message")
    public String fire(@Descriptor("how many") String count, @Descriptor("the message field") String message) {
        return Refusal.of(() -> {
            long n = Args.atLeast(count, 1, "bad count '" + count + "' (a positive integer)");
            HookPoint hook = hooks.hook("LKST_TEST");
            long fired = 0;
            for (long i = 1; i <= n; i++) {
                if (hook.enabled()) {
                    hook.begin().put(i).put(message).fire();
                    fired++;
                }
            }
            return "fired " + fired + " of " + n + " LKST_TEST events"
                    + (fired < n ? " (LKST_TEST is not enabled under maskset " + tracer.status().maskset() + ")" : "");
        });
    }

    @Descriptor("fire the JVM test event LKST_TEST COUNT times")
    public String fire(@Descriptor("how many") String count) { return fire(count, "test"); }

    @Descriptor("declare a JVM event type at run time, e.g. lkst:declare APP_REQUEST app id:u64 path:string")
    public EventType declare(@Descriptor("event name") String name, @Descriptor("category") String category,
                             @Descriptor("fields as name:type (u8 s8 u16 s16 u32 s32 u64 s64 string bytes)") String... fields) {
        return Refusal.of(() -> {
            lkst.api.Field[] f = new lkst.api.Field[fields.length];
            for (int i = 0; i < fields.length; i++) f[i] = lkst.api.Field.parse(fields[i]);
            return hooks.declare(name, category, f).type();
        });
    }
}
