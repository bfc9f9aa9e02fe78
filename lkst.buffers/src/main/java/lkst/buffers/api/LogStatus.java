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
}
