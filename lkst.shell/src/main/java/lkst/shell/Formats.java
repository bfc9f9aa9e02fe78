package lkst.shell;

import java.util.Map;
import lkst.api.EventType;
import lkst.api.HandlerInfo;
import lkst.api.MasksetInfo;
import lkst.api.TracerStatus;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;

/** Renders LKST/J's data for Gogo: one line per item in lists (LINE), the whole item when shown alone (INSPECT). */
@Component(property = {Converter.CONVERTER_CLASSES + "=lkst.api.TracerStatus",
        Converter.CONVERTER_CLASSES + "=lkst.api.EventType", Converter.CONVERTER_CLASSES + "=lkst.api.HandlerInfo",
        Converter.CONVERTER_CLASSES + "=lkst.api.MasksetInfo"})
public final class Formats implements Converter {
    @Override
    public Object convert(Class<?> desiredType, Object in) { return null; }

    @Override
    public CharSequence format(Object o, int level, Converter escape) {
        if (o instanceof TracerStatus s) return s.text();
        if (o instanceof EventType e) return level == INSPECT ? eventDetail(e) : event(e);
        if (o instanceof HandlerInfo h) return handler(h);
        if (o instanceof MasksetInfo m) return level == INSPECT ? masksetDetail(m) : maskset(m);
        return null;
    }

    private static String pairs(Map<String, ?> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    static String event(EventType e) {
        String what = !e.tracepoints().isEmpty() ? String.join(",", e.tracepoints())
                : !e.groups().isEmpty() ? "of " + String.join(",", e.groups()) : e.fields().toString();
        return String.format("%5d %-34s %-10s %-7s %s%s", e.id(), e.name(), e.category(), e.source(), what,
                e.available() ? "" : "  [unavailable: " + e.unavailable() + "]");
    }

    static String eventDetail(EventType e) {
        StringBuilder b = new StringBuilder(event(e)).append('\n');
        e.fields().forEach(f -> b.append("      ").append(f.name()).append(' ').append(f.type())
                .append(f.offset() >= 0 ? " @" + f.offset() + " size " + f.size() : "").append('\n'));
        return b.toString().stripTrailing();
    }

    static String handler(HandlerInfo h) {
        return String.format("%5s %-16s %-12s %-24s faults=%d%s%s", h.id() < 0 ? "-" : h.id(), h.name(), h.state(),
                h.bundle(), h.faults(), h.parameters().isEmpty() ? "" : " " + pairs(h.parameters()),
                h.reason() == null ? "" : "  (" + h.reason() + ")");
    }

    static String maskset(MasksetInfo m) {
        return String.format("%s %4d %-16s %3d events%s%s", m.active() ? "*" : " ", m.id(), m.name(),
                m.bindings().size(), m.builtIn() ? "  built-in" : "",
                m.unbound().isEmpty() ? "" : "  unbound handler IDs " + m.unbound());
    }

    static String masksetDetail(MasksetInfo m) {
        StringBuilder b = new StringBuilder(maskset(m)).append('\n');
        m.bindings().forEach((e, h) -> b.append(String.format("      %-34s -> %d%s%n", e, h,
                m.unbound().contains(h) ? " (unbound)" : "")));
        return b.toString().stripTrailing();
    }
}
