#!/bin/sh
# Builds the benchmarks and runs the whole suite, sized for a 2-CPU machine (about 6 minutes), then the logger's
# throughput. Prints JMH's output, then a markdown table (ns/op, CPU ns/op, ratios against the empty method and
# against JFR from the same run, bytes per operation) and the logger's MB/s.
#
#   lkst.bench/run.sh                                    # the whole suite, then the logger
#   LKST_BENCH_OPTS='-f 1 -wi 2 -i 3' lkst.bench/run.sh 'FireBench'   # a subset (JMH regexp), other settings
#
# Needs the other modules in ~/.m2 (mvn -DskipTests install at the top level) unless LKST_BENCH_NOBUILD=1 and
# target/benchmarks.jar exists. Trace directories go to java.io.tmpdir (set LKST_BENCH_DIR to choose).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
if [ "${LKST_BENCH_NOBUILD:-0}" != 1 ]; then
  mvn -B -q -Dstyle.color=never -f "$here/pom.xml" package
fi
dirprop=""
if [ -n "${LKST_BENCH_DIR:-}" ]; then dirprop="-Dlkst.bench.dir=$LKST_BENCH_DIR"; fi

# 2 forks x (3 x 1 s warm-up + 5 x 1 s measurement) per benchmark; gc profiler for B/op, CPU time per op
# (robust to other processes on the machine).
opts=${LKST_BENCH_OPTS:--f 2 -wi 3 -i 5 -w 1s -r 1s}
echo "command: java -cp $jar lkst.bench.Suite $opts -prof gc -prof lkst.bench.CpuTimeProfiler $*"
# shellcheck disable=SC2086 # opts is a list of options
java $dirprop -cp "$jar" lkst.bench.Suite \
  $opts \
  -prof gc -prof lkst.bench.CpuTimeProfiler \
  ${dirprop:+-jvmArgsAppend "$dirprop"} \
  "$@"

if [ $# -eq 0 ]; then
  echo
  java $dirprop -cp "$jar" lkst.bench.LoggerThroughput 10 1
fi
