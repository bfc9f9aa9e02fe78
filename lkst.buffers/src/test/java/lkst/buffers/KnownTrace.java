package lkst.buffers;

import static lkst.buffers.SyntheticEvent.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lkst.api.EventType;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.trace.TraceLosses;

/**
 * A small trace whose timeline is known by construction (times in ns). cpu0: work(100) runs 1000–3000, is
 * preempted (R+) by sleeper(200), woken at 1500, which runs 3000–6000 and sleeps (S); work runs 6000–10000 and
 * yields (R). cpu1: other(300) runs 2000–2600 and sleeps; sleeper is woken at 7000 and runs 9000–11000, then sleeps.
 * So: 3 slices on cpu0, 2 on cpu1. One hard IRQ on cpu0 (2100–2150), one softirq (2200–2300), syscalls of sleeper
 * (read -EAGAIN 3500–3800, write 4000–5000 and 5200–5400) and an exit without entry on cpu1 at 500, a JVM event of
 * thread 7 at 5500; 3 events lost by the kernel on cpu 0.
 */
public final class KnownTrace {
    private KnownTrace() {}

    public static final int CPU0_SLICES = 3;
    public static final int CPU1_SLICES = 2;

    public static Path write(Path dir) {
        List<EventType> types = new ArrayList<>(KERNEL);
        types.add(TestEvent.NAMED);
        try (BufferSet set = new BufferSet(dir, 2, 64 * 1024, BufferMode.DISCARD, types)) {
            set.record(of(SYS_EXIT, 1, 500, 300, 56, 0));
            set.record(sw(0, 1000, "swapper/0", 0, 0, "work", 100));
            set.record(of(WAKEUP, 1, 1500, 300, "sleeper", 200, 120, 0));
            set.record(sw(1, 2000, "swapper/1", 0, 0, "other", 300));
            set.record(of(IRQ_ENTRY, 0, 2100, 100, 1, "timer"));
            set.record(of(IRQ_EXIT, 0, 2150, 100, 1, 1));
            set.record(of(SOFTIRQ_ENTRY, 0, 2200, 100, 1));
            set.record(of(SOFTIRQ_EXIT, 0, 2300, 100, 1));
            set.record(sw(1, 2600, "other", 300, 1, "swapper/1", 0));
            set.record(sw(0, 3000, "work", 100, 0x100, "sleeper", 200));
            set.record(of(SYS_ENTER, 0, 3500, 200, 0));
            set.record(of(SYS_EXIT, 0, 3800, 200, 0, -11));
            set.record(of(SYS_ENTER, 0, 4000, 200, 1));
            set.record(of(SYS_EXIT, 0, 5000, 200, 1, 5));
            set.record(of(SYS_ENTER, 0, 5200, 200, 1));
            set.record(of(SYS_EXIT, 0, 5400, 200, 1, 3));
            set.record(new TestEvent().named(1, 5500, 7, "jvm"));
            set.record(sw(0, 6000, "sleeper", 200, 1, "work", 100));
            set.record(of(WAKEUP, 0, 7000, 100, "sleeper", 200, 120, 1));
            set.record(sw(1, 9000, "swapper/1", 0, 0, "sleeper", 200));
            set.record(sw(0, 10000, "work", 100, 0, "swapper/0", 0));
            set.record(sw(1, 11000, "sleeper", 200, 1, "swapper/1", 0));
        }
        new TraceLosses(Map.of(0, Map.of("kernel", 3L, "buffers", 0L), 1, Map.of("kernel", 0L, "buffers", 0L))).write(dir);
        return dir;
    }
}
