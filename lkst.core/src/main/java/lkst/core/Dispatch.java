package lkst.core;

import lkst.api.HandlerContext;

/**
 * One immutable dispatch table: for each event ID, the handler entry the active maskset names. An event source
 * reads the engine's current table once per event, so every event is handled under exactly one maskset even
 * while another is being switched in.
 */
final class Dispatch implements HandlerContext {
    /** The handler ID named for an event, and the entry bound to that ID (null while unbound). */
    static final class Slot {
        final int handlerId;
        final HandlerEntry entry;

        Slot(int handlerId, HandlerEntry entry) {
            this.handlerId = handlerId;
            this.entry = entry;
        }
    }

    final String maskset;
    final long generation;
    final Slot[] slots;
    final int enabled;

    Dispatch(String maskset, long generation, Slot[] slots) {
        this.maskset = maskset;
        this.generation = generation;
        this.slots = slots;
        int n = 0;
        for (Slot s : slots) if (s != null) n++;
        this.enabled = n;
    }

    @Override
    public String maskset() { return maskset; }

    @Override
    public long generation() { return generation; }
}
