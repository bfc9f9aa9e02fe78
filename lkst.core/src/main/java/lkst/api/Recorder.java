package lkst.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Stores events in the recording buffers; provided by the buffers bundle, used by handlers such as record. */
@ConsumerType
public interface Recorder {
    /**
     * Records the event into the current buffer of its CPU.
     *
     * @return false when the record was lost (buffer full in discard mode); the loss is counted by the recorder
     */
    boolean record(Event event);
}
