#!/bin/sh
# view's page of a 1 M-event trace in headless Chromium (Debian's chromium and chromium-driver): the page's size, its
# first full paint and its wheel-zoom repaints, medians of RUNS alternating runs with [min–max], each as a ratio to a
# baseline measured in the same run: the page of a 1000-event trace (what the browser and the page cost whatever the
# trace). Prints the command lines it runs and a table.
#
#   lkst.bench/view/pageload.sh            # a synthetic scheduler trace of EVENTS events (SchedTrace, fixed seed)
#   lkst.bench/view/pageload.sh DIR        # a trace you recorded, e.g. ./lkst record -e sched -e irq -e raw_syscalls -o DIR -- make -j2
#   RUNS=5 WHEELS=10 EVENTS=1000000 lkst.bench/view/pageload.sh
#
# Builds the reactor's jars (mvn package, nothing installed) unless LKST_BENCH_NOBUILD=1. Scratch files go to
# LKST_BENCH_DIR (default /tmp) and are removed at the end.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${RUNS:-5}
wheels=${WHEELS:-10}
events=${EVENTS:-1000000}
for f in /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$f" ] || { echo "pageload: needs $f: apt-get install chromium chromium-driver" >&2; exit 1; }
done
if [ "${LKST_BENCH_NOBUILD:-0}" != 1 ]; then
  (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests -pl lkst.bench,lkst.runtime -am package)
fi
jar=$root/lkst.bench/target/benchmarks.jar
lkst="java -jar $root/lkst.runtime/target/lkst/lkst.jar"
work=$(mktemp -d "${LKST_BENCH_DIR:-/tmp}/lkst-view-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

java -cp "$jar" lkst.bench.view.SchedTrace "$work/baseline" 1000 2 >/dev/null
if [ $# -ge 1 ]; then
  trace=$1
else
  echo "command: java -cp $jar lkst.bench.view.SchedTrace \$work/trace $events 2"
  java -cp "$jar" lkst.bench.view.SchedTrace "$work/trace" "$events" 2
  trace=$work/trace
fi
$lkst view "$work/baseline" -o "$work/baseline.html" >/dev/null
echo "command: $lkst view $trace -o \$work/$(basename "$trace").html"
start=$(date +%s.%N)
$lkst view "$trace" -o "$work/$(basename "$trace").html"
end=$(date +%s.%N)
echo "view took $(awk "BEGIN { printf \"%.1f\", $end - $start }") s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "command: java -cp $jar lkst.bench.view.PageLoad $runs $wheels baseline.html $(basename "$trace").html"
java -cp "$jar" lkst.bench.view.PageLoad "$runs" "$wheels" "$work/baseline.html" "$work/$(basename "$trace").html"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); targets: page <= 40 MB, first full paint <= 2000 ms, wheel-zoom repaint <= 100 ms"
