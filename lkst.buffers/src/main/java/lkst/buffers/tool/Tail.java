package lkst.buffers.tool;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.ring.BufferHeader;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.RecordDecoder;
import lkst.buffers.files.TraceFormatException;
import lkst.buffers.trace.TraceMetadata;
import lkst.buffers.trace.TraceReader;

/**
 * {@code tail [print's options] [DIR]}: prints the events a running LKST/J records, as they are recorded, in
 * {@code print}'s format and with its filters. DIR (default {@code $LKST_HOME/var/trace}, the flight recorder of the
 * runtime that owns the home) holds the runtime's live buffer files; each is mapped read-only and followed from its
 * position when tail starts (only new events), with no effect on the runtime: the writer never waits for it, and
 * records the writer overwrote before tail read them are counted on standard error, never skipped silently. Every
 * {@value #POLL_MS} ms the new records of all CPUs are printed in time order, so a line appears at most about that
 * late (plus the JVM hook's or kernel reader's own delay). Ctrl-C ends it.
 */
final class Tail {
    static final String USAGE = "usage: lkst tail [print's options: --pid --tid --comm --cpu --event --filter --time --json] [DIR]"
            + "   (the events a running LKST/J records, as they come; DIR: its buffers, default $LKST_HOME/var/trace; Ctrl-C ends)";
    static final long POLL_MS = 200;

    private Tail() {}

    static Path defaultDirectory() {
        return Paths.get(System.getProperty("lkst.home", "."), "var", "trace");
    }

    /** A live buffer file being followed. */
    private static final class Follow {
        final BufferHeader header;
        final RecordCursor cursor;
        long overrun;

        Follow(Path file) {
            ByteBuffer content = TraceReader.map(file);
            header = BufferHeader.read(content, file.toString());
            cursor = new RecordCursor(content, header, -1, RecordCursor.Torn.SKIP);
            cursor.refresh();
            while (cursor.next()) { } // start at the end: only what is recorded from now on
            overrun = cursor.overwritten();
        }
    }

    static int tail(CommandLine cl, PrintStream out, PrintStream err) throws InterruptedException {
        Path dir = cl.dir;
        if (!Files.isDirectory(dir)) {
            err.println("lkst: tail: no trace directory " + dir + " (is LKST/J running on this home? give its DIR)");
            return Main.BAD_INPUT;
        }
        LineOutput lines = new LineOutput(out);
        Map<Path, Follow> follows = new HashMap<>();
        FileTime metaTime = null;
        TraceMetadata meta = null;
        RecordDecoder decoder = null;
        Printer printer = null;
        List<TraceRecord> batch = new ArrayList<>();
        boolean following = false;
        while (true) {
            FileTime t = modified(dir.resolve(TraceMetadata.FILE));
            // event types added: read the catalog again (also every round while waiting for an event to be declared:
            // a file rewritten within one tick of the clock keeps its modification time)
            if (t != null && (!t.equals(metaTime) || printer == null)) {
                try {
                    meta = TraceMetadata.read(dir);
                    decoder = new RecordDecoder(meta.events());
                    printer = new Printer(cl.print, PrintFilter.of(cl.print, meta), meta, lines, KernelText.of(dir));
                    metaTime = t;
                } catch (TraceFormatException e) {
                    // being rewritten: the next round reads it
                } catch (CommandLine.Usage e) {
                    // an event the runtime has not declared yet (a JVM hook point, a tracepoint added later): wait for it
                    if (!e.getMessage().contains("no event of this trace")) {
                        err.println("lkst: tail: " + Main.printable(e.getMessage()));
                        return Main.USAGE;
                    }
                    if (printer == null && metaTime == null) err.println("lkst: tail: " + Main.printable(e.getMessage()) + "; waiting for it to be declared");
                    metaTime = t;
                }
            }
            // the buffers are followed from tail's start, also while it waits for an event to be declared
            for (Path f : TraceReader.bufferFiles(dir)) {
                if (!follows.containsKey(f)) {
                    try {
                        follows.put(f, new Follow(f));
                    } catch (TraceFormatException e) {
                        // a buffer being created: the next round maps it
                    }
                }
            }
            follows.keySet().removeIf(f -> !Files.exists(f));
            if (!following && !follows.isEmpty()) { // from here on, every event recorded is printed
                err.println("lkst: tail: following " + dir + " (Ctrl-C ends)");
                following = true;
            }
            if (printer != null) {
                batch.clear();
                for (Follow f : follows.values()) {
                    RecordCursor c = f.cursor.refresh();
                    while (c.next()) {
                        if (decoder.type(c.eventId()) != null) batch.add(decoder.decode(c, f.header.cpu(), f.header.id(), c.offset()));
                    }
                    if (c.overwritten() != f.overrun) {
                        err.println("lkst: tail: " + (c.overwritten() - f.overrun) + " bytes of records in " + f.header.file()
                                + " were overwritten before tail read them");
                        f.overrun = c.overwritten();
                    }
                }
                batch.sort(Comparator.comparingLong(TraceRecord::time));
                try {
                    for (TraceRecord r : batch) printer.record(r);
                } catch (Printer.Stop e) {
                    lines.flush();
                    return Main.OK;
                }
                if (!lines.flush()) return Main.OK; // the reader of the output went away (tail | head)
            }
            Thread.sleep(POLL_MS);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
