package lkst.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs Gogo commands without a terminal ({@code ./lkst -c 'CMD; CMD'}): each command's result is printed as
 * Gogo formats it; the first failing command ends the run with its message on standard error.
 * Gogo's API lives in a bundle, not on the launcher's class path, so it is called reflectively.
 */
final class Batch {
    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    private static final int INSPECT = 0;

    private Batch() {}

    /** Returns the process exit code: 0 when every command succeeded. */
    static int run(BundleContext ctx, String script, PrintStream out, PrintStream err) throws Exception {
        awaitCommands(ctx);
        ServiceReference<?> ref = ctx.getServiceReference(PROCESSOR);
        Object processor = ctx.getService(ref);
        Class<?> processorType = ref.getBundle().loadClass(PROCESSOR);
        Class<?> sessionType = ref.getBundle().loadClass(SESSION);
        Method create = processorType.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
        Method execute = sessionType.getMethod("execute", CharSequence.class);
        Method format = sessionType.getMethod("format", Object.class, int.class);
        Object session = create.invoke(processor, InputStream.nullInputStream(), out, err);
        try {
            for (String command : split(script)) {
                Object result;
                try {
                    result = execute.invoke(session, command);
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
                    err.println("lkst: " + command.trim() + ": " + msg);
                    return 1;
                }
                if (result != null) out.println(String.valueOf(format.invoke(session, result, INSPECT)).stripTrailing());
            }
            return 0;
        } finally {
            sessionType.getMethod("close").invoke(session);
            out.flush();
        }
    }

    private static void awaitCommands(BundleContext ctx) throws Exception {
        String filter = "(&(osgi.command.scope=lkst)(osgi.command.function=status))";
        ServiceTracker<?, ?> t = new ServiceTracker<>(ctx, ctx.createFilter(filter), null);
        t.open();
        try {
            if (t.waitForService(15_000) == null) throw new IllegalStateException("the lkst commands did not register within 15 s");
        } finally {
            t.close();
        }
    }

    /** Splits at top-level ';' and newlines, leaving quoted text and {…} (…) […] groups whole. */
    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && i + 1 < script.length()) cur.append(c).append(script.charAt(++i)) ;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if (c == '}' || c == ')' || c == ']') {
                depth--;
            } else if ((c == ';' || c == '\n') && depth == 0) {
                if (!cur.toString().isBlank()) out.add(cur.toString().trim());
                cur.setLength(0);
                continue;
            }
            if (!(quote != 0 && c == '\\')) cur.append(c);
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().trim());
        return out;
    }
}
