package lkst.buffers.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The recording buffers, as the shell and handlers see them. Buffers are per CPU: each CPU has several, each
 * with an ID unique on that CPU, and exactly one current buffer that its events are recorded into. Methods that
 * change something either succeed completely or throw {@link IllegalArgumentException} with one clear message.
 */
public interface Buffers {
    /** Number of CPUs, each with its own buffers. */
    int cpus();

    /** The trace directory holding the buffer files and the metadata. */
    Path directory();

    /** Every buffer, by CPU then ID. */
    List<BufferInfo> list();

    /**
     * Creates buffer {@code id} on {@code cpu}, or on every CPU when {@code cpu} is -1.
     *
     * @param id   the ID, or -1 for the lowest ID free (on every CPU concerned)
     * @param size bytes, rounded up to a power of two (4 KiB … 1 GiB)
     */
    List<BufferInfo> create(int cpu, int id, long size, BufferMode mode);

    /** Deletes a buffer (every CPU's buffer {@code id} when {@code cpu} is -1); not the current one, nor one that is another's next. */
    void delete(int cpu, int id);

    /**
     * Makes buffer {@code bufferId} the current buffer of {@code cpu}. Records being written go on into the
     * buffer they started in: a switch never loses or splits a record. Cheap and allocation-free: a handler may
     * call it for every event.
     *
     * @return false when {@code cpu} has no buffer {@code bufferId}
     */
    boolean switchTo(int cpu, int bufferId);

    /** Switches every CPU that has a buffer {@code bufferId} to it. */
    List<BufferInfo> select(int cpu, int bufferId);

    /** Sets the buffer writing moves on to when buffer {@code id} is full ({@code next} -1: none); cpu -1 = every CPU. */
    List<BufferInfo> chain(int cpu, int id, int next);

    /** Sets the mode of buffer {@code id}; cpu -1 = every CPU. */
    List<BufferInfo> mode(int cpu, int id, BufferMode mode);

    /**
     * The newest {@code max} records (all when {@code max} &lt;= 0), oldest first, of buffer {@code id} of
     * {@code cpu}; -1 for either means all of them.
     */
    List<TraceRecord> read(int cpu, int id, int max);

    /** The same records as text lines (see {@link TraceRecord#text()}). */
    default List<String> print(int cpu, int id, int max) {
        return read(cpu, id, max).stream().map(TraceRecord::text).toList();
    }

    /** Starts the logger: drains every buffer into log files in {@code dir}, each up to {@code fileSize} bytes, keeping {@code files} per CPU. */
    LogStatus logStart(Path dir, long fileSize, int files);

    LogStatus logStop();

    LogStatus logStatus();

    /**
     * Recovers the trace directory {@code dir} left by a process that died: writes every committed record into
     * the new trace directory {@code out} ({@code DIR.recovered} when null), skipping torn records.
     *
     * @return the report: records recovered and torn, then one line per CPU with its count and time span
     * @throws IllegalArgumentException with one line naming the file and offset when {@code dir} is not a readable trace
     */
    List<String> recover(Path dir, Path out);
}
