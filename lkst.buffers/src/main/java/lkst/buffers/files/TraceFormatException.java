package lkst.buffers.files;

/** A trace file that cannot be read: the message names the file and the offset, in one line. */
public final class TraceFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;

    public TraceFormatException(String file, long offset, String what) {
        super(file + ": offset " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
    }

    public TraceFormatException(String file, String what) {
        super(file + ": " + what);
        this.file = file;
        this.offset = -1;
    }

    public String file() { return file; }

    /** Byte offset in the file, or -1 when the problem is not at one place (a line of the metadata: in the message). */
    public long offset() { return offset; }
}
