#!/bin/sh
# print's peak RSS on a 1 M and a 10 M event trace (issue 10: within 10 %), measured by /usr/bin/time (Debian package
# "time"). The traces are kmem:kmalloc events with this kernel's format file and kallsyms in kernel/, so every line is
# rendered by its print format (%pS over kallsyms, __print_flags). Runs alternate (1 M, 10 M, 1 M, …); prints each
# run's peak RSS, then the median and range per trace and the ratio of the medians.
#
#   lkst.bench/print-rss.sh [RUNS] [JAVA OPTIONS]      # default 3 runs, the JVM's default heap
#
# Needs lkst.bench/target/benchmarks.jar (mvn -o package -pl lkst.bench -am -DskipTests from the reactor root).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar=$here/target/benchmarks.jar
runs=${1:-3}; shift 2>/dev/null || true
[ -f "$jar" ] || { echo "print-rss.sh: no $jar: build it first" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/lkst-print-rss.XXXXXX"); trap 'rm -rf "$work"' EXIT; trap 'exit 1' INT TERM
java -cp "$jar" lkst.bench.SyntheticTrace "$work/1M" 1000000
java -cp "$jar" lkst.bench.SyntheticTrace "$work/10M" 10000000
i=1
while [ "$i" -le "$runs" ]; do
  for t in 1M 10M; do
    # shellcheck disable=SC2068 # the JVM options, each a word
    /usr/bin/time -f "%M %e" -o "$work/time" java $@ -cp "$jar" lkst.buffers.tool.Main print "$work/$t" > "$work/out"
    lines=$(wc -l < "$work/out")
    read -r kb secs < "$work/time"
    echo "run $i $t: $lines lines, peak RSS $((kb / 1024)) MiB, $secs s"
    echo "$t $kb" >> "$work/rss"
  done
  i=$((i + 1))
done
echo "first line: $(java -cp "$jar" lkst.buffers.tool.Main print "$work/1M" | head -1)"
awk '
  { v[$1, ++n[$1]] = $2 }
  function median(t,    i, j, x, c, a) {
    c = n[t]; for (i = 1; i <= c; i++) a[i] = v[t, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
    lo[t] = a[1]; hi[t] = a[c]
    return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
  }
  END {
    m1 = median("1M"); m10 = median("10M")
    printf "peak RSS, median (min-max) of %d runs: 1 M events %.0f MiB (%.0f-%.0f), 10 M events %.0f MiB (%.0f-%.0f); 10 M / 1 M = %.2f (target <= 1.10)\n",
      n["1M"], m1 / 1024, lo["1M"] / 1024, hi["1M"] / 1024, m10 / 1024, lo["10M"] / 1024, hi["10M"] / 1024, m10 / m1
  }' "$work/rss"
