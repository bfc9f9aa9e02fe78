package lkst.shell;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code help lkst}: the lkst commands, one line each, taken from their own descriptions; any other {@code help}
 * is Gogo's ({@code felix:help}). The shell's SCOPE puts {@code lkst} first, so {@code help} is this command.
 */
@Component(service = Help.class, property = {"osgi.command.scope=lkst", "osgi.command.function=help"})
public final class Help {
    private final BundleContext context;

    @Activate
    public Help(BundleContext context) {
        this.context = context;
    }

    @Descriptor("list the commands (help lkst: the lkst commands, one line each)")
    public Object help(CommandSession session) throws Exception {
        return session.execute("felix:help");
    }

    @Descriptor("describe a command, e.g. help lkst:maskset; help lkst lists the lkst commands, one line each")
    public Object help(CommandSession session, @Descriptor("a command, or lkst") String name) throws Exception {
        if (!name.equals("lkst")) return session.execute("felix:help " + name);
        StringBuilder b = new StringBuilder();
        commands().forEach((command, line) -> b.append(String.format("%-16s %s%n", command, line)));
        return b.append("help lkst:NAME describes a command and its arguments").toString();
    }

    /** Each lkst command and its one-line description. */
    Map<String, String> commands() throws InvalidSyntaxException {
        Map<String, String> lines = new TreeMap<>();
        for (ServiceReference<?> ref : context.getServiceReferences((String) null, "(osgi.command.scope=lkst)")) {
            Object service = context.getService(ref);
            if (service == null) continue;
            try {
                for (String function : functions(ref.getProperty("osgi.command.function"))) {
                    lines.put("lkst:" + function, oneLine(service.getClass(), function));
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return lines;
    }

    private static List<String> functions(Object property) {
        List<String> out = new ArrayList<>();
        if (property instanceof String s) out.add(s);
        else if (property instanceof String[] a) out.addAll(List.of(a));
        return out;
    }

    /**
     * The description of the command's most general form (the one with the most arguments), up to its first
     * colon, semicolon, parenthesis or example.
     */
    static String oneLine(Class<?> type, String function) {
        Method widest = null;
        for (Method m : type.getMethods()) {
            if (!m.getName().equals(function) || m.getAnnotation(Descriptor.class) == null) continue;
            if (widest == null || m.getParameterCount() > widest.getParameterCount()) widest = m;
        }
        if (widest == null) return "";
        String text = widest.getAnnotation(Descriptor.class).value();
        for (String end : new String[]{":", ";", " (", ", e.g."}) {
            int i = text.indexOf(end);
            if (i > 0) text = text.substring(0, i);
        }
        return text.trim();
    }
}
