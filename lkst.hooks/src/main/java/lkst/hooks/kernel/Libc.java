package lkst.hooks.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The few libc calls the per-CPU readers need, bound by JNA direct mapping (the cheapest JNA call path; one call per
 * page, never per event). Failures throw {@link LastErrorException} carrying errno.
 */
final class Libc {
    static final int O_RDONLY = 0;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int PROT_READ = 1;
    static final int MAP_SHARED = 1;
    static final short POLLIN = 1;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final long MAP_FAILED = -1L;

    static {
        Native.register(Libc.class, NativeLibrary.getInstance("c"));
    }

    private Libc() {}

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native long read(int fd, Pointer buf, long count) throws LastErrorException;

    static native long write(int fd, Pointer buf, long count) throws LastErrorException;

    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    /** A counter fd that poll() sees readable while it is not 0: a reader's wake-up for stops and flushes. */
    static native int eventfd(int initval, int flags) throws LastErrorException;

    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    static native int munmap(Pointer addr, long length) throws LastErrorException;

    /** ioctl is variadic in C; a fixed third argument is passed the same way on x86-64 and arm64. */
    static native int ioctl(int fd, long request, long arg) throws LastErrorException;

    /** {@code fds} points to {@code struct pollfd { int fd; short events; short revents; }} (8 bytes each). */
    static native int poll(Pointer fds, long nfds, int timeoutMs) throws LastErrorException;

    static native int getpid();

    static final int PRIO_PROCESS = 0;

    /** Sets the nice value of a task (a thread ID here): lower runs first. */
    static native int setpriority(int which, int who, int prio) throws LastErrorException;

    static final int SCHED_FIFO = 1;

    /** Sets the scheduling policy of a task (a thread ID here); {@code param} points to {@code struct sched_param { int prio; }}. */
    static native int sched_setscheduler(int pid, int policy, Pointer param) throws LastErrorException;

    /** Sets the CPUs a task (a thread ID here) may run on; {@code mask} is a bit mask of {@code size} bytes. */
    static native int sched_setaffinity(int pid, long size, Pointer mask) throws LastErrorException;

    /** The calling thread's kernel task ID (glibc 2.30+). */
    static native int gettid();

    /** "errno N (text)" for an exception thrown by one of these calls. */
    static String describe(LastErrorException e) {
        return "errno " + e.getErrorCode() + " (" + e.getMessage() + ")";
    }
}
