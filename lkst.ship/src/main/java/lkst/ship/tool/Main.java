package lkst.ship.tool;

import java.io.PrintStream;
import lkst.ship.fetch.Fetch;

/**
 * The fleet's commands of {@code ./lkst}, run by the launcher on a plain class path (no framework): {@code fetch}.
 * Bad input is one line and exit 2; the Kafka client's own log is off (fetch says what went wrong in its words).
 */
public final class Main {
    private Main() {}

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (System.getProperty("lkst.kafka.log.level") == null) System.setProperty("lkst.kafka.log.level", "off");
        // the client loads the classes its configuration names (its default assignors …) through the context class
        // loader: the launcher's cannot see them, this tool's loader can
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(Main.class.getClassLoader());
        try {
            String sub = args.length > 0 ? args[0] : "";
            if (sub.equals("fetch")) return Fetch.run(args, out, err);
            err.println("lkst: unknown fleet command '" + sub + "'");
            return 2;
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
