package lkst.buffers.log;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** Real-time scheduling for the logger thread, through glibc's {@code sched_setscheduler} (JNA). */
final class Scheduling {
    private static final int SCHED_FIFO = 1;
    private static final String UNAVAILABLE;

    static {
        String why = null;
        try {
            Native.register(Scheduling.class, NativeLibrary.getInstance("c"));
        } catch (Throwable t) { // no JNA, or not Linux
            why = "no native access (" + t + ")";
        }
        UNAVAILABLE = why;
    }

    private Scheduling() {}

    private static native int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

    /** Makes the calling thread SCHED_FIFO {@code priority}; returns why not, or null when it is. */
    static String fifo(int priority) {
        if (UNAVAILABLE != null) return UNAVAILABLE;
        try {
            sched_setscheduler(0, SCHED_FIFO, new int[] {priority}); // pid 0: the calling thread
            return null;
        } catch (LastErrorException e) {
            return e.getErrorCode() == 1 ? "not permitted (EPERM: needs root or CAP_SYS_NICE)" : "errno " + e.getErrorCode();
        }
    }
}
