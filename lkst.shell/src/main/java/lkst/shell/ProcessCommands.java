package lkst.shell;

import lkst.hooks.kernel.api.KernelControl;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lkst:traceprocess PID}: LKST/J keeps its own JVM and the processes it starts out of the kernel trace; a
 * launcher (./lkst record) names the command it started for tracing, before tracing starts and before the command
 * execs.
 */
@Component(service = ProcessCommands.class, property = {"osgi.command.scope=lkst", "osgi.command.function=traceprocess"})
public final class ProcessCommands {
    private final KernelControl kernel;

    @Activate
    public ProcessCommands(@Reference KernelControl kernel) {
        this.kernel = kernel;
    }

    @Descriptor("trace a process this JVM started (it and its children leave the list of LKST/J's own, kept out of the trace); best before tracing starts")
    public String traceprocess(@Descriptor("pid of the process") int pid) {
        if (kernel.unavailable() != null) return "kernel events unavailable: nothing to do for " + pid;
        return kernel.traceProcess(pid) ? "process " + pid + " is traced" : "process " + pid + " was traced already";
    }
}
