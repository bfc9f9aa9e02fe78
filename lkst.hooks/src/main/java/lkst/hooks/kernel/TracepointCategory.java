package lkst.hooks.kernel;

/** The catalog category of a tracepoint added at run time, from its ftrace system, in LKST's categories. */
final class TracepointCategory {
    private TracepointCategory() {}

    static String of(String tracepoint) {
        String sys = tracepoint.substring(0, tracepoint.indexOf(':'));
        return switch (sys) {
            case "sched", "task", "signal", "oom", "cgroup" -> "process";
            case "irq", "irq_vectors", "ipi" -> "interrupt";
            case "exceptions" -> "exception";
            case "raw_syscalls", "syscalls" -> "syscall";
            case "kmem", "vmalloc", "filemap", "vmscan", "writeback", "huge_memory", "compaction", "pagemap", "percpu",
                 "mmap", "migrate", "cma" -> "memory";
            case "block", "ext4", "xfs", "jbd2", "iomap", "fs", "filelock" -> "fs";
            case "net", "sock", "skb", "tcp", "udp", "napi", "qdisc", "neigh", "fib", "fib6" -> "net";
            case "lock" -> "lock";
            case "timer", "alarmtimer", "hrtimer" -> "timer";
            default -> "other";
        };
    }
}
