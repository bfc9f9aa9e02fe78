package lkst.buffers.tool;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The arguments of one tool command: {@code COMMAND [OPTIONS] DIR [-o OUT]} (print's options: {@link PrintOptions}),
 * the options each command takes, and its usage line. A wrong command line is a {@link Usage} with one line saying
 * what is wrong.
 */
final class CommandLine {
    /** A command line that cannot be run; the message is one line. */
    static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String message) { super(message, null, false, false); }
    }

    final String command;
    final boolean help;
    final Path dir;
    final Path out;
    /** report --json: one JSON object instead of the tables. */
    final boolean json;
    /** view --time: the page's time axis. */
    final TimeScale time;
    /** print's options (which records, how to show them). */
    final PrintOptions print;

    private CommandLine(String command, boolean help, PrintOptions print, boolean json, TimeScale time, Path dir, Path out) {
        this.command = command;
        this.time = time;
        this.json = json;
        this.help = help;
        this.print = print;
        this.dir = dir;
        this.out = out;
    }

    static String usage(String command) {
        switch (command) {
            case "print": return PrintOptions.USAGE;
            case "tail": return Tail.USAGE;
            case "stats": return "usage: lkst stats DIR   (events per type and CPU, written and lost per buffer)";
            case "recover": return "usage: lkst recover DIR [-o OUT]   (every committed record into OUT, default DIR.recovered)";
            case "ctf": return "usage: lkst ctf DIR [-o OUT]   (CTF 1.8 into OUT, default DIR.ctf)";
            case "view": return "usage: lkst view [--time rel|mono|wall] DIR [-o FILE.html]   (one self-contained HTML page: a lane per CPU and per task, IRQs, JVM events, losses; the time axis rel unless --time says; FILE DIR.html unless -o says)";
            case "report": return "usage: lkst report [--json] DIR   (where the time went: losses, CPU time and latency per task, syscalls, IRQs, events per type)";
            default: return Main.USAGE_TEXT;
        }
    }

    /** Parses {@code args} (args[0] is the command); -h or --help anywhere asks for the usage. */
    static CommandLine parse(String[] args) {
        String command = args[0];
        PrintOptions print = new PrintOptions();
        Path dir = null;
        Path out = null;
        boolean json = false;
        TimeScale time = TimeScale.REL;
        boolean options = true;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (options && (a.equals("-h") || a.equals("--help"))) return new CommandLine(command, true, print, false, TimeScale.REL, null, null);
        }
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            int taken;
            if (options && a.equals("--")) {
                options = false;
            } else if (options && (command.equals("print") || command.equals("tail")) && (taken = print.take(args, i)) >= 0) {
                i = taken;
            } else if (options && a.equals("--json") && command.equals("report")) {
                json = true;
            } else if (options && a.equals("--time") && command.equals("view")) {
                if (i + 1 >= args.length) throw new Usage("--time needs rel, mono or wall");
                time = TimeScale.parse(args[++i]);
            } else if (options && a.equals("-o") && takesOutput(command)) {
                if (out != null) throw new Usage("-o given twice");
                if (i + 1 >= args.length || args[i + 1].isEmpty()) throw new Usage("-o needs a " + (command.equals("view") ? "file" : "directory"));
                out = path(args[++i]);
            } else if (options && a.startsWith("-") && a.length() > 1) {
                throw new Usage("unknown option '" + Main.printable(a) + "'");
            } else if (dir == null) {
                if (a.isEmpty()) throw new Usage("the trace directory is an empty string");
                dir = path(a);
            } else {
                throw new Usage("unexpected argument '" + Main.printable(a) + "' (one trace directory)");
            }
        }
        if (dir == null && command.equals("tail")) dir = Tail.defaultDirectory();
        if (dir == null) throw new Usage("needs a trace directory");
        return new CommandLine(command, false, print, json, time, dir, out);
    }

    private static boolean takesOutput(String command) {
        return command.equals("recover") || command.equals("ctf") || command.equals("view");
    }

    private static Path path(String s) {
        try {
            return Paths.get(s);
        } catch (java.nio.file.InvalidPathException e) {
            throw new Usage("not a path: '" + Main.printable(s) + "'");
        }
    }
}
