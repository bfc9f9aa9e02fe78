package lkst.api;

/**
 * Events that one thread dispatches in a row, such as the events of one kernel page. A source that has such runs
 * hands the same batch with each of their events ({@link Event#batch()}) and calls {@link #end()} after the last
 * event of a run, before it waits for more. A recorder may attach state to the batch (buffer space reserved for the
 * thread a block at a time) and release it at {@link #end()}: then it writes the run's records without an atomic
 * operation per event.
 *
 * <p>Confined to one thread at a time: the source's events are dispatched, and {@link #attach} and {@link #end}
 * are called, on the thread that runs the source.
 */
public final class Batch {
    private Object attachment;
    private Runnable onEnd;

    /** What a recorder attached, or null. */
    public Object attachment() { return attachment; }

    /**
     * Attaches a recorder's state and what {@link #end()} runs for it. A batch holds one attachment: the one there
     * before is ended first, then replaced.
     */
    public void attach(Object state, Runnable onEnd) {
        end();
        this.attachment = state;
        this.onEnd = onEnd;
    }

    /** Ends the current run: the attached recorder releases what it reserved, and every event so far is complete. */
    public void end() {
        Runnable r = onEnd;
        if (r != null) r.run();
    }
}
