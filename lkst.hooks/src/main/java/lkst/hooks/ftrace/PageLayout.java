package lkst.hooks.ftrace;

/**
 * Where the fields of a ring-buffer sub-buffer (page) header are, as {@code events/header_page} and
 * {@code events/header_event} publish them. On 64-bit Linux (6.x):
 * <pre>
 *   page:   u64 timestamp @0 | local_t commit @8 (size 8; bits 31 and 30 are flags) | data @16 … subbuf end
 *   event:  u32 { type_len:5, time_delta:27 } then array[] (length word, time extend high bits, or payload)
 *           type_len 29 padding, 30 time extend, 31 absolute time stamp, 1..28 payload length / 4, 0 length in array[0]
 * </pre>
 *
 * @param timestampOffset offset of the page's base timestamp
 * @param commitOffset    offset of the commit word (bytes of data written, flags in its high bits)
 * @param commitSize      4 or 8 bytes
 * @param dataOffset      where the first event starts
 * @param dataSize        room for events in one page (sub-buffer size minus the header)
 * @param typeLenBits     bits of type_len in the event header (5)
 * @param timeDeltaBits   bits of time_delta (27): the shift of a time extend's high part
 * @param paddingType     type_len of padding (29)
 * @param timeExtendType  type_len of a time extend (30)
 * @param timeStampType   type_len of an absolute time stamp (31)
 * @param maxDataType     highest type_len that is a data length (28)
 */
public record PageLayout(int timestampOffset, int commitOffset, int commitSize, int dataOffset, int dataSize,
                         int typeLenBits, int timeDeltaBits, int paddingType, int timeExtendType, int timeStampType,
                         int maxDataType) {
    /** commit flag: events were lost before this page (kernel RB_MISSED_EVENTS) */
    public static final long MISSED_EVENTS = 1L << 31;
    /** commit flag: the number lost is stored right after the page's data (kernel RB_MISSED_STORED) */
    public static final long MISSED_STORED = 1L << 30;
    /** the commit bits that are a length */
    public static final long COMMIT_MASK = MISSED_STORED - 1;

    /** This layout for sub-buffers of {@code subbufSize} bytes (an instance may use larger ones than header_page states). */
    public PageLayout withSubbufSize(int subbufSize) {
        return new PageLayout(timestampOffset, commitOffset, commitSize, dataOffset, subbufSize - dataOffset, typeLenBits,
                timeDeltaBits, paddingType, timeExtendType, timeStampType, maxDataType);
    }

    /** Bytes of one sub-buffer, header included. */
    public int subbufSize() { return dataOffset + dataSize; }

    /** The layout of Linux 6.x on a 64-bit machine, for tests without tracefs. */
    public static PageLayout linux64() {
        return new PageLayout(0, 8, 8, 16, 4080, 5, 27, 29, 30, 31, 28);
    }
}
