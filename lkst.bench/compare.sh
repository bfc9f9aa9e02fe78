#!/bin/sh
# Compares two builds of the benchmarks, run by turns: BEFORE, AFTER, BEFORE, AFTER … (PAIRS pairs), so that a
# change of load on the machine falls on both. Prints each run's wall and CPU ns/op, then per build the median and
# the spread (min–max) of both, and AFTER's medians as a ratio of BEFORE's.
#
#   lkst.bench/compare.sh BEFORE.jar AFTER.jar [PAIRS] [JMH REGEXP]
#   LKST_BENCH_OPTS='-f 1 -wi 3 -i 5 -w 1s -r 1s' lkst.bench/compare.sh before.jar after.jar 5 'BufferBench.own_1t|Breakdown.claimCommit56'
#
# The jars are two lkst.bench/target/benchmarks.jar built with `mvn -o package -pl lkst.bench -am -DskipTests` from
# the reactor root at the two commits (a git worktree for the older one). CPU ns/op: lkst.bench.CpuTimeProfiler.
set -eu
before=$1; after=$2; pairs=${3:-5}; bench=${4:-BufferBench.own_1t}
opts=${LKST_BENCH_OPTS:--f 1 -wi 3 -i 5 -w 1s -r 1s}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
run() { # JAR NAME N: one JMH run, its CSV kept
  # shellcheck disable=SC2086 # opts is a list of options
  java -jar "$1" $opts -prof lkst.bench.CpuTimeProfiler -rf csv -rff "$work/$2-$3.csv" "$bench" > "$work/$2-$3.log" 2>&1 \
    || { echo "compare.sh: the $2 run $3 failed:" >&2; tail -20 "$work/$2-$3.log" >&2; exit 1; }
}
i=1
while [ "$i" -le "$pairs" ]; do
  run "$before" before "$i"; run "$after" after "$i"
  i=$((i + 1))
done
echo "JMH $opts, $pairs alternating pairs, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# CSV rows: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"; the profiler's row is BENCH:cpu.time.norm
for f in "$work"/*.csv; do
  b=$(basename "$f" .csv)
  awk -F, -v run="$b" 'NR > 1 { gsub(/"/, ""); n = $1; sub(/^lkst\.bench\./, "", n); print run, n, $5 }' "$f"
done | awk '
  { split($1, r, "-"); build = r[1]; key = build SUBSEP $2; n[key]++; v[key, n[key]] = $3; names[$2] = 1; printf "%-7s %-32s %8.2f\n", $1, $2, $3 }
  function median(k,    i, j, t, c, a) {
    c = n[k]; for (i = 1; i <= c; i++) a[i] = v[k, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    lo[k] = a[1]; hi[k] = a[c]
    return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
  }
  END {
    printf "\n| benchmark | before: median (min–max) ns/op | after: median (min–max) ns/op | after / before |\n| --- | ---: | ---: | ---: |\n"
    for (name in names) {
      mb = median("before" SUBSEP name); ma = median("after" SUBSEP name)
      printf "| %s | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2f |\n", name, mb, lo["before" SUBSEP name], hi["before" SUBSEP name], ma, lo["after" SUBSEP name], hi["after" SUBSEP name], ma / mb
    }
  }'
