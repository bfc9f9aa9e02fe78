#!/usr/bin/env bash
# What tracing an idle machine costs the tracer in wake-ups: context switches per second of LKST/J's threads while
# `./lkst record` traces, beside trace-cmd's recorders, alternating (issue 12 point 5).
#   sudo lkst.bench/kernel/idle.sh            (root; from anywhere; prints a markdown table)
# Environment: RUNS (5: pairs, LKST/J and trace-cmd alternating), WINDOW (5: seconds counted), SETTLE (2: seconds
# after tracing started before counting), LKST_DIRECT=1 (run the built lkst.jar with ./lkst's JVM options and a
# class-data archive, skip ./lkst's build check), KEEP=1 (keep the work dir).
#
# Each run traces for SETTLE + WINDOW + 4 seconds, on an instance of its own with the same tracepoints:
#   lkst       ./lkst record -e sched:sched_switch -e raw_syscalls:sys_enter -d SECONDS
#   trace-cmd  trace-cmd record -d -B <instance> -e sched:sched_switch -e raw_syscalls:sys_enter sleep SECONDS
# Once its instance has events enabled (and, for trace-cmd, one recorder per CPU runs), it waits SETTLE seconds, then
# reads voluntary_ctxt_switches and nonvoluntary_ctxt_switches of every thread of the tracer (/proc/PID/task/*/status:
# LKST/J's JVM; trace-cmd and its recorder processes, not the command) before and after WINDOW seconds.
#   wake-ups/s     voluntary switches per second: the thread slept and was woken (a timer, data, a signal)
#   preempted/s    involuntary switches per second
# A thread that starts within the window counts from 0; one that ends within it is not counted.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-5}
WINDOW=${WINDOW:-5}
SETTLE=${SETTLE:-2}
TRACED=$((SETTLE + WINDOW + 4))
EVENTS=(-e sched:sched_switch -e raw_syscalls:sys_enter)

setup_kernel
setup_tracecmd
lkst_cds_prime

# switches PID [COMM]: "tid voluntary nonvoluntary name" (digits at its end dropped) for the threads of PID and (with COMM) of its descendants named COMM
switches() {
  local t p
  for p in "$1" $( [ -n "${2:-}" ] && descendants "$1"); do
    if [ "$p" != "$1" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" != "$2" ]; then continue; fi
    for t in /proc/"$p"/task/*; do
      awk -v t="${t##*/}" '/^Name:/ { c = $2; for (i = 3; i <= NF; i++) c = c "_" $i; sub(/[0-9]+$/, "", c) }
        /^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary_ctxt_switches/ { n = $2 }
        END { if (v != "") print t, v, n, c }' "$t/status" 2>/dev/null
    done
  done
}
# delta BEFORE AFTER: "threads voluntary nonvoluntary" summed over the threads alive at AFTER (new ones from 0)
delta() {
  awk 'NR == FNR { v[$1] = $2; n[$1] = $3; next }
       { c++; dv += $2 - v[$1]; dn += $3 - n[$1] } END { printf "%d %d %d\n", c, dv, dn }' "$1" "$2"
}
await_enabled() { # INSTANCE-GLOB PID [RECORDERS]: until an instance matching has events enabled (and PID has RECORDERS children)
  local d
  for _ in $(seq 600); do
    kill -0 "$2" 2>/dev/null || return 1
    for d in $TRACEFS/instances/$1; do
      if [ -d "$d" ] && [ "$(cat "$d/events/enable" 2>/dev/null)" != 0 ] \
         && { [ -z "${3:-}" ] || [ "$(ps -o pid= --ppid "$2" | wc -l)" -ge "$3" ]; }; then return 0; fi
    done
    sleep 0.05
  done
  return 1
}
measure() { # PID OUT-PREFIX [COMM]
  sleep "$SETTLE"
  switches "$1" "${3:-}" > "$2.before"
  sleep "$WINDOW"
  switches "$1" "${3:-}" > "$2.after"
  delta "$2.before" "$2.after"
}

ROWS=$WORK/rows
: > "$ROWS"
echo "| run | tracer | threads | wake-ups/s | preempted/s |"
echo "| --- | --- | ---: | ---: | ---: |"
for i in $(seq "$RUNS"); do
  for tracer in lkst trace-cmd; do
    pre=$WORK/$tracer-$i
    if [ "$tracer" = lkst ]; then
      home=$(lkst_home)
      (cd "$MAIN" && LKST_HOME=$home exec $(LKST_HOME=$home lkst_cmd) record -o "$pre.trace" "${EVENTS[@]}" -d "$TRACED") \
        > "$pre.out" 2>&1 &
      p=$!
      STARTED+=("$p")
      await_enabled "lkstj-$p-*" "$p" || { cat "$pre.out" >&2; die "lkst record did not start tracing"; }
      read -r n v nv < <(measure "$p" "$pre")
      wait "$p" || { cat "$pre.out" >&2; die "lkst record failed"; }
      rm -rf "$pre.trace" "$pre.trace.buffers"
    else
      inst=$TAG-idle
      LD_PRELOAD=$HIDE trace-cmd record -d -B "$inst" "${EVENTS[@]}" -o "$pre.dat" sleep "$TRACED" > "$pre.out" 2>&1 &
      p=$!
      STARTED+=("$p")
      await_enabled "$inst" "$p" "$(nproc)" || { cat "$pre.out" >&2; die "trace-cmd did not start tracing"; }
      read -r n v nv < <(measure "$p" "$pre" trace-cmd)
      wait "$p" || { cat "$pre.out" >&2; die "trace-cmd record failed"; }
      remove_instance "$TRACEFS/instances/$inst"
      rm -f "$pre.dat"
    fi
    w=$(awk -v v="$v" -v s="$WINDOW" 'BEGIN { printf "%.1f", v / s }')
    q=$(awk -v v="$nv" -v s="$WINDOW" 'BEGIN { printf "%.1f", v / s }')
    echo "$tracer $w $q" >> "$ROWS"
    echo "| $i | $tracer | $n | $w | $q |"
  done
done
echo
awk '{ n[$1]++; w[$1, n[$1]] = $2; q[$1, n[$1]] = $3 }
  function med(a, t,   v, i, j, x, m) { m = n[t]; for (i = 1; i <= m; i++) v[i] = a[t, i] + 0
    for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
    lo = v[1]; hi = v[m]; return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
  END {
    printf "medians of %d runs each, %d s counted per run (range):\n", n["lkst"], '"$WINDOW"'
    for (t in n) { a = med(w, t); al = lo; ah = hi; b = med(q, t); printf "  %-9s wake-ups/s %.1f (%.1f–%.1f), preempted/s %.1f (%.1f–%.1f)\n", t, a, al, ah, b, lo, hi }
    if (med(w, "trace-cmd") > 0) printf "  wake-ups/s, LKST/J / trace-cmd: %.2f\n", med(w, "lkst") / med(w, "trace-cmd")
  }' "$ROWS"
# by thread name (C2 CompilerThread0/1 are one line), LKST/J's runs together
echo "LKST/J's wake-ups/s by thread name (voluntary switches, over its $RUNS runs):"
for i in $(seq "$RUNS"); do
  awk 'NR == FNR { v[$1] = $2; next } { print $4, $2 - v[$1] }' "$WORK/lkst-$i.before" "$WORK/lkst-$i.after"
done | awk -v s=$((RUNS * WINDOW)) '{ c[$1] += $2 } END { for (t in c) if (c[t] > 0) printf "%8.2f %s\n", c[t] / s, t }' | sort -rn | head -12
echo "load average after: $(loadavg)"
