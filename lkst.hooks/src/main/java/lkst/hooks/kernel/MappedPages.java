package lkst.hooks.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import lkst.hooks.ftrace.PageDecoder;

/**
 * The ring buffer mapped (Linux 6.10+) and consumed in place, sub-buffer by sub-buffer, through
 * {@code TRACE_MMAP_IOCTL_GET_READER}.
 *
 * <p>Meta page of the mapping (uapi {@code struct trace_buffer_meta}, linux/trace_mmap.h):
 * <pre>
 *   u32 meta_page_size @0 | u32 meta_struct_len @4 | u32 subbuf_size @8 | u32 nr_subbufs @12
 *   reader: u64 lost_events @16 | u32 id @24 | u32 read @28
 *   u64 flags @32 | u64 entries @40 | u64 overrun @48 | u64 read @56
 * </pre>
 * Sub-buffers follow at file offset meta_page_size, in ID order.
 */
final class MappedPages implements PageSource {
    /** {@code _IO('R', 0x20)} */
    static final long TRACE_MMAP_IOCTL_GET_READER = 0x5220;
    private static final int META_PAGE_SIZE = 0, META_SUBBUF_SIZE = 8, META_NR_SUBBUFS = 12, META_READER_ID = 24,
            META_READER_READ = 28;

    private final int fd;
    private Pointer metaPtr;
    private long metaLen;
    private ByteBuffer meta;
    private Pointer dataPtr;
    private long dataLen;
    private ByteBuffer data;
    private int subbufSize;
    private int readerId = -1;
    private int readerPos;
    private long calls;

    /** Maps the buffer of {@code fd}; throws {@link LastErrorException} (nothing left mapped) when the kernel refuses. */
    MappedPages(int fd) {
        this.fd = fd;
        try {
            map();
        } catch (LastErrorException e) {
            close();
            throw e;
        }
    }

    private void map() {
        long pageSize = 4096;
        metaPtr = Libc.mmap(null, pageSize, Libc.PROT_READ, Libc.MAP_SHARED, fd, 0);
        metaLen = pageSize;
        meta = metaPtr.getByteBuffer(0, pageSize).order(ByteOrder.LITTLE_ENDIAN);
        int metaPageSize = meta.getInt(META_PAGE_SIZE);
        if (metaPageSize > pageSize) { // a meta page larger than one system page: map it whole
            Libc.munmap(metaPtr, metaLen);
            metaPtr = Libc.mmap(null, metaPageSize, Libc.PROT_READ, Libc.MAP_SHARED, fd, 0);
            metaLen = metaPageSize;
            meta = metaPtr.getByteBuffer(0, metaLen).order(ByteOrder.LITTLE_ENDIAN);
        }
        subbufSize = meta.getInt(META_SUBBUF_SIZE);
        dataLen = (long) subbufSize * meta.getInt(META_NR_SUBBUFS);
        dataPtr = Libc.mmap(null, dataLen, Libc.PROT_READ, Libc.MAP_SHARED, fd, metaPageSize);
        data = dataPtr.getByteBuffer(0, dataLen).order(ByteOrder.LITTLE_ENDIAN);
        // the reader page at mapping time may hold events; those before reader.read were consumed already
        readerId = meta.getInt(META_READER_ID);
        readerPos = meta.getInt(META_READER_READ);
    }

    @Override
    public CpuReader.Mode mode() { return CpuReader.Mode.MMAP; }

    @Override
    public int subbufSize() { return subbufSize; }

    /**
     * One step of the mmap reader. GET_READER either hands over the next sub-buffer, or, when the current one still
     * had data the kernel had not seen read, marks it read and keeps it: so a page whose events were all decoded
     * needs a second call to move on.
     */
    @Override
    public int pump(PageDecoder decoder) {
        for (int attempt = 0; attempt < 2; attempt++) {
            calls++;
            Libc.ioctl(fd, TRACE_MMAP_IOCTL_GET_READER, 0);
            int id = meta.getInt(META_READER_ID);
            int base = id * subbufSize;
            if (id != readerId) {
                // a new sub-buffer: read it whole. (meta reader.read already says "all of it": the kernel counts
                // the page as consumed when it hands it over.)
                readerId = id;
                readerPos = decoder.decode(data, base, 0);
                return FULL;
            }
            int pos = decoder.decode(data, base, readerPos);
            if (pos != readerPos) {
                readerPos = pos;
                return PARTIAL; // the same page grew: the kernel is writing on it
            }
        }
        return NOTHING;
    }

    @Override
    public long calls() { return calls; }

    @Override
    public void close() {
        try {
            if (dataPtr != null) Libc.munmap(dataPtr, dataLen);
            if (metaPtr != null) Libc.munmap(metaPtr, metaLen);
        } catch (LastErrorException e) {
            Log.warn("munmap of trace_pipe_raw failed: " + Libc.describe(e));
        }
        dataPtr = null;
        metaPtr = null;
        data = null;
        meta = null;
    }
}
