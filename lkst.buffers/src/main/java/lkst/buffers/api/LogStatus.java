package lkst.buffers.api;

import java.util.List;

/**
 * The logger's state.
 *
 * @param running  whether it drains now
 * @param dir      the directory it writes to (null when never started)
 * @param fileSize size limit of one log file in bytes
 * @param files    how many log files per CPU it keeps (the oldest are deleted)
 * @param records  records written to the log
 * @param bytes    bytes of records written to the log
 * @param overwritten bytes of records overwritten in overwrite-mode buffers before the logger could drain them
 *                 (bytes, not events: the kernel's "overrun" counts events, see lkst.buffers/README.md's glossary)
 * @param torn     records skipped because their writer never finished them
 * @param segments the log files now in the directory
 * @param error    why the logger stopped by itself (a write failed: disk full …), or null
 */
public record LogStatus(boolean running, String dir, long fileSize, int files, long records, long bytes,
                        long overwritten, long torn, List<String> segments, String error) {
    /** One line: running or stopped, where, records, bytes, files, and what was overwritten, torn or failed. */
    public String line() {
        if (dir == null) return "logger never started";
        return String.format("logger %s %s: %d records, %d bytes, %d files%s%s%s", running ? "running to" : "stopped, wrote to",
                dir, records, bytes, segments.size(),
                overwritten > 0 ? ", " + overwritten + " bytes overwritten before drained" : "",
                torn > 0 ? ", " + torn + " torn records skipped" : "",
                error != null ? "; stopped by an error: " + error : "");
    }

    /** {@link #line()}, then the file size and count kept and one line per log file (what {@code lkst:log} shows). */
    public String text() {
        StringBuilder b = new StringBuilder(line());
        if (dir != null) {
            b.append(String.format("%nfile size %s, %d files per cpu kept", size(fileSize), files));
            segments.forEach(f -> b.append("\n  ").append(f));
        }
        return b.toString();
    }

    private static String size(long bytes) {
        if (bytes % (1 << 20) == 0) return (bytes >> 20) + " MiB";
        if (bytes % (1 << 10) == 0) return (bytes >> 10) + " KiB";
        return bytes + " B";
    }
}
