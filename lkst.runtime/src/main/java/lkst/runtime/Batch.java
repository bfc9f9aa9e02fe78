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
 * A Gogo session without a terminal: runs commands and prints each result as Gogo formats it. Gogo's API lives in
 * a bundle, not on the launcher's class path, so it is called reflectively.
 */
final class Batch implements AutoCloseable {
    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    private static final int INSPECT = 0;

    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method close;
    private final PrintStream out;
    private final PrintStream err;

    Batch(BundleContext ctx, PrintStream out, PrintStream err) throws Exception {
        this.out = out;
        this.err = err;
        awaitCommands(ctx);
        ServiceReference<?> ref = ctx.getServiceReference(PROCESSOR);
        Object processor = ctx.getService(ref);
        Class<?> processorType = ref.getBundle().loadClass(PROCESSOR);
        Class<?> sessionType = ref.getBundle().loadClass(SESSION);
        Method create = processorType.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
        execute = sessionType.getMethod("execute", CharSequence.class);
        format = sessionType.getMethod("format", Object.class, int.class);
        close = sessionType.getMethod("close");
        session = create.invoke(processor, InputStream.nullInputStream(), out, err);
        // lkst first: "status" is lkst:status and "help lkst" is lkst:help, as in the interactive shell
        sessionType.getMethod("put", String.class, Object.class).invoke(session, "SCOPE", "lkst:*");
    }

    /** Runs {@code script} ({@code ./lkst -c}): 0 when every command succeeded; the first failure ends it with 1. */
    static int run(BundleContext ctx, String script, PrintStream out, PrintStream err) throws Exception {
        try (Batch b = new Batch(ctx, out, err)) {
            LkstRuntime.phase("commands ready");
            for (String command : split(script)) {
                if (!b.run(command, true)) return 1;
            }
            LkstRuntime.phase("commands done");
            return 0;
        }
    }

    /** Runs one command, printing its result when {@code print}; false (with one line on stderr) when it failed. */
    boolean run(String command, boolean print) throws Exception {
        Object result;
        try {
            result = execute.invoke(session, command);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            err.println("lkst: " + command.trim() + ": " + message(command, cause));
            return false;
        }
        if (print && result != null) out.println(text(result));
        return true;
    }

    /**
     * What went wrong, in the command's words: its own message, or for arguments Gogo could not match to any form
     * of the command (Gogo says "Cannot coerce f(Token) to any of [(String)]") where to look them up.
     */
    static String message(String command, Throwable cause) {
        String msg = cause.getMessage();
        if (msg == null) return "failed (" + cause.getClass().getSimpleName() + ")";
        if (msg.startsWith("Cannot coerce ")) {
            String name = command.trim().split("\\s+")[0];
            return "wrong number or kind of arguments (help " + name + " shows them)";
        }
        return msg + hint(command, msg);
    }

    /** What to do about a Gogo syntax error that is not the command's fault: an unquoted % (a uprobe fetch argument). */
    static String hint(String command, String msg) {
        if (msg.startsWith("bad expression") && command.contains("%")) {
            return " (Gogo reads an unquoted % as the start of an expression %(…): quote the argument, e.g. "
                    + "'obj=%di:u64', or write \\%)";
        }
        return "";
    }

    /** The result of a command as Gogo formats it, or throws with the command's message. */
    String text(String command) throws Exception {
        try {
            Object result = execute.invoke(session, command);
            return result == null ? "" : text(result);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        }
    }

    private String text(Object result) throws Exception {
        return String.valueOf(format.invoke(session, result, INSPECT)).stripTrailing();
    }

    @Override
    public void close() throws Exception {
        close.invoke(session);
        out.flush();
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
            if (quote == 0 && depth == 0 && (c == ';' || c == '\n')) {
                if (!cur.toString().isBlank()) out.add(cur.toString().trim());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
            if (quote != 0) {
                if (c == '\\' && i + 1 < script.length()) cur.append(script.charAt(++i));
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if (c == '}' || c == ')' || c == ']') {
                depth--;
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().trim());
        return out;
    }
}
