package lkst.buffers;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of lkst.buffers, read from their sources (comments left out): which may use which (README.md's
 * package table), and no cycle among them.
 */
class PackageLayeringTest {
    private static final Path SOURCES = Paths.get("src/main/java/lkst/buffers");
    private static final Pattern COMMENT = Pattern.compile("/\\*[\\s\\S]*?\\*/|//[^\\n]*");
    private static final Pattern USE = Pattern.compile("\\blkst\\.buffers\\.([a-z]+)\\.[A-Z*]");

    /** What each package may use (besides lkst.api and lkst.buffers.api, which every package may). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("files", Set.of()),
            Map.entry("ring", Set.of("files")),
            Map.entry("trace", Set.of("files", "ring")),
            Map.entry("record", Set.of("files", "ring", "trace")),
            Map.entry("log", Set.of("files", "ring", "trace", "record")),
            Map.entry("recover", Set.of("files", "ring", "trace")),
            Map.entry("ctf", Set.of("files", "ring", "trace")),
            Map.entry("report", Set.of("files", "ring", "trace")),
            Map.entry("view", Set.of("files", "ring", "trace", "report")),
            Map.entry("tool", Set.of("files", "ring", "trace", "recover", "ctf", "report", "view")),
            Map.entry("component", Set.of("files", "ring", "trace", "record", "log", "recover")));

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() throws IOException {
        Map<String, Set<String>> uses = uses();
        List<String> wrong = new ArrayList<>();
        uses.forEach((p, used) -> {
            Set<String> allowed = ALLOWED.get(p);
            if (allowed == null) {
                wrong.add("package " + p + " is not in the table (add it to README.md's and this test's)");
                return;
            }
            for (String u : used) if (!allowed.contains(u)) wrong.add(p + " uses " + u);
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void noPackageCycle() throws IOException {
        Map<String, Set<String>> uses = uses();
        for (String start : uses.keySet()) {
            Set<String> seen = new TreeSet<>();
            List<String> todo = new ArrayList<>(uses.get(start));
            while (!todo.isEmpty()) {
                String p = todo.remove(todo.size() - 1);
                assertNotEquals(start, p, "a cycle through " + start);
                if (seen.add(p)) todo.addAll(uses.getOrDefault(p, Set.of()));
            }
        }
    }

    /** Package → the lkst.buffers packages its main sources name (imports and qualified names), api left out. */
    private static Map<String, Set<String>> uses() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the module folder: no " + SOURCES.toAbsolutePath());
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> s = Files.walk(SOURCES)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f.getParent()).toString();
                Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = USE.matcher(COMMENT.matcher(Files.readString(f)).replaceAll(""));
                while (m.find()) if (!m.group(1).equals(pkg) && !m.group(1).equals("api")) used.add(m.group(1));
            }
        }
        uses.remove("api");
        return uses;
    }
}
