package lkst.buffers.ring;

/**
 * Layout of one buffer file: a 4 KiB header, then {@code capacity} bytes of records. Every number is
 * little-endian. The counters live in the file so that they survive the JVM (recovery reads them).
 *
 * <pre>
 *      0                   8       12      16      20      24      28      32      36      40
 *      +-------------------+-------+-------+-------+-------+-------+-------+-------+-------+-- ... --+
 *      | magic "LKSTBUF1"  |version|hdr len|  id   |  cpu  |capacit| page  | mode  | next  |segment| reserved|
 *      +-------------------+-------+-------+-------+-------+-------+-------+-------+-------+-------+-- ... --+
 *     64 position (s64)  reservation counter: logical bytes ever claimed; CAS by writers
 *     72 written  (s64)  records committed (bits 0–62); bit 63 set: the logger waits for the next record (a live
 *                        flag: readers leave it out)
 *     80 lost     (s64)  records refused: discard mode full, larger than a page, or (overwrite mode) the page
 *                        they would reuse still holds a record whose writer has not committed it
 *    128 consumed (s64)  logical position up to which the logger has drained (its own cache line)
 *   4096 data: capacity bytes = capacity / page pages of records (see {@link RecordDescriptor});
 *        logical position p lives at 4096 + (p &amp; (capacity - 1)). Records never cross a page, so every page
 *        starts with a record and a reader can start at any page of the last lap.
 * </pre>
 * capacity is a power of two (4 KiB … 1 GiB); page = min(capacity, 64 KiB); mode 0 = overwrite, 1 = discard;
 * next = ID of the next buffer of the chain, or -1. segment (s32 at 40): 0 in a buffer file; in a file the logger or
 * recovery wrote ({@code trace.SegmentWriter}), its number in the series (1, 2, …), and id is then the ID of the
 * buffer its records came from (of the first record's when they came from several: {@code trace.meta} lists all).
 * Such a file ends after its records: shorter than 4096 + capacity.
 */
public final class BufferDescriptor {
    private BufferDescriptor() {}

    public static final long MAGIC = 0x3146554254534b4cL; // "LKSTBUF1" little-endian
    public static final int VERSION = 1;
    public static final int FILE_HEADER_LENGTH = 4096;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int ID_OFFSET = 16;
    public static final int CPU_OFFSET = 20;
    public static final int CAPACITY_OFFSET = 24;
    public static final int PAGE_OFFSET = 28;
    public static final int MODE_OFFSET = 32;
    public static final int NEXT_OFFSET = 36;
    public static final int SEGMENT_OFFSET = 40;

    public static final int POSITION_OFFSET = 64;
    public static final int WRITTEN_OFFSET = 72;
    public static final int LOST_OFFSET = 80;
    public static final int CONSUMED_OFFSET = 128;

    public static final int MIN_CAPACITY = 4096;
    public static final int MAX_CAPACITY = 1 << 30;
    public static final int MAX_PAGE = 64 * 1024;

    /** The capacity actually used for a requested size: the next power of two within the limits. */
    public static int capacityFor(long requested) {
        if (requested <= 0) throw new IllegalArgumentException("buffer size must be positive: " + requested);
        if (requested > MAX_CAPACITY) throw new IllegalArgumentException("buffer size " + requested + " is over the limit of 1 GiB");
        long c = Math.max(MIN_CAPACITY, Long.highestOneBit(requested - 1) << 1);
        return (int) Math.max(MIN_CAPACITY, Math.min(c, MAX_CAPACITY));
    }

    public static int pageFor(int capacity) {
        return Math.min(capacity, MAX_PAGE);
    }

    /** This layout as one line of {@code trace.meta} (its {@code layout buffer-file} item), made from the offsets above. */
    public static String layout() {
        return "buffer-file header=" + FILE_HEADER_LENGTH + " magic=LKSTBUF1:u64@" + MAGIC_OFFSET + " version:s32@" + VERSION_OFFSET
                + " header_length:s32@" + HEADER_LENGTH_OFFSET + " id:s32@" + ID_OFFSET + " cpu:s32@" + CPU_OFFSET
                + " capacity:s32@" + CAPACITY_OFFSET + " page:s32@" + PAGE_OFFSET + " mode:s32@" + MODE_OFFSET
                + "(0=overwrite,1=discard) next:s32@" + NEXT_OFFSET + " segment:s32@" + SEGMENT_OFFSET
                + " position:s64@" + POSITION_OFFSET + " written:s64@" + WRITTEN_OFFSET + " lost:s64@" + LOST_OFFSET
                + " consumed:s64@" + CONSUMED_OFFSET + " data@" + FILE_HEADER_LENGTH + " (position p at " + FILE_HEADER_LENGTH
                + "+p%capacity; records never cross a page)";
    }
}
