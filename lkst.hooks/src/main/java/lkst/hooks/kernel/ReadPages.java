package lkst.hooks.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import lkst.hooks.ftrace.PageDecoder;

/** Whole sub-buffers copied with read() from {@code trace_pipe_raw} into one page of native memory, reused. */
final class ReadPages implements PageSource {
    /** A page read with less than this room left is taken as finished by the kernel. */
    private static final int PARTIAL_SLACK = 256;

    private final int fd;
    private final int subbufSize;
    private final int dataSize;
    private final Memory pageMem;
    private final ByteBuffer page;
    private long calls;

    ReadPages(int fd, int subbufSize, int dataOffset) {
        this.fd = fd;
        this.subbufSize = subbufSize;
        this.dataSize = subbufSize - dataOffset;
        this.pageMem = new Memory(subbufSize);
        this.page = pageMem.getByteBuffer(0, subbufSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public CpuReader.Mode mode() { return CpuReader.Mode.READ; }

    @Override
    public int subbufSize() { return subbufSize; }

    @Override
    public int pump(PageDecoder decoder) {
        long n;
        calls++;
        try {
            n = Libc.read(fd, pageMem, pageMem.size());
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.EAGAIN || e.getErrorCode() == Libc.EINTR) return NOTHING;
            throw e;
        }
        if (n <= 0) return NOTHING;
        int end = decoder.decode(page, 0, 0);
        return end + PARTIAL_SLACK < dataSize ? PARTIAL : FULL;
    }

    @Override
    public long calls() { return calls; }

    @Override
    public void close() { /* the page is freed with its Memory */ }
}
