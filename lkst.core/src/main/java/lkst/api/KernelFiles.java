package lkst.api;

import java.util.Collection;
import java.util.Map;

/**
 * An event source that can hand over what the kernel said about its events (the kernel bridge), so that a trace
 * keeps it beside its records: the recording's logger asks when it starts and when it stops, and writes the answer
 * into the trace directory's {@code kernel/} folder. Registered as an OSGi service.
 */
public interface KernelFiles {
    /**
     * The kernel's own files, verbatim, by their path in the trace's {@code kernel/} folder: {@code arch} (uname -m),
     * {@code events/header_page}, {@code events/header_event}, {@code events/SYSTEM/EVENT/format} of each of
     * {@code tracepoints} ("system:event") the kernel has, and where readable {@code kallsyms}, {@code saved_cmdlines}
     * and {@code saved_tgids}. Files that cannot be read are left out; empty when the source has no kernel.
     */
    Map<String, byte[]> kernelFiles(Collection<String> tracepoints);
}
