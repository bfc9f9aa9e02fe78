package lkst.buffers.view;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.buffers.ring.BufferHeader;
import lkst.buffers.files.IoErrors;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.TraceLosses;
import lkst.buffers.trace.TraceReader;

/**
 * {@code lkst view DIR [-o FILE.html]}: the trace as one self-contained HTML page — a lane per CPU (which task runs
 * when), a lane per task (running, runnable, sleeping; its events as markers, the JVM's apart), IRQs, and what was
 * lost — read in one pass. The page is written beside its final name and moved there whole, so a failed view
 * leaves no page and an old one stays as it was until the new one is complete.
 */
public final class View {
    private View() {}

    /** What was written: the page, its size, and what it shows. */
    public record Result(Path page, long bytes, long events, int cpus, int tasks, int slices) {}

    /**
     * Makes the (empty) file the page is written into, beside {@code page}, so that a page that cannot be written
     * there is refused before the trace is read. {@link #write} moves it to {@code page}, or removes it.
     *
     * @throws IllegalArgumentException (one line) when {@code page} is a directory or its directory cannot take it
     */
    public static Path claim(Path page) {
        Path abs = page.toAbsolutePath();
        if (Files.isDirectory(abs)) throw new IllegalArgumentException(page + " is a directory: -o names the page's file");
        Path part = abs.resolveSibling("." + abs.getFileName() + ".part-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(part);
            Files.createFile(part);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + page + ": " + IoErrors.text(e));
        }
        return part;
    }

    /**
     * Reads the trace and writes its page into {@code part} (from {@link #claim}), then moves it to {@code out}.
     *
     * @param clock          the time axis: "rel" (seconds from the first event), "mono" (CLOCK_MONOTONIC) or "wall" (UTC)
     * @param realtimeOffset CLOCK_REALTIME − CLOCK_MONOTONIC when the trace was made (for wall)
     */
    public static Result write(TraceReader reader, String clock, long realtimeOffset, Path part, Path out) {
        Path abs = out.toAbsolutePath();
        Path tmp = part;
        try {
            Timeline t = timeline(reader);
            List<Page.Loss> losses = new ArrayList<>();
            String note = losses(reader, losses);
            try (OutputStream file = Files.newOutputStream(tmp)) {
                Page.write(t, reader.dir().toAbsolutePath().normalize().getFileName().toString(), clock, realtimeOffset, losses, note, file);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Result(abs, Files.size(abs), t.events.size(), t.cpus, t.tasks.size(), t.slices.spans.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + abs + ": " + IoErrors.text(e), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // it is named in the error already being reported
            }
        }
    }

    private static Timeline timeline(TraceReader reader) {
        Map<String, Boolean> jvm = new HashMap<>();
        for (EventType t : reader.metadata().events()) jvm.put(t.name(), t.source() == EventSource.JVM);
        Timeline t = new Timeline(jvm, reader.metadata().cpus());
        reader.forEach(RecordCursor.Torn.FAIL, t::add);
        t.finish();
        return t;
    }

    /**
     * The trace's losses per CPU and source: {@code trace.lost} of a log, else the lost counters of the buffer
     * files (a flight recorder, or buffers after a crash). Returns a note for the page when they are not known.
     */
    private static String losses(TraceReader reader, List<Page.Loss> out) {
        TraceLosses l = reader.losses();
        if (l != null) {
            l.perCpu().forEach((cpu, m) -> m.forEach((src, n) -> {
                if (n > 0) out.add(new Page.Loss(cpu, src, n));
            }));
            return "";
        }
        boolean buffers = false;
        for (TraceReader.Input in : reader.inputs()) {
            BufferHeader h = in.header();
            if (h.segment() != 0) continue;
            buffers = true;
            if (h.lost() > 0) out.add(new Page.Loss(h.cpu(), "buffer " + h.id(), h.lost()));
        }
        if (buffers) return "";
        return Files.exists(reader.dir().resolve(TraceLosses.FILE)) ? TraceLosses.FILE + " is damaged: losses not known"
                : "losses not recorded (no " + TraceLosses.FILE + ")";
    }
}
