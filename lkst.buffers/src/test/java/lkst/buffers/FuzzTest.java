package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import lkst.buffers.api.BufferMode;
import lkst.buffers.record.BufferSet;
import lkst.buffers.trace.TraceMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated trace directories (bytes flipped, zeroed, truncated, replaced by random data, emptied,
 * removed, garbage appended) given to print and recover: each run ends with exit 0, or exit 1 and exactly one
 * line on stderr naming the file — never another exit code, a stack trace or a hang.
 */
class FuzzTest {
    static final int ROUNDS = 2000;

    @TempDir Path tmp;

    @Test
    void mutatedTracesGetOneClearMessageNeverACrash() throws Exception {
        Path good = tmp.resolve("good");
        try (BufferSet set = new BufferSet(good, 2, 8192, BufferMode.OVERWRITE, List.of(TestEvent.SEQ))) {
            TestEvent e = new TestEvent();
            for (int i = 0; i < 300; i++) {
                set.record(e.seq(i % 2, i % 3, i));
                set.record(e.named(i % 2, i, i, "n" + i));
            }
        }
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
            if (recover.exit() == 0) {
                Tool again = Tool.run("print", tmp.resolve("out" + round).toString());
                assertEquals(0, again.exit(), what + ": what recover writes, print reads: " + again.err());
            }
            delete(tmp.resolve("out" + round));
        }
        messages.forEach(System.out::println);
        assertTrue(errors > ROUNDS / 4, "most mutations are detected: " + errors);
    }

    static int check(Tool t, String what) {
        if (t.exit() == 0) {
            assertEquals(List.of(), t.err(), what);
            return 0;
        }
        assertEquals(1, t.exit(), what + ": " + t.err());
        assertEquals(1, t.err().size(), what + ": " + t.err());
        String line = t.err().get(0);
        assertTrue(line.startsWith("lkst: "), line);
        assertTrue(line.contains(".lkst") || line.contains(TraceMetadata.FILE) || line.contains("work"), what + ": " + line);
        assertFalse(line.contains("Exception") || line.contains("\tat "), what + ": " + line);
        return 1;
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
