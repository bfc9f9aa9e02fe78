package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.ring.BufferDescriptor;
import lkst.buffers.trace.TraceMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** print and recover from the command line, on good and bad trace directories. */
class TraceToolTest {
    @TempDir Path tmp;
    Path trace;

    @BeforeEach
    void record() {
        trace = tmp.resolve("trace");
        try (BufferSet set = new BufferSet(trace, 2, 4096, BufferMode.OVERWRITE, List.of(TestEvent.SEQ))) {
            TestEvent e = new TestEvent();
            set.record(e.named(1, 2_000_000_000L, 5, "b"));
            set.record(e.named(0, 1_000_000_000L, 4, "a"));
            set.record(e.seq(1, 9, 3).time(3_000_000_000L));
        }
    }

    @Test
    void printShowsOneEventPerLineInTimeOrder() {
        Tool t = Tool.run("print", trace.toString());
        assertEquals(0, t.exit(), t.err().toString());
        assertEquals(List.of(
                "1.000000000 [0] 42/4 TEST_NAMED n=4 name=a",
                "2.000000000 [1] 42/5 TEST_NAMED n=5 name=b",
                "3.000000000 [1] 42/9 TEST_SEQ writer=9 seq=3 check=" + TestEvent.check(9, 3)), t.out());
    }

    @Test
    void printJsonWritesOneObjectPerLineWithNumbersAsNumbers() {
        Tool t = Tool.run("print", "--json", trace.toString());
        assertEquals(0, t.exit());
        assertEquals(3, t.out().size());
        assertEquals("{\"time\":1000000000,\"cpu\":0,\"buffer\":0,\"pid\":42,\"tid\":4,\"event\":\"TEST_NAMED\",\"fields\":{\"n\":4,\"name\":\"a\"}}", t.out().get(0));
    }

    @Test
    void aTraceDirectoryCopiedElsewherePrintsThere() throws Exception {
        Path copy = Files.createDirectory(tmp.resolve("elsewhere"));
        for (Path p : Files.list(trace).toList()) Files.copy(p, copy.resolve(p.getFileName()));
        assertEquals(Tool.run("print", trace.toString()).out(), Tool.run("print", copy.toString()).out());
    }

    @Test
    void recoverOfACleanTraceKeepsEveryRecordAndPrintReadsTheResult() {
        Path out = tmp.resolve("out");
        Tool r = Tool.run("recover", trace.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err().toString());
        assertTrue(r.out().get(0).startsWith("recovered 3 records from"), r.out().toString());
        assertTrue(r.out().get(1).startsWith("cpu 0: 1 records, 1.000000000 .. 1.000000000"), r.out().toString());
        assertEquals(Tool.run("print", trace.toString()).out(), Tool.run("print", out.toString()).out());
    }

    @Test
    void recoverRefusesToOverwriteATrace() {
        Tool r = Tool.run("recover", trace.toString(), "-o", trace.toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().size());
        assertTrue(r.err().get(0).contains("already holds a trace"), r.err().toString());
    }

    @Test
    void recoverRefusesAnOutputThatHoldsOtherFiles() throws Exception {
        Path etc = Files.createDirectory(tmp.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0\n");
        // a taken -o is a usage error (exit 2), as ctf's
        assertOneClearError(2, Tool.run("recover", trace.toString(), "-o", etc.toString()), etc.toString(), "not an empty directory");
        assertEquals(List.of(etc.resolve("passwd")), Files.list(etc).toList(), "nothing written into it");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertOneClearError(2, Tool.run("recover", trace.toString(), "-o", file.toString()), file.toString(), "choose another output");
        Path empty = Files.createDirectory(tmp.resolve("empty-out"));
        assertEquals(0, Tool.run("recover", trace.toString(), "-o", empty.toString()).exit(), "an empty directory is fine");
    }

    void assertOneClearError(Tool t, String file, String what) {
        assertOneClearError(1, t, file, what);
    }

    void assertOneClearError(int exit, Tool t, String file, String what) {
        assertEquals(exit, t.exit(), t.out() + " " + t.err());
        assertEquals(1, t.err().size(), t.err().toString());
        String line = t.err().get(0);
        assertTrue(line.contains(file), line);
        assertTrue(line.contains(what), line);
        assertFalse(line.contains("Exception"), line);
    }

    @Test
    void aMissingOrEmptyDirectoryIsOneClearError() throws Exception {
        assertOneClearError(Tool.run("print", tmp.resolve("nope").toString()), "nope", "no such directory");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertOneClearError(Tool.run("print", empty.toString()), "trace.meta", "not a trace directory");
        assertOneClearError(Tool.run("recover", empty.toString()), "trace.meta", "not a trace directory");
    }

    @Test
    void aBufferFileCutShortYieldsItsRecordsUpToTheCutAndTheOtherCpusPrint() throws Exception {
        Path f = trace.resolve("cpu1-buffer0.lkst");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(BufferDescriptor.FILE_HEADER_LENGTH + 60); // cpu 1: its first record (40 bytes) whole, the second cut
        }
        Tool p = Tool.run("print", trace.toString());
        assertOneClearError(p, "cpu1-buffer0.lkst: offset 4156", "truncated");
        assertEquals(List.of("1.000000000 [0] 42/4 TEST_NAMED n=4 name=a", "2.000000000 [1] 42/5 TEST_NAMED n=5 name=b"), p.out());
        Tool r = Tool.run("recover", trace.toString(), "-o", tmp.resolve("out").toString());
        assertOneClearError(r, "cpu1-buffer0.lkst: offset 4156", "truncated");
        assertTrue(r.out().get(0).startsWith("recovered 2 records from"), r.out().toString());
        assertEquals(p.out(), Tool.run("print", tmp.resolve("out").toString()).out(), "what recover salvaged prints cleanly");
        Tool s = Tool.run("stats", trace.toString());
        assertOneClearError(s, "cpu1-buffer0.lkst: offset 4156", "truncated");
        assertEquals("2 events from 1.000000000 to 2.000000000 (1.000 s)", s.out().get(0));
    }

    @Test
    void oneUnreadableCpuFileDoesNotBlockTheOthers() throws Exception {
        byte[] random = new byte[10000];
        new java.util.Random(1).nextBytes(random);
        Files.write(trace.resolve("cpu1-buffer0.lkst"), random);
        for (String command : List.of("print", "stats")) {
            Tool t = Tool.run(command, trace.toString());
            assertOneClearError(t, "cpu1-buffer0.lkst: offset 0", "bad magic");
            assertTrue(String.join("\n", t.out()).contains(command.equals("print") ? "TEST_NAMED n=4 name=a" : "cpu 0: 1 events"), t.out().toString());
        }
        Tool c = Tool.run("ctf", trace.toString(), "-o", tmp.resolve("ctf").toString());
        assertOneClearError(c, "cpu1-buffer0.lkst: offset 0", "bad magic");
        assertTrue(c.out().get(0).endsWith("cpu0 1 events"), c.out().toString());
    }

    @Test
    void aTruncatedMetadataIsNamedAsTheCauseNotTornRecords() throws Exception {
        Path meta = trace.resolve(TraceMetadata.FILE);
        String text = Files.readString(meta);
        int cut = text.indexOf("event\t1002"); // TEST_NAMED's description is cut off, TEST_SEQ's is whole
        assertTrue(cut > 0 && text.indexOf("event\t1001") < cut, text);
        Files.writeString(meta, text.substring(0, cut + 7));
        Tool p = Tool.run("print", trace.toString());
        assertOneClearError(p, "trace.meta: offset " + (cut + 7) + ": truncated", "2 records of events it no longer describes were not read (event ids 1002)");
        assertEquals(List.of("3.000000000 [1] 42/9 TEST_SEQ writer=9 seq=3 check=" + TestEvent.check(9, 3)), p.out());
        Tool r = Tool.run("recover", trace.toString(), "-o", tmp.resolve("out").toString());
        assertOneClearError(r, "trace.meta: offset " + (cut + 7) + ": truncated", "2 records");
        assertTrue(r.out().get(0).startsWith("recovered 1 records from"), r.out() + ": none of them torn");
        assertEquals(p.out(), Tool.run("print", tmp.resolve("out").toString()).out());

        Files.writeString(meta, text.substring(0, text.indexOf("# end"))); // only the end line is missing
        Tool whole = Tool.run("print", trace.toString());
        assertEquals(0, whole.exit(), whole.err().toString());
        assertEquals(3, whole.out().size());
        assertEquals(1, whole.err().size());
        assertTrue(whole.err().get(0).startsWith("lkst: warning: ") && whole.err().get(0).contains("truncated"), whole.err().toString());
    }

    @Test
    void anEmptyOrRandomBufferFileIsOneClearError() throws Exception {
        Files.write(trace.resolve("cpu1-buffer0.lkst"), new byte[0]);
        assertOneClearError(Tool.run("print", trace.toString()), "cpu1-buffer0.lkst: offset 0", "empty");
        byte[] random = new byte[10000];
        new java.util.Random(1).nextBytes(random);
        Files.write(trace.resolve("cpu1-buffer0.lkst"), random);
        assertOneClearError(Tool.run("print", trace.toString()), "cpu1-buffer0.lkst: offset 0", "bad magic");
    }

    @Test
    void aRecordNotCommittedStopsPrintAndRecoverSkipsIt() throws Exception {
        Path f = trace.resolve("cpu0-buffer0.lkst");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            int at = BufferDescriptor.FILE_HEADER_LENGTH;
            b.putInt(at, -b.getInt(at)); // the size word of cpu 0's only record: as if its writer had died
        }
        assertOneClearError(Tool.run("print", trace.toString()), "cpu0-buffer0.lkst: offset 4096", "not committed");
        Tool r = Tool.run("recover", trace.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(0, r.exit());
        assertTrue(r.out().get(0).startsWith("recovered 2 records (1 torn records skipped)"), r.out().toString());
        assertEquals(2, Tool.run("print", tmp.resolve("out").toString()).out().size());
    }

    @Test
    void aCorruptMetadataLineIsNamed() throws Exception {
        Path meta = trace.resolve(TraceMetadata.FILE);
        Files.writeString(meta, Files.readString(meta).replace("field\tseq\tu64", "field\tseq\tu65"));
        assertOneClearError(Tool.run("print", trace.toString()), "trace.meta", "unknown field type 'u65'");
    }

    @Test
    void badCommandLinesGetUsage() {
        Tool t = Tool.run("prnt", "x");
        assertEquals(2, t.exit());
        assertTrue(t.err().get(0).contains("usage:"));
        assertEquals(2, Tool.run("print").exit());
    }
}
