package lkst.buffers.api;

/**
 * One buffer as the shell lists it.
 *
 * @param cpu     the CPU it belongs to
 * @param id      its ID, unique on its CPU (the default buffer of every CPU is 0)
 * @param size    capacity in bytes
 * @param mode    overwrite (flight recorder) or discard
 * @param next    ID of the buffer writing moves to when this one is full, or -1
 * @param current whether its CPU writes into it now
 * @param written records committed into it
 * @param lost    records it refused or lost
 * @param used    bytes holding records (of the last lap; not yet drained, in discard mode)
 * @param file    the file that holds it
 */
public record BufferInfo(int cpu, int id, long size, BufferMode mode, int next, boolean current,
                         long written, long lost, long used, String file) {
}
