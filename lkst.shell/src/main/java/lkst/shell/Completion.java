package lkst.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import lkst.api.EventType;
import lkst.api.HandlerInfo;
import lkst.api.MasksetInfo;
import lkst.api.Tracer;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * What Tab offers after an lkst command: its actions, and the names of masksets, events and handlers where the
 * command takes one. The shell's profile ({@code etc/gosh_profile} of the runtime) binds it to every lkst command.
 */
@Component(service = Completion.class, property = {"osgi.command.scope=lkst", "osgi.command.function=candidates"})
public final class Completion {
    static final List<String> MASKSET_ACTIONS = List.of("list", "show", "create", "copy", "set", "unset", "select", "delete");
    private static final Set<String> TAKES_MASKSET = Set.of("show", "copy", "set", "unset", "select", "delete");

    private final Tracer tracer;

    @Activate
    public Completion(@Reference Tracer tracer) {
        this.tracer = tracer;
    }

    @Descriptor("the words Tab offers at word INDEX of an lkst command line (used by the shell's completion)")
    public List<String> candidates(@Descriptor("the command line's words") List<String> words,
                                   @Descriptor("the index of the word being completed") int index) {
        if (words.isEmpty() || index < 1) return List.of();
        String command = words.get(0).startsWith("lkst:") ? words.get(0).substring(5) : words.get(0);
        String first = words.size() > 1 ? words.get(1) : "";
        switch (command) {
            case "maskset":
                if (index == 1) return MASKSET_ACTIONS;
                if (index == 2 && TAKES_MASKSET.contains(first)) return masksets();
                if (index == 3 && (first.equals("set") || first.equals("unset"))) return events();
                if (index == 4 && first.equals("set")) return handlerIds();
                return List.of();
            case "ctl":
                if (index == 1) return handlers();
                if (index == 2) return parameters(first);
                return List.of();
            case "release":
                return index == 1 ? handlers() : List.of();
            case "events":
                return index == 1 ? events() : List.of();
            case "buffer":
                return index == 1 ? List.of("list", "create", "delete", "switch", "chain", "mode", "print") : List.of();
            case "log":
                return index == 1 ? List.of("start", "stop", "status") : List.of();
            case "tracepoint":
                return index == 1 ? List.of("add") : List.of();
            case "probe":
                return index == 1 ? List.of("add", "remove") : List.of();
            default:
                return List.of();
        }
    }

    private List<String> masksets() {
        return tracer.masksets().stream().map(MasksetInfo::name).toList();
    }

    private List<String> events() {
        return tracer.events().stream().map(EventType::name).toList();
    }

    private List<String> handlers() {
        return tracer.handlers().stream().filter(h -> h.id() >= 0).map(HandlerInfo::name).distinct().toList();
    }

    private List<String> handlerIds() {
        return tracer.handlers().stream().filter(h -> h.id() >= 0).map(h -> String.valueOf(h.id())).distinct().toList();
    }

    private List<String> parameters(String handler) {
        List<String> out = new ArrayList<>();
        for (HandlerInfo h : tracer.handlers()) {
            if (h.name().equals(handler) || String.valueOf(h.id()).equals(handler)) out.addAll(h.parameters().keySet());
        }
        return out;
    }
}
