package lkst.hooks.kernel;

import lkst.hooks.ftrace.PageDecoder;

/**
 * Where a CPU reader gets the kernel's sub-buffers from: copied with read() ({@link ReadPages}) or consumed in place
 * from the mapping ({@link MappedPages}). Each {@link #pump} hands what the kernel has ready now to the decoder,
 * without waiting; the reader's thread, poll and tuning are {@link CpuReader}'s. Used by one thread at a time.
 */
interface PageSource extends AutoCloseable {
    /** {@link #pump} found nothing new. */
    int NOTHING = 0;
    /** {@link #pump} read a page the kernel had finished with, or a new one: there may be more at once. */
    int FULL = 1;
    /** {@link #pump} read new events from the page the kernel is still writing: it caught up. */
    int PARTIAL = 2;

    CpuReader.Mode mode();

    /** Size of one sub-buffer, header included, as this source hands them over. */
    int subbufSize();

    /** Decodes what the kernel has ready now: {@link #NOTHING}, {@link #FULL} or {@link #PARTIAL}. */
    int pump(PageDecoder decoder);

    /** read() or GET_READER calls so far (may lag: counted by the reader's thread without synchronisation). */
    long calls();

    /** Releases the page memory or the mapping (not the file descriptor, which the reader owns). */
    @Override
    void close();
}
