package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.KernelFiles;
import lkst.buffers.api.BufferMode;
import lkst.buffers.component.Recording;
import lkst.buffers.record.BufferSet;
import lkst.buffers.recover.Recovery;
import lkst.buffers.trace.KernelFolder;
import lkst.buffers.trace.TraceMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace directory's format version 2 (trace.meta and the kernel/ folder) and version 1 traces still read. */
class TraceVersionTest {
    static final EventType SWITCH = new EventType(2000, "sched:sched_switch", "kernel", EventSource.KERNEL, false, List.of(),
            List.of("sched:sched_switch"), List.of(), null);

    @TempDir Path tmp;
    Recording rec;

    @AfterEach
    void close() {
        if (rec != null) rec.close();
    }

    /** A real kernel trace written by the version 1 code (commit 9a68b48), with its print and stats output then. */
    private Path v1Trace() throws IOException {
        Path dir = tmp.resolve("v1");
        Files.createDirectories(dir);
        for (String f : List.of("trace.meta", "trace.lost", "cpu0-log-000001.lkst", "cpu1-log-000001.lkst")) {
            try (InputStream in = getClass().getResourceAsStream("/v1-trace/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    private List<String> resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/" + name)) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    @Test
    void aVersion1TracePrintsAsItDidThen() throws IOException {
        Path v1 = v1Trace();
        assertEquals(1, TraceMetadata.read(v1).version());
        Tool print = Tool.run("print", v1.toString());
        assertEquals(0, print.exit(), print.err().toString());
        assertEquals(resource("v1-trace.print"), print.out());
        Tool stats = Tool.run("stats", v1.toString());
        assertEquals(0, stats.exit(), stats.err().toString());
        assertEquals(resource("v1-trace.stats"), stats.out());
    }

    @Test
    void aNewTraceIsVersion2() {
        try (BufferSet set = new BufferSet(tmp.resolve("t"), 1, 4096, BufferMode.OVERWRITE, List.of(TestEvent.SEQ))) {
            assertEquals(2, TraceMetadata.read(set.directory()).version());
        }
    }

    @Test
    void aLaterVersionIsRefusedInOneLine() throws IOException {
        Path t = tmp.resolve("t");
        new BufferSet(t, 1, 4096, BufferMode.OVERWRITE, List.of(TestEvent.SEQ)).close();
        Path meta = t.resolve(TraceMetadata.FILE);
        Files.writeString(meta, Files.readString(meta).replace("format\tlkst-trace\t2", "format\tlkst-trace\t3"));
        Tool print = Tool.run("print", t.toString());
        assertEquals(1, print.exit());
        assertEquals(1, print.err().size(), print.err().toString());
        assertTrue(print.err().get(0).contains("unsupported format version 3 (this reader knows 1 to 2)"), print.err().get(0));
    }

    /** A source that answers with what it was asked and how often: the kernel bridge's part is KernelFileCopyTest's. */
    static final class Kernel implements KernelFiles {
        final AtomicInteger calls = new AtomicInteger();
        final List<Collection<String>> asked = new ArrayList<>();

        @Override
        public synchronized Map<String, byte[]> kernelFiles(Collection<String> tracepoints) {
            asked.add(List.copyOf(tracepoints));
            int n = calls.incrementAndGet();
            return Map.of("arch", "x86_64\n".getBytes(StandardCharsets.US_ASCII),
                    "events/sched/sched_switch/format", "name: sched_switch\n".getBytes(StandardCharsets.US_ASCII),
                    "saved_cmdlines", ("42 call" + n + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void theLoggerKeepsTheKernelsFilesAtStartAndStop() {
        rec = new Recording(new BufferSet(tmp.resolve("trace"), 1, 64 * 1024, BufferMode.DISCARD, List.of(TestEvent.SEQ, SWITCH)));
        Kernel k = new Kernel();
        rec.logger().kernelFiles(() -> List.of(k));
        Path log = tmp.resolve("log");
        rec.logStart(log, 1 << 20, 4);
        assertEquals("42 call2\n", KernelFolder.read(log).savedCmdlines(), "written at start");
        assertEquals("42 call1\n", KernelFolder.read(tmp.resolve("trace")).savedCmdlines(), "and into the buffers' directory");
        rec.record(new TestEvent().seq(0, 0, 1));
        rec.logStop();
        KernelFolder f = KernelFolder.read(log);
        assertEquals("42 call3\n", f.savedCmdlines(), "replaced at stop: the tasks that ran meanwhile");
        assertEquals("x86_64", f.arch());
        assertEquals("name: sched_switch\n", f.format("sched:sched_switch"));
        assertNull(f.format("sched:sched_wakeup"));
        assertTrue(k.asked.get(0).contains("sched:sched_switch"), "asked for the catalog's tracepoints: " + k.asked.get(0));
        assertFalse(Files.exists(log.resolve("kernel.tmp")));
    }

    @Test
    void recoveryKeepsTheKernelFolder() {
        Path t = tmp.resolve("trace");
        try (BufferSet set = new BufferSet(t, 1, 4096, BufferMode.OVERWRITE, List.of(TestEvent.SEQ))) {
            set.record(new TestEvent().seq(0, 0, 1));
            KernelFolder.write(t, new Kernel().kernelFiles(List.of()));
        }
        Recovery.recover(t, tmp.resolve("out"));
        assertEquals("x86_64", KernelFolder.read(tmp.resolve("out")).arch());
    }

    @Test
    void aTraceWithoutKernelFolderReadsAsOneWhoseKernelSaidNothing() throws IOException {
        KernelFolder f = KernelFolder.read(v1Trace());
        assertFalse(f.exists());
        assertNull(f.arch());
        assertNull(f.format("sched:sched_switch"));
        assertNull(f.kallsyms());
    }
}
