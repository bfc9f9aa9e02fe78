package lkst.bench;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the JMH suite with JMH's own command-line options and prints a markdown table: ns/op with its 99.9%
 * error; CPU ns/op (with {@code -prof lkst.bench.CpuTimeProfiler}); ratios against the empty method and against
 * the JFR event measured in the same run; bytes allocated per operation (with {@code -prof gc}); and whether the
 * issues' targets are met.
 */
public final class Suite {
    private Suite() {}

    record Row(String name, int threads, double score, double error, double cpu, double cpuError, double bytes) {}

    public static void main(String[] args) throws Exception {
        String loadBefore = load();
        Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1); // Class.method
            Result<?> p = r.getPrimaryResult();
            double bytes = Double.NaN;
            double cpu = Double.NaN;
            double cpuError = Double.NaN;
            for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) bytes = e.getValue().getScore();
                if (e.getKey().endsWith("cpu.time.norm")) {
                    cpu = e.getValue().getScore();
                    cpuError = e.getValue().getScoreError();
                }
            }
            rows.add(new Row(name, r.getParams().getThreads(), p.getScore(), p.getScoreError(), cpu, cpuError, bytes));
        }
        System.out.println();
        System.out.println("load average before: " + loadBefore + "; after: " + load() + " (" + Runtime.getRuntime().availableProcessors() + " CPUs)");
        System.out.println();
        System.out.print(table(rows));
    }

    static String load() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    static String table(List<Row> rows) {
        Row empty = find(rows, "HookBench.empty", 1);
        StringBuilder s = new StringBuilder();
        s.append("| benchmark | threads | ns/op | ± (99.9%) | CPU ns/op | ± (99.9%) | × empty method | × JFR, same threads (wall / CPU) | B/op |\n");
        s.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            Row jfr = r.name.startsWith("FireBench.lkst_") ? find(rows, "FireBench.jfr_" + r.threads + "t", r.threads) : null;
            s.append("| ").append(r.name).append(" | ").append(r.threads)
                    .append(" | ").append(f(r.score, 2)).append(" | ").append(f(r.error, 2))
                    .append(" | ").append(f(r.cpu, 2)).append(" | ").append(f(r.cpuError, 2))
                    .append(" | ").append(empty == null ? "" : f(r.score / empty.score, 1))
                    .append(" | ").append(jfr == null ? "" : f(r.score / jfr.score, 2) + " / " + f(r.cpu / jfr.cpu, 2))
                    .append(" | ").append(Double.isNaN(r.bytes) ? "" : f(r.bytes, 3)).append(" |\n");
        }
        s.append('\n').append(verdicts(rows, empty));
        return s.toString();
    }

    static String verdicts(List<Row> rows, Row empty) {
        StringBuilder s = new StringBuilder();
        Row disabled = find(rows, "HookBench.disabledHook", 1);
        if (empty != null && disabled != null) {
            boolean overlap = Math.abs(disabled.score - empty.score) <= disabled.error + empty.error;
            s.append("- disabled hook within error of the empty method: ").append(overlap ? "yes" : "NO")
                    .append(" (").append(f(disabled.score, 2)).append(" ± ").append(f(disabled.error, 2)).append(" vs ")
                    .append(f(empty.score, 2)).append(" ± ").append(f(empty.error, 2)).append(" ns; difference ")
                    .append(f(disabled.score - empty.score, 2)).append(" ns)\n");
        }
        for (int t = 1; t <= 2; t++) {
            Row l = find(rows, "FireBench.lkst_" + t + "t", t);
            Row j = find(rows, "FireBench.jfr_" + t + "t", t);
            if (l == null) continue;
            s.append("- enabled event, ").append(t).append(t == 1 ? " thread: " : " threads: ")
                    .append(f(l.score, 1)).append(" ns (CPU ").append(f(l.cpu, 1)).append(" ns): ")
                    .append(Math.min(l.score, Double.isNaN(l.cpu) ? l.score : l.cpu) <= 40 ? "meets" : "MISSES")
                    .append(" the 40 ns target");
            if (j != null) {
                s.append("; JFR ").append(f(j.score, 1)).append(" ns (CPU ").append(f(j.cpu, 1)).append(" ns): ")
                        .append(l.score < j.score ? "below" : "NOT below").append(" JFR by wall time, ")
                        .append(Double.isNaN(l.cpu) ? "–" : l.cpu < j.cpu ? "below" : "NOT below").append(" by CPU time");
                boolean apart = Math.abs(l.score - j.score) > l.error + j.error;
                s.append(apart ? "" : " (wall times within error of each other)");
            }
            if (!Double.isNaN(l.bytes)) {
                s.append("; ").append(f(l.bytes, 3)).append(" B/event").append(l.bytes < 0.5 ? " (0 B target met)" : " (0 B target MISSED)");
            }
            s.append('\n');
        }
        return s.toString();
    }

    static Row find(List<Row> rows, String name, int threads) {
        for (Row r : rows) if (r.name.equals(name) && r.threads == threads) return r;
        return null;
    }

    static String f(double v, int digits) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
