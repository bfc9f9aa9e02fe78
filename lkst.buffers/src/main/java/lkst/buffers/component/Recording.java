package lkst.buffers.component;

import java.nio.file.Path;
import java.util.List;
import lkst.api.Event;
import lkst.api.Recorder;
import lkst.api.StatusSource;
import lkst.buffers.api.BufferInfo;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.Buffers;
import lkst.buffers.api.LogStatus;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.files.TraceFormatException;
import lkst.buffers.log.Logger;
import lkst.buffers.record.BufferSet;
import lkst.buffers.record.Sizes;
import lkst.buffers.recover.Recovery;

/**
 * What the buffers bundle offers, in plain Java: the {@link Recorder} that handlers write through, the
 * {@link Buffers} that the shell and handlers manage, and the "buffers" status line. The OSGi component is a thin
 * subclass; tests and benchmarks use this directly.
 */
public class Recording implements Recorder, Buffers, StatusSource, AutoCloseable {
    private final BufferSet set;
    private final Logger logger;

    public Recording(BufferSet set) {
        this.set = set;
        this.logger = new Logger(set);
    }

    public BufferSet bufferSet() { return set; }

    /** The logger that {@link #logStart} runs. */
    public Logger logger() { return logger; }

    @Override
    public boolean record(Event event) { return set.record(event); }

    @Override
    public int cpus() { return set.cpus(); }

    @Override
    public Path directory() { return set.directory(); }

    @Override
    public List<BufferInfo> list() { return set.list(); }

    @Override
    public List<BufferInfo> create(int cpu, int id, long size, BufferMode mode) { return set.create(cpu, id, size, mode); }

    @Override
    public void delete(int cpu, int id) { set.delete(cpu, id); }

    @Override
    public boolean switchTo(int cpu, int bufferId) { return set.switchTo(cpu, bufferId); }

    @Override
    public List<BufferInfo> select(int cpu, int bufferId) { return set.select(cpu, bufferId); }

    @Override
    public List<BufferInfo> chain(int cpu, int id, int next) { return set.chain(cpu, id, next); }

    @Override
    public List<BufferInfo> mode(int cpu, int id, BufferMode mode) { return set.mode(cpu, id, mode); }

    @Override
    public List<TraceRecord> read(int cpu, int id, int max) { return set.read(cpu, id, max); }

    @Override
    public LogStatus logStart(Path dir, long fileSize, int files) { return logger.start(dir, fileSize, files); }

    @Override
    public LogStatus logStop() { return logger.stop(); }

    @Override
    public LogStatus logStatus() { return logger.status(); }

    @Override
    public List<String> recover(Path dir, Path out) {
        try {
            Recovery.Report r = Recovery.recover(dir, out != null ? out : Recovery.defaultOutput(dir));
            List<String> lines = new java.util.ArrayList<>(r.lines());
            for (String d : r.damage()) lines.add("not recovered: " + d); // what the output lacks, and why
            return lines;
        } catch (TraceFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    @Override
    public String name() { return "buffers"; }

    @Override
    public String status() {
        StringBuilder s = new StringBuilder("trace directory ").append(set.directory());
        long written = 0;
        long lost = 0;
        for (BufferInfo b : set.list()) {
            written += b.written();
            lost += b.lost();
            s.append("\ncpu ").append(b.cpu()).append(" buffer ").append(b.id()).append(b.current() ? " (current)" : "")
                    .append(": ").append(Sizes.format(b.size())).append(' ').append(b.mode())
                    .append(b.next() >= 0 ? " next " + b.next() : "")
                    .append(", written ").append(b.written()).append(", lost ").append(b.lost());
        }
        s.insert(0, "written " + written + ", lost " + lost + (set.unroutable() > 0 ? ", bad cpu " + set.unroutable() : "") + "; ");
        LogStatus log = logger.status();
        if (log.running()) s.append("\nlogger: ").append(log.dir()).append(", ").append(log.records()).append(" records, ").append(logger.scheduling());
        return s.toString();
    }

    /** Stops the logger and flushes the buffers; the trace stays on disk. */
    @Override
    public void close() {
        logger.stop();
        set.close();
    }
}
