package lkst.hooks.kernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps LKST/J's own JVM out of its trace, as trace-cmd keeps itself out of its own: every thread of the JVM is in
 * the instance's {@code set_event_notrace_pid}, and the kernel itself keeps the list up to date
 * ({@code options/event-fork}).
 *
 * <p>Why the kernel follows the JVM rather than LKST/J following {@code /proc/self/task}:
 * <ul>
 * <li>A thread is listed when it is created, by the kernel, before it first runs; a periodic look at the JVM's
 *     threads leaves every thread younger than its period traced, and wakes the JVM when nothing happens.</li>
 * <li>A thread that ends leaves the list when the kernel frees it, so a process that later gets its ID is traced.</li>
 * <li>While tracing, the list is only added to: the kernel offers no way to take one pid out of it but emptying it
 *     (an open with O_TRUNC) and writing the rest back, and in between every thread of the JVM is traced.</li>
 * </ul>
 * The price: a process the JVM starts is its fork, so it is kept out too, until {@link #traceProcess} takes it
 * out of the list. That is a rewrite of the list, so a launcher does it before tracing starts: {@code ./lkst record}
 * starts its command stopped, has its pid traced, starts tracing, then lets the command run to its exec.
 */
final class SelfExclusion {
    /** Rounds of "list the JVM's threads, add those missing" before giving up on a JVM that keeps starting threads. */
    private static final int ROUNDS = 10;
    private static final Path TASKS = Path.of("/proc/self/task");

    private final TraceInstance instance;

    private SelfExclusion(TraceInstance instance) {
        this.instance = instance;
    }

    /** Lists every thread of this JVM in the instance's notrace list and lets the kernel follow its forks. */
    static SelfExclusion start(TraceInstance instance) throws IOException {
        instance.followForks(true);
        SelfExclusion s = new SelfExclusion(instance);
        s.catchUp();
        return s;
    }

    /**
     * Adds the JVM's threads that the list lacks until none is missing. A thread started by a listed thread is listed
     * by the kernel; one started while its parent was not yet listed is found by the next look.
     */
    private void catchUp() throws IOException {
        for (int round = 0; round < ROUNDS; round++) {
            Set<Integer> missing = threads();
            missing.removeAll(instance.excludedPids());
            if (missing.isEmpty()) return;
            instance.excludePids(missing);
        }
        throw new IOException("the JVM's threads keep changing: not all of them could be kept out of the trace");
    }

    /**
     * Traces process {@code pid}, which this JVM started (and so its later children): it leaves the notrace list.
     * The list is rewritten (see the class comment): call it before tracing starts, or accept that the JVM's threads
     * that run meanwhile are traced for that moment.
     *
     * @return false when the pid was not kept out of the trace (already traced)
     */
    synchronized boolean traceProcess(int pid) throws IOException {
        Set<Integer> listed = instance.excludedPids();
        if (!listed.remove(pid)) return false;
        listed.addAll(threads()); // threads started since the list was read
        listed.remove(pid);
        instance.replaceExcludedPids(listed);
        catchUp(); // and those started during the rewrite
        return true;
    }

    /** Threads of this JVM the kernel does not keep out of the trace (normally none). */
    Set<Integer> traced() throws IOException {
        Set<Integer> t = threads();
        t.removeAll(instance.excludedPids());
        return t;
    }

    /** The thread IDs of this JVM now. */
    static Set<Integer> threads() throws IOException {
        Set<Integer> tids = new TreeSet<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path t : tasks) tids.add(Integer.parseInt(t.getFileName().toString()));
        }
        return tids;
    }
}
