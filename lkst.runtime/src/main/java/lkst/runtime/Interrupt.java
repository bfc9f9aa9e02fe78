package lkst.runtime;

import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM during ./lkst record: instead of the JVM's abrupt exit, the signal only ends the
 * workload, so that the one normal stop path runs (the kernel drained, trace.lost written, the summary printed).
 * The command gets the same signal, as it would in a shell's process group.
 */
final class Interrupt {
    private volatile String signal;
    private volatile Runnable onSignal = () -> {};

    /** Catches SIGINT and SIGTERM from now on. */
    static Interrupt install() {
        Interrupt i = new Interrupt();
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> i.received("SIG" + s.getName()));
            } catch (IllegalArgumentException taken) {
                // the JVM keeps this signal (-Xrs): it ends the run as it would any program
            }
        }
        return i;
    }

    private void received(String name) {
        if (signal == null) signal = name;
        onSignal.run();
    }

    /** What to do when a signal comes (forward it to the command, wake the waiting thread); runs at once if one came. */
    void onSignal(Runnable r) {
        onSignal = r;
        if (signal != null) r.run();
    }

    /** "SIGINT" or "SIGTERM" once one came, else null. */
    String signal() { return signal; }
}
