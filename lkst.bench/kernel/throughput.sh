#!/usr/bin/env bash
# LKST/J's kernel readers against the floor and trace-cmd, on a syscall storm and on hackbench, in one run.
#   sudo lkst.bench/kernel/throughput.sh            (root; from anywhere; prints markdown tables)
# Environment: STORM_BYTES (2000000: dd bs=1, 4 events per byte), STORM_CPU (unset: dd runs where the scheduler puts
# it; N: taskset -c N, so that it cannot move between CPUs during the run), HACKBENCH (perf bench sched messaging -g 10 -l 1300),
# KB (8192: per-CPU buffer of every reader), NICE (-10: nice of every reader, LKST/J's default), WORKLOADS
# ("storm hackbench"), LKST_KNOBS ("read:16:2:free read:16:2:pin read:0:2:free mmap:0:2:free read:16:0:free": one `lkst record` row per
# reader:sub-buffer-KiB:SCHED_FIFO-priority:pin|free; sub-buffer 0 = the kernel's 4 KiB, priority 0 = nice only, free = readers not pinned to their CPUs; the first is
# LKST/J's default), RTPRIO (1: SCHED_FIFO priority of KernelThroughput's readers), TC_PRIOS ("shipped fifo": one
# trace-cmd row as shipped (nice 0), one with its recorders SCHED_FIFO RTPRIO like LKST/J's), LKST_DIRECT=1 (run the built lkst.jar, skip ./lkst's build check), KEEP=1 (keep the work dir).
#
# Per workload, one after the other, each on its own ftrace instance with the same tracepoints and buffer size:
#   lkst record      ./lkst record … -- WORKLOAD as a user runs it: decode, dispatch, record into LKST/J's buffers,
#                    written to a trace directory; figures from its status summary. Once per LKST_KNOBS entry
#                    (configuration lkst.kernel in deploy/lkst.kernel.cfg: mmap, subbuf.size.kb, buffer.size.kb,
#                    reader.nice).
#   decode+dispatch  KernelThroughput: LKST/J's readers decoding and dispatching to a handler that only counts
#                    (no recording), read() and mmap.
#   floor            KernelThroughput's raw reader: LKST/J's read loop with decoding off — read() of whole pages into
#                    one buffer (raw-read), or GET_READER hand-overs of the mapping (raw-mmap); nothing decoded.
#   trace-cmd        trace-cmd record -d -B <instance> -b KB -e … (splice of pages to files; LD_PRELOAD wrapper),
#                    as shipped and with its recorders SCHED_FIFO (chrt); CPU of its recorder processes (from /proc)
#                    over the events they had read. It leaves up to half of each buffer to its flush at stop.
# Storm tracepoints: raw_syscalls:sys_enter, raw_syscalls:sys_exit (SYSCALL_ENTRY, SYSCALL_EXIT).
# Hackbench tracepoints: LKST's DEF set ($TOOLS/def.events, ../shared/tools from the repository root; ./lkst record -m default).
# Every reader traces every process (no pid filter), its own threads excepted.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STORM_BYTES=${STORM_BYTES:-2000000}
STORM_CPU=${STORM_CPU:-}
HACKBENCH=${HACKBENCH:-perf bench sched messaging -g 10 -l 1300}
KB=${KB:-8192}
NICE=${NICE:--10}
WORKLOADS=${WORKLOADS:-storm hackbench}
LKST_KNOBS=${LKST_KNOBS:-read:16:2:free read:16:2:pin read:0:2:free mmap:0:2:free read:16:0:free}
RTPRIO=${RTPRIO:-1}
TC_PRIOS=${TC_PRIOS:-shipped fifo}
DEF=$TOOLS/def.events

setup_kernel
setup_tracecmd
need perf linux-perf
need javac openjdk-17-jdk-headless

# KernelThroughput, compiled against the runtime's own bundles
BUNDLES=$MAIN/lkst.runtime/target/lkst/bundles
[ -f "$BUNDLES/lkst.hooks.jar" ] || (cd "$MAIN" && mvn -B -q -Dstyle.color=never -DskipTests install) >&2 || die "build failed"
KT_CP=$WORK/cls:$BUNDLES/lkst.hooks.jar:$BUNDLES/lkst.core.jar:$BUNDLES/jna.jar
mkdir -p "$WORK/cls"
javac -nowarn -d "$WORK/cls" -cp "$KT_CP" "$MAIN/lkst.hooks/src/test/java/lkst/hooks/kernel/KernelThroughput.java" \
  || die "cannot compile KernelThroughput"

printf 'raw_syscalls:sys_enter\nraw_syscalls:sys_exit\n' > "$WORK/storm.events"

ROWS=$WORK/rows.md
: > "$ROWS"
row() { printf '| %s |\n' "$*" >> "$ROWS"; printf '| %s |\n' "$*"; }

# figures from per-CPU "cpu read lost cpu_ns" lines and the workload's seconds: one table row
emit() { # workload reader knobs seconds percpu-file
  local w=$1 r=$2 k=$3 s=$4 f=$5
  awk -v w="$w" -v r="$r" -v k="$k" -v s="$s" '
    { ev += $2; lo += $3; ns += $4
      per = per sprintf("%scpu%d %.2f M/s %s", (NR > 1 ? "; " : ""), $1, $2 / s / 1e6, ($2 > 0 ? sprintf("%.0f ns", $4 / $2) : "-"))
      lost = lost sprintf("%s%d", (NR > 1 ? " / " : ""), $3) }
    END { printf "%s | %s | %s | %.2f s | %.2f M | %.2f M/s | %s | %s | %s (%.1f %%)\n", w, r, k, s, ev / 1e6,
            ev / s / 1e6, (ev > 0 ? sprintf("%.0f", ns / ev) : "-"), per, lost, 100 * lo / (ev + lo > 0 ? ev + lo : 1) }' "$f" \
    | { IFS= read -r line; row "$line"; }
}

run_lkst() { # workload label mmap(true|false) subbuf-kb rtprio pin(true|false) record-args… -- command…
  local w=$1 label=$2 mmap=$3 sb=$4 rt=$5 pin=$6; shift 6
  local home out
  home=$(lkst_home "mmap=$mmap" "buffer.size.kb=$KB" "reader.nice=$NICE" "subbuf.size.kb=$sb" "reader.rtprio=$rt" "reader.pin=$pin")
  out=$WORK/$w-lkst-$mmap-$sb-$rt-$pin.out
  lkst_record "$out" "$home" "$@"
  local s
  s=$(rec_traced_s "$out")
  [ -n "$s" ] || { cat "$out" >&2; die "lkst record failed"; }
  rec_cpus "$out" | awk '{ print $1, $2, $3, $4 * 1e6 }' > "$WORK/per"
  emit "$w" "$label" "$(rec_mode "$out"), $(rec_kb "$out") KiB/CPU, sub-buffers $([ "$sb" = 0 ] && echo 4 || echo "$sb") KiB, nice $NICE; LKST/J buffers lost $(rec_buffers_lost "$out")" "$s" "$WORK/per"
  [ "$rt" = 0 ] || grep -q "(fifo $rt" "$out" || log "warning: $w: readers did not run SCHED_FIFO $rt (see $out)"
}

run_kt() { # workload events-file command modes
  local w=$1 ev=$2 cmd=$3 modes=$4
  java -Dlkst.modes="$modes" -Dlkst.rtprio="$RTPRIO" -Dlkst.tracepoints="$ev" -cp "$KT_CP" lkst.hooks.kernel.KernelThroughput 0 "$KB" "$NICE" "$cmd" \
    > "$WORK/kt.out" 2> "$WORK/kt.err" &
  local p=$!
  STARTED+=("$p")
  wait "$p" || { cat "$WORK/kt.err" >&2; die "KernelThroughput failed"; }
  local line mode s label
  while IFS= read -r line; do
    mode=$(sed 's/.* mode=\([^ ]*\).*/\1/' <<<"$line")
    s=$(sed 's/.* workload_s=\([^ ]*\).*/\1/' <<<"$line")
    grep -o 'cpu[0-9]*_read=[0-9]* cpu[0-9]*_lost=[0-9]* cpu[0-9]*_ns_per_event=[0-9-]*' <<<"$line" \
      | sed 's/cpu\([0-9]*\)_read=\([0-9]*\) cpu[0-9]*_lost=\([0-9]*\) cpu[0-9]*_ns_per_event=\([0-9-]*\)/\1 \2 \3 \4/' \
      | awk '{ print $1, $2, $3, ($4 == "-" ? 0 : $4 * $2) }' > "$WORK/per"
    case $mode in
      raw-read) label="floor: LKST/J read loop, decoding off (read() of pages)" ;;
      raw-mmap) label="floor: LKST/J mmap loop, decoding off (GET_READER only)" ;;
      read) label="LKST/J decode + dispatch to a counting handler, read()" ;;
      mmap) label="LKST/J decode + dispatch to a counting handler, mmap" ;;
    esac
    emit "$w" "$label" "$mode, $KB KiB/CPU, 4 KiB sub-buffers, nice $NICE, fifo $RTPRIO" "$s" "$WORK/per"
  done < <(grep '^RESULT' "$WORK/kt.out")
}

run_tc() { # workload events-file prio(shipped|fifo) command…
  local w=$1 ev=$2 prio=$3; shift 3
  tc_start "$w" "$ev" "$KB"
  local p knobs="-b $KB, 4 KiB sub-buffers, recorders as shipped (nice 0)"
  if [ "$prio" = fifo ]; then
    for p in $TC_PID $(descendants "$TC_PID"); do chrt -f -p "$RTPRIO" "$p" >/dev/null; done
    knobs="-b $KB, 4 KiB sub-buffers, recorders SCHED_FIFO $RTPRIO (chrt)"
  fi
  local t0 t1
  t0=$EPOCHREALTIME
  "$@" > /dev/null 2>&1
  t1=$EPOCHREALTIME
  echo 0 > "$TRACEFS/instances/$TC_INST/tracing_on" # as the other readers do: nothing after the workload
  tc_drain
  local cpu
  cpu=$(cpu_s "$TC_PID")
  inst_stats "$TC_INST" > "$WORK/tcstats"
  tc_stop
  # trace-cmd's recorders are not per CPU in /proc terms we can split: its CPU is shared out by events read
  awk -v cpu="$cpu" '{ r[NR] = $0; split($0, f, " "); tot += f[2] } END {
      for (i = 1; i <= NR; i++) { split(r[i], f, " "); print f[1], f[2], f[4], (tot > 0 ? cpu * 1e9 * f[2] / tot : 0) } }' \
    "$WORK/tcstats" > "$WORK/per"
  local s
  s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  emit "$w" "trace-cmd record (splice)" "$knobs; $(awk '{ s += $3 } END { print s }' "$WORK/tcstats") events left to its flush at stop" "$s" "$WORK/per"
}

echo "# LKST/J kernel reader throughput — $(date -u '+%F %T UTC'), $(uname -r), $(nproc) CPUs, load average before: $(loadavg)"
echo
echo "| workload | reader | knobs | workload time | events read | events/s | CPU ns/event | per reader (events/s; CPU ns/event) | lost per CPU (%) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for w in $WORKLOADS; do
  case $w in
    storm)
      cmd="dd if=/dev/zero of=/dev/null bs=1 count=$STORM_BYTES"
      if [ -n "$STORM_CPU" ]; then cmd="taskset -c $STORM_CPU $cmd"; fi
      ev=$WORK/storm.events
      rec=(-e SYSCALL_ENTRY -e SYSCALL_EXIT) ;;
    hackbench)
      cmd=$HACKBENCH
      ev=$DEF
      rec=(-m default) ;;
    *) die "unknown workload $w (storm, hackbench)" ;;
  esac
  for knobs in $LKST_KNOBS; do # reader:subbuf:rtprio[:pin]
    IFS=: read -r k_reader k_sb k_rt k_pin <<<"$knobs"
    run_lkst "$w" "lkst record (decode, dispatch, record)" "$([ "$k_reader" = mmap ] && echo true || echo false)" "$k_sb" "${k_rt:-2}" \
      "$([ "${k_pin:-free}" = pin ] && echo true || echo false)" \
      "${rec[@]}" -o "$WORK/$w.trace" -- sh -c "$cmd > /dev/null 2>&1"
    rm -rf "$WORK/$w.trace"
  done
  run_kt "$w" "$ev" "$cmd" raw-read,raw-mmap,read,mmap
  for prio in $TC_PRIOS; do run_tc "$w" "$ev" "$prio" sh -c "$cmd"; done
  rm -rf "$WORK"/*.trace "$WORK"/*.dat
done
echo
echo "load average after: $(loadavg)"
