package lkst.buffers.ring;

/**
 * Layout of one record inside a buffer page. Little-endian; records start at multiples of 8.
 *
 * <pre>
 *        0               4               8               12              16
 *        +---------------+---------------+---------------+---------------+
 *      0 | size (s32)    | stamp (u32)   | event id (s32)| payload length|
 *        +---------------+---------------+---------------+---------------+
 *     16 | timestamp (s64, monotonic ns) | pid (s32)     | tid (s32)     |
 *        +-------------------------------+---------------+---------------+
 *     32 | payload: payload length bytes, then unused bytes up to size   |
 *        +---------------------------------------------------------------+
 * </pre>
 * <ul>
 * <li>size: bytes the record occupies, a multiple of 8; negative while being written, positive once committed.
 * size and stamp are one long (the record's first word), committed by one release store.</li>
 * <li>stamp: (position &gt;&gt;&gt; 3) as u32: tells this lap's record from an older one at the same offset, and a
 * record from the garbage of a torn one.</li>
 * </ul>
 * A <em>padding</em> record has event id 0 and fills the rest of a page; it is at least 16 bytes (a writer
 * whose record would leave exactly 8 bytes takes them as slack). The CPU is implied by the buffer.
 */
public final class RecordDescriptor {
    private RecordDescriptor() {}

    public static final int WORD_OFFSET = 0;          // size | stamp << 32, one atomic long
    public static final int EVENT_ID_OFFSET = 8;
    public static final int PAYLOAD_LENGTH_OFFSET = 12;
    public static final int TIMESTAMP_OFFSET = 16;
    public static final int PID_OFFSET = 24;
    public static final int TID_OFFSET = 28;
    public static final int HEADER_LENGTH = 32;
    public static final int PADDING_LENGTH = 16;
    public static final int PADDING_ID = 0;
    public static final int ALIGNMENT = 8;

    public static int align(int length) { return (length + ALIGNMENT - 1) & -ALIGNMENT; }

    public static int stamp(long position) { return (int) (position >>> 3); }

    public static long word(long position, int size) { return ((long) stamp(position) << 32) | (size & 0xffffffffL); }

    public static int size(long word) { return (int) word; }

    public static int stampOf(long word) { return (int) (word >>> 32); }

    /** This layout as one line of {@code trace.meta} (its {@code layout record} item), made from the offsets above. */
    public static String layout() {
        return "record header=" + HEADER_LENGTH + " align=" + ALIGNMENT + " size:s32@" + WORD_OFFSET + "(negative=uncommitted) stamp:u32@"
                + (WORD_OFFSET + 4) + "(=position>>>3) event:s32@" + EVENT_ID_OFFSET + "(" + PADDING_ID + "=padding) payload_length:s32@"
                + PAYLOAD_LENGTH_OFFSET + " timestamp:s64@" + TIMESTAMP_OFFSET + " pid:s32@" + PID_OFFSET + " tid:s32@" + TID_OFFSET
                + " payload@" + HEADER_LENGTH + "; little-endian";
    }
}
