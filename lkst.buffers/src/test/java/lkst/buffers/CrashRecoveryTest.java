package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.recover.Recovery;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM records at full rate and is killed with SIGKILL, several times, at random moments: every record
 * committed before the kill is recovered, and none is corrupt.
 */
class CrashRecoveryTest {
    @TempDir Path tmp;

    @Test
    void everyRecordCommittedBeforeSigkillIsRecovered() throws Exception {
        Random random = new Random(4);
        for (int round = 0; round < 4; round++) {
            // 32 MiB per CPU holds the whole run; 1 MiB wraps around (overwrite mode) many times
            killAndRecover(tmp.resolve("run" + round), round % 2 == 0 ? 32 << 20 : 1 << 20, 1 + random.nextInt(40) * 1024L * 8);
        }
    }

    void killAndRecover(Path dir, long size, long recordsBeforeKill) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(),
                dir.toString(), Long.toString(size)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<Integer, Long> committed = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", in.readLine());
            long seen = 0;
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.split(" ");
                committed.merge(Integer.parseInt(w[1]), Long.parseLong(w[2]), Math::max);
                if (++seen * 1024 >= recordsBeforeKill && committed.size() == 4) break;
            }
            child.destroyForcibly(); // SIGKILL, while the writers are at full speed
            child.waitFor();
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");

        Path out = dir.resolveSibling(dir.getFileName() + ".recovered");
        Recovery.Report report = Recovery.recover(dir, out);
        report.lines().forEach(System.out::println);
        // a writer killed mid-claim leaves at most its record and the padding it was about to write
        assertTrue(report.torn() <= 2 * 4, "at most one record (and its padding) in progress per writer: " + report.lines());

        Map<Integer, TreeSet<Long>> seqs = new HashMap<>();
        List<String> corrupt = new ArrayList<>();
        TraceReader.open(out).forEach(RecordCursor.Torn.FAIL, (TraceRecord r) -> {
            int writer = (int) (long) (Long) r.fields().get("writer");
            long seq = (Long) r.fields().get("seq");
            if (!r.fields().get("check").equals(TestEvent.check(writer, seq)) || r.tid() != writer || r.cpu() != writer % 2) corrupt.add(r.text());
            seqs.computeIfAbsent(writer, k -> new TreeSet<>()).add(seq);
        });
        assertEquals(List.of(), corrupt);
        assertEquals(report.records(), seqs.values().stream().mapToLong(TreeSet::size).sum());
        java.util.Set<Integer> wrapped = new java.util.HashSet<>(); // CPUs whose buffer went round (overwrite mode)
        for (Recovery.CpuReport cpu : report.cpus()) if (cpu.written() * 56 > size - 64 * 1024) wrapped.add(cpu.cpu());
        for (Map.Entry<Integer, Long> c : committed.entrySet()) {
            TreeSet<Long> s = seqs.get(c.getKey());
            if (wrapped.contains(c.getKey() % 2)) {
                // a writer's oldest records may be overwritten, all of them even: what is there is contiguous
                if (s != null) assertEquals(s.last() - s.first() + 1, s.size(), "writer " + c.getKey() + ": no record missing");
                continue;
            }
            assertNotNull(s, "writer " + c.getKey() + " has records");
            assertEquals(0L, s.first(), "writer " + c.getKey() + " from its first record");
            assertTrue(s.last() >= c.getValue(), "writer " + c.getKey() + ": committed up to " + c.getValue() + ", recovered up to " + s.last());
            assertEquals(s.last() + 1, s.size(), "writer " + c.getKey() + ": no record missing up to " + s.last());
        }
        for (Recovery.CpuReport cpu : report.cpus()) {
            if (wrapped.contains(cpu.cpu())) {
                assertTrue(cpu.records() * 56 > size - 2 * 64 * 1024, "a wrapped buffer is full of records: " + cpu.text());
            }
        }
    }
}
