package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import lkst.buffers.api.BufferMode;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.record.BufferSet;
import lkst.buffers.ring.BufferDescriptor;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.RecordDecoder;
import lkst.buffers.trace.TraceLosses;
import lkst.buffers.trace.TraceMetadata;
import lkst.buffers.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated trace directories (bytes flipped, zeroed, truncated, replaced by random data, emptied,
 * removed, garbage appended) given to print and recover: each run ends with exit 0 (stderr: warnings at most), or
 * exit 1 and exactly one line on stderr naming the damaged file — never another exit code, a stack trace or a
 * hang. And salvage: every file cut at random points, every record before the cut and every record of the other
 * files is still read, by print, stats, ctf and recover; flipped bytes in trace.meta and trace.lost never crash a
 * command, and a damaged trace.lost never costs a record.
 */
class FuzzTest {
    static final int ROUNDS = 2000;
    static final int CUTS = 200;

    @TempDir Path tmp;

    /** Two CPUs of 8 KiB overwrite buffers that wrapped (600 records offered), and a trace.lost. */
    Path good() {
        Path good = tmp.resolve("good");
        try (BufferSet set = new BufferSet(good, 2, 8192, BufferMode.OVERWRITE, List.of(TestEvent.SEQ))) {
            TestEvent e = new TestEvent();
            for (int i = 0; i < 300; i++) {
                set.record(e.seq(i % 2, i % 3, i));
                set.record(e.named(i % 2, i, i, "n" + i));
            }
        }
        new TraceLosses(Map.of(0, Map.of("kernel", 3L, "buffers", 0L), 1, Map.of("kernel", 0L, "buffers", 2L))).write(good);
        return good;
    }

    @Test
    void mutatedTracesGetOneClearMessageNeverACrash() throws Exception {
        Path good = good();
        List<Path> files;
        try (Stream<Path> s = Files.list(good)) {
            files = s.sorted().toList();
        }
        List<byte[]> originals = new ArrayList<>();
        for (Path f : files) originals.add(Files.readAllBytes(f));
        Random random = new Random(20021126);
        Path work = tmp.resolve("work");
        int errors = 0;
        java.util.Set<String> messages = new java.util.TreeSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            delete(work);
            Files.createDirectories(work);
            int victim = random.nextInt(files.size());
            for (int i = 0; i < files.size(); i++) {
                Path to = work.resolve(files.get(i).getFileName());
                byte[] b = originals.get(i);
                if (i != victim) Files.write(to, b);
                else mutate(to, b.clone(), random);
            }
            String what = "round " + round + ", " + files.get(victim).getFileName();
            Tool print = random.nextBoolean() ? Tool.run("print", "--json", work.toString()) : Tool.run("print", work.toString());
            if (print.exit() != 0 && messages.size() < 40) messages.add(print.err().get(0));
            errors += check(print, what);
            Tool recover = Tool.run("recover", work.toString(), "-o", tmp.resolve("out" + round).toString());
            check(recover, what);
            if (Files.exists(tmp.resolve("out" + round).resolve(TraceMetadata.FILE))) {
                Tool again = Tool.run("print", tmp.resolve("out" + round).toString());
                assertEquals(0, again.exit(), what + ": what recover writes, print reads: " + again.err());
            }
            delete(tmp.resolve("out" + round));
        }
        messages.forEach(System.out::println);
        assertTrue(errors > ROUNDS / 4, "most mutations are detected: " + errors);
    }

    /** Exit 0 with warnings at most, or 1 with one line naming the damaged file; 0 or 1 as it returned. */
    static int check(Tool t, String what) {
        for (String line : t.err()) {
            assertTrue(line.startsWith("lkst: "), what + ": " + line);
            assertFalse(line.contains("Exception") || line.contains("\tat "), what + ": " + line);
        }
        for (String line : t.out()) assertFalse(line.contains("Exception") || line.contains("\tat "), what + ": " + line);
        List<String> errors = t.err().stream().filter(l -> !l.startsWith("lkst: warning: ")).toList();
        if (t.exit() == 0) {
            assertEquals(List.of(), errors, what);
            return 0;
        }
        assertEquals(1, t.exit(), what + ": " + t.err());
        // one line for the damaged file, and maybe one for records of event ids trace.meta does not describe
        List<String> files = errors.stream().filter(l -> !l.contains("records of event ids")).toList();
        assertTrue(files.size() <= 1 && errors.size() - files.size() <= 1 && !errors.isEmpty(), what + ": " + t.err());
        for (String line : errors) {
            assertTrue(line.contains(".lkst") || line.contains(TraceMetadata.FILE) || line.contains("work"), what + ": " + line);
        }
        return 1;
    }

    /** A record of the intact trace: its file, where it ends in the file, and how print --json shows it. */
    record Placed(String file, long end, String json) {}

    static List<Placed> placed(Path dir) {
        TraceReader reader = TraceReader.open(dir);
        RecordDecoder decoder = new RecordDecoder(reader.metadata().events());
        List<Placed> l = new ArrayList<>();
        for (TraceReader.Input in : reader.inputs()) {
            RecordCursor c = new RecordCursor(in.content(), in.header(), -1, RecordCursor.Torn.FAIL);
            while (c.next()) {
                TraceRecord r = decoder.decode(c, in.header().cpu(), in.header().id(), c.offset());
                l.add(new Placed(in.path().getFileName().toString(), c.offset() + c.occupied(), r.json()));
            }
        }
        return l;
    }

    static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    /** The event ids whose description (event line and all its field lines) ends at or before {@code cut}. */
    static Set<Integer> described(String meta, int cut) {
        Set<Integer> ids = new TreeSet<>();
        String[] lines = meta.split("\n");
        int at = 0;
        Integer open = null;
        int openEnd = 0;
        for (String l : lines) {
            int end = at + l.getBytes(StandardCharsets.UTF_8).length + 1;
            if (l.startsWith("event\t")) {
                if (open != null && openEnd <= cut) ids.add(open);
                open = Integer.parseInt(l.split("\t")[1]);
                openEnd = end;
            } else if (l.startsWith("field\t")) {
                openEnd = end;
            }
            at = end;
        }
        if (open != null && openEnd <= cut) ids.add(open);
        return ids;
    }

    @Test
    void everyFileCutAtRandomPointsYieldsEveryRecordBeforeTheCutAndAllOthers() throws Exception {
        Path good = good();
        List<Placed> all = placed(good);
        String meta = Files.readString(good.resolve(TraceMetadata.FILE));
        int headerEnd = meta.indexOf('\n', meta.indexOf("\ncpus\t") + 1) + 1; // format, clock, cpus: needed
        List<Path> files;
        try (Stream<Path> s = Files.list(good)) {
            files = s.sorted().toList();
        }
        assertEquals(4, files.size(), files.toString()); // two buffer files, trace.meta, trace.lost
        Random random = new Random(20261202);
        Path work = tmp.resolve("work");
        int partial = 0;
        for (int round = 0; round < CUTS; round++) {
            delete(work);
            Files.createDirectories(work);
            for (Path f : files) Files.copy(f, work.resolve(f.getFileName()));
            Path victim = work.resolve(files.get(round % files.size()).getFileName());
            String name = victim.getFileName().toString();
            long length = Files.size(victim);
            long cut = random.nextInt(4) == 0 ? random.nextInt(4200) : (long) (random.nextDouble() * length);
            cut = Math.min(cut, length);
            try (FileChannel ch = FileChannel.open(victim, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            String what = "round " + round + ": " + name + " cut at " + cut + " of " + length;

            List<String> expected;
            boolean readable = true;
            if (name.endsWith(".lkst")) {
                long c = cut;
                expected = all.stream().filter(p -> !p.file().equals(name) || c >= BufferDescriptor.FILE_HEADER_LENGTH && p.end() <= c)
                        .map(Placed::json).toList();
            } else if (name.equals(TraceMetadata.FILE)) {
                Set<Integer> ids = described(meta, (int) cut);
                readable = cut >= headerEnd;
                expected = !readable ? List.of() : all.stream().filter(p -> ids.contains(idOf(p.json()))).map(Placed::json).toList();
            } else {
                expected = all.stream().map(Placed::json).toList(); // trace.lost: a warning at most
            }
            boolean complete = expected.size() == all.size();
            if (!complete) partial++;

            Tool print = Tool.run("print", "--json", work.toString());
            check(print, what);
            assertEquals(sorted(expected), sorted(print.out()), what + ": every record before the cut, and of every other file");
            if (!complete || !readable) assertEquals(1, print.exit(), what + ": a record is missing, the exit says so");
            if (name.equals(TraceLosses.FILE)) assertEquals(0, print.exit(), what + ": " + print.err());

            Tool stats = Tool.run("stats", work.toString());
            check(stats, what);
            assertEquals(print.exit(), stats.exit(), what + ": " + stats.err());
            if (readable) assertTrue(stats.out().get(0).startsWith(expected.size() + " events"), what + ": " + stats.out().get(0));

            Path ctf = tmp.resolve("ctf" + round);
            Tool export = Tool.run("ctf", work.toString(), "-o", ctf.toString());
            check(export, what);
            assertEquals(print.exit(), export.exit(), what + ": " + export.err());
            if (readable) {
                long events = 0;
                for (String w : export.out().get(0).split(";")) if (w.matches(".*cpu\\d+ \\d+ events")) events += Long.parseLong(w.replaceAll(".* (\\d+) events", "$1"));
                assertEquals(expected.size(), events, what + ": " + export.out());
            }
            delete(ctf);

            Path out = tmp.resolve("out" + round);
            Tool recover = Tool.run("recover", work.toString(), "-o", out.toString());
            check(recover, what);
            assertEquals(print.exit(), recover.exit(), what + ": " + recover.err());
            if (readable) {
                assertTrue(recover.out().get(0).startsWith("recovered " + expected.size() + " records from"), what + ": " + recover.out());
                Tool again = Tool.run("print", "--json", out.toString());
                assertEquals(0, again.exit(), what + ": what recover writes, print reads: " + again.err());
                assertEquals(sorted(expected), sorted(again.out()), what + ": recover keeps what print read, with the buffer IDs");
            }
            delete(out);
        }
        assertTrue(partial > CUTS / 3, "most cuts cost records: " + partial);
    }

    static int idOf(String json) {
        return json.contains("\"event\":\"TEST_SEQ\"") ? TestEvent.SEQ.id() : TestEvent.NAMED.id();
    }

    @Test
    void flippedBytesInTraceMetaOrTraceLostNeverCrashAndTraceLostCostsNoRecord() throws Exception {
        Path good = good();
        List<String> all = sorted(placed(good).stream().map(Placed::json).toList());
        Random random = new Random(1202);
        Path work = tmp.resolve("work");
        int refused = 0;
        for (int round = 0; round < CUTS; round++) {
            delete(work);
            Files.createDirectories(work);
            try (Stream<Path> s = Files.list(good)) {
                for (Path f : s.toList()) Files.copy(f, work.resolve(f.getFileName()));
            }
            String name = round % 2 == 0 ? TraceMetadata.FILE : TraceLosses.FILE;
            Path victim = work.resolve(name);
            byte[] b = Files.readAllBytes(victim);
            for (int i = 1 + random.nextInt(8); i > 0; i--) b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
            Files.write(victim, b);
            String what = "round " + round + ": " + name;
            Tool print = Tool.run("print", "--json", work.toString());
            check(print, what);
            if (name.equals(TraceLosses.FILE)) {
                assertEquals(0, print.exit(), what + ": " + print.err());
                assertEquals(all, sorted(print.out()), what);
            }
            refused += print.exit();
            for (String command : List.of("stats", "ctf", "recover")) {
                Path out = tmp.resolve(command + round);
                Tool t = command.equals("stats") ? Tool.run(command, work.toString()) : Tool.run(command, work.toString(), "-o", out.toString());
                check(t, what + ", " + command);
                if (name.equals(TraceLosses.FILE)) assertEquals(0, t.exit(), what + ", " + command + ": " + t.err());
                delete(out);
            }
        }
        assertTrue(refused > 0, "some flips in trace.meta are found");
    }

    static void mutate(Path to, byte[] b, Random r) throws IOException {
        switch (r.nextInt(8)) {
            case 0: // flip a few bytes anywhere
            case 1:
                for (int i = 1 + r.nextInt(8); i > 0 && b.length > 0; i--) b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                Files.write(to, b);
                break;
            case 2: // flip bytes in the header or first records, where the structure is
                for (int i = 1 + r.nextInt(4); i > 0 && b.length > 0; i--) b[r.nextInt(Math.min(b.length, 4096 + 512))] ^= (byte) (1 + r.nextInt(255));
                Files.write(to, b);
                break;
            case 3: // truncate
                Files.write(to, java.util.Arrays.copyOf(b, r.nextInt(Math.max(1, b.length))));
                break;
            case 4: // zero a range
                int from = r.nextInt(Math.max(1, b.length));
                java.util.Arrays.fill(b, from, Math.min(b.length, from + 1 + r.nextInt(256)), (byte) 0);
                Files.write(to, b);
                break;
            case 5: // random content
                byte[] random = new byte[r.nextInt(3) == 0 ? r.nextInt(100) : b.length];
                r.nextBytes(random);
                Files.write(to, random);
                break;
            case 6: // empty
                Files.write(to, new byte[0]);
                break;
            default: // missing, or garbage appended
                if (r.nextBoolean()) break;
                byte[] more = java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(5000));
                for (int i = b.length; i < more.length; i++) more[i] = (byte) r.nextInt();
                Files.write(to, more);
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
