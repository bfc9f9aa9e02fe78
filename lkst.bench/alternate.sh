#!/usr/bin/env bash
# Before/after in one invocation: runs one JMH benchmark from several benchmarks jars, alternating (jar 1, jar 2, …,
# jar 1, jar 2, …), PAIRS rounds, and prints each run and, per jar, the median and range of ns/op and CPU ns/op.
#   lkst.bench/alternate.sh BENCHMARK NAME=JAR NAME=JAR …
#   e.g. lkst.bench/alternate.sh BufferBench.own_1t main=/tmp/main.jar branch=lkst.bench/target/benchmarks.jar
# Environment: PAIRS (3: rounds), JMH_OPTS ('-f 1 -wi 3 -i 5 -w 1s -r 1s').
# Build a jar of another commit with `mvn -B -q -o package -pl lkst.bench -am -DskipTests` in a worktree of it.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 BENCHMARK NAME=JAR NAME=JAR …" >&2; exit 2; }
bench=$1; shift
PAIRS=${PAIRS:-3}
JMH_OPTS=${JMH_OPTS:--f 1 -wi 3 -i 5 -w 1s -r 1s}
for a in "$@"; do [ -f "${a#*=}" ] || { echo "$0: no jar ${a#*=}" >&2; exit 1; }; done
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
echo "| round | jar | ns/op | ± (99.9 %) | CPU ns/op | load avg (1 min) |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for r in $(seq "$PAIRS"); do
  for a in "$@"; do
    name=${a%%=*} jar=${a#*=}
    # shellcheck disable=SC2086 # JMH_OPTS is a list of options
    out=$(java -cp "$jar" lkst.bench.Suite $JMH_OPTS -prof lkst.bench.CpuTimeProfiler "$bench" 2>&1) \
      || { echo "$out" >&2; echo "$0: $name failed" >&2; exit 1; }
    # JMH's result lines: "BufferBench.own_1t  avgt  5  24.1 ± 1.0  ns/op" and the profiler's "·cpu.ns/op" line
    ns=$(echo "$out" | awk -v b="$bench" '$1 ~ b"$" && $2 == "avgt" { print $4, $6; exit }')
    cpu=$(echo "$out" | awk -v b="$bench" 'index($1, b) && $1 ~ /cpu/ && $2 == "avgt" { print $4; exit }')
    echo "| $r | $name | ${ns% *} | ${ns#* } | ${cpu:--} | $(cut -d' ' -f1 /proc/loadavg) |"
    echo "$name ${ns% *} ${cpu:--}" >> "$rows"
  done
done
echo
awk '{ n[$1]++; w[$1, n[$1]] = $2; c[$1, n[$1]] = $3; if (!($1 in order)) { order[$1] = ++k; names[k] = $1 } }
  function med(a, t,   v, i, j, x, m) { m = n[t]; for (i = 1; i <= m; i++) v[i] = a[t, i] + 0
    for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
    return sprintf("%.2f (%.2f–%.2f)", (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2, v[1], v[m]) }
  END { for (i = 1; i <= k; i++) printf "%-10s ns/op %s, CPU ns/op %s, %d runs\n", names[i], med(w, names[i]), med(c, names[i]), n[names[i]] }' "$rows"
