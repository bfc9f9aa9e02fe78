#!/usr/bin/env bash
# What tracing costs the tracer itself: LKST/J's own events in its trace, beside trace-cmd's in its own.
#   sudo lkst.bench/kernel/selfcost.sh            (root; from anywhere; prints a markdown table)
# Environment: RUNS (3: pairs of runs, LKST/J and trace-cmd alternating), SECONDS_TRACED (1), LKST_DIRECT=1 (run the
# built lkst.jar, skip ./lkst's build check; with its class-data archive, written by one untimed run first, as ./lkst
# keeps one: LKST_CDS=0 runs without), KEEP=1 (keep the work dir).
#
# Each run records the same thing, on an instance of its own with the same tracepoints:
#   lkst       ./lkst record -e sched:sched_switch -e raw_syscalls:sys_enter -- sleep SECONDS_TRACED
#   trace-cmd  trace-cmd record -d -B <instance> -e sched:sched_switch -e raw_syscalls:sys_enter sleep SECONDS_TRACED
# While it runs, the tracer's own threads are listed every 10 ms (LKST/J: /proc/PID/task of its JVM; trace-cmd: the
# trace-cmd processes, its recorders included, not the command). From the trace:
#   own sys_enter   sys_enter events whose thread is one of the tracer's
#   own switches    sched_switch events whose thread (prev) is one of the tracer's
#   touching        sched_switch events with the tracer's thread as prev or next (its wake-ups and sleeps)
#   events          every event of the trace
# and, for LKST/J, the switches touching its threads by thread name (summed over the runs).
# A thread listed late (it lived less than 10 ms) is missed: its events would count as others'.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-3}
SECONDS_TRACED=${SECONDS_TRACED:-1}
EVENTS=(-e sched:sched_switch -e raw_syscalls:sys_enter)

setup_kernel
setup_tracecmd
lkst_cds_prime

# watch_threads PID OUT [COMM]: appends "tid comm" for the threads of PID (and, with COMM, of its descendants) to OUT
# every 10 ms while PID lives. With COMM, own_threads keeps the tids only ever seen named COMM: a forked command is
# named like its parent until its exec.
watch_threads() {
  local pid=$1 out=$2 comm=${3:-} t c
  while kill -0 "$pid" 2>/dev/null; do
    tree "$pid" "$comm" >> "$out" 2>/dev/null
    sleep 0.01
  done
}
tree() { # pid [follow-children]: "tid comm" of its threads, then of its children's (builtins only: a sample is quick)
  local t c kids k
  for t in /proc/"$1"/task/*; do
    c=; read -r c < "$t/comm"; echo "${t##*/} ${c// /_}"
    if [ -n "$2" ]; then read -r -a kids < "$t/children"; for k in "${kids[@]}"; do tree "$k" "$2"; done; fi
  done
}
own_threads() { # TIDS-FILE [COMM]
  awk -v c="${2:-}" '$1 ~ /^[0-9]+$/ { seen[$1] = 1; if (c != "" && $2 != "" && $2 != c) bad[$1] = 1 }
    END { for (t in seen) if (!(t in bad)) print t }' "$1" | sort -n
}

# count TIDS LINES: "own_sys_enter own_switch touching events" from normalised lines "tid event prev next"
count() {
  awk 'NR == FNR { own[$1] = 1; next }
       { ev++
         if ($2 == "sys_enter" && ($1 in own)) se++
         if ($2 == "sched_switch") { if ($1 in own) sw++; if (($3 in own) || ($4 in own)) to++ } }
       END { printf "%d %d %d %d\n", se, sw, to, ev }' "$1" "$2"
}

run_lkst() { # out-prefix
  local home p
  home=$(lkst_home)
  (cd "$MAIN" && LKST_HOME=$home exec $(LKST_HOME=$home lkst_cmd) record -o "$1.trace" "${EVENTS[@]}" -- sleep "$SECONDS_TRACED") \
    > "$1.out" 2>&1 &
  p=$!
  STARTED+=("$p")
  : > "$1.tids"
  watch_threads "$p" "$1.tids"
  wait "$p" || { cat "$1.out" >&2; die "lkst record failed"; }
  # ./lkst print: "TS [CPU] COMM-PID/TID GROUP NAME field=value …" (COMM may hold spaces)
  (cd "$MAIN" && LKST_HOME=$home $(LKST_HOME=$home lkst_cmd) print "$1.trace") 2>/dev/null \
    | awk '{ if (!match($0, /-[0-9]+\/[0-9]+ [A-Z_]+ [a-z_]+:[a-z_]+/)) next
             s = substr($0, RSTART + 1, RLENGTH - 1); split(s, a, " "); split(a[1], id, "/"); split(a[3], n, ":")
             prev = "-"; next_ = "-"
             if (match($0, / prev_pid=[0-9]+/)) prev = substr($0, RSTART + 10, RLENGTH - 10)
             if (match($0, / next_pid=[0-9]+/)) next_ = substr($0, RSTART + 10, RLENGTH - 10)
             print id[2], n[2], prev, next_ }' > "$1.lines"
  rm -rf "$1.trace" "$1.trace.buffers"
}

run_tc() { # out-prefix
  local p inst=$TAG-self
  LD_PRELOAD=$HIDE trace-cmd record -d -B "$inst" "${EVENTS[@]}" -o "$1.dat" sleep "$SECONDS_TRACED" > "$1.out" 2>&1 &
  p=$!
  STARTED+=("$p")
  : > "$1.tids"
  watch_threads "$p" "$1.tids" trace-cmd
  wait "$p" || { cat "$1.out" >&2; die "trace-cmd record failed"; }
  remove_instance "$TRACEFS/instances/$inst"
  # trace-cmd report: "COMM-TID [CPU] TS: EVENT: fields"
  trace-cmd report -i "$1.dat" 2>/dev/null \
    | awk '{ if (!match($0, /-[0-9]+ +\[[0-9]+\] +[0-9.]+: [a-z_]+:/)) next
             s = substr($0, RSTART + 1, RLENGTH - 2); n = split(s, a, " "); tid = a[1]; ev = a[n]
             prev = "-"; next_ = "-"
             if (ev == "sched_switch" && match($0, /:[0-9]+ \[[0-9]+\] [A-Za-z+|]+ ==> /)) {
               t = substr($0, RSTART + 1); prev = t; sub(/ .*/, "", prev) }
             if (ev == "sched_switch" && match($0, /:[0-9]+ \[[0-9]+\] *$/)) {
               t = substr($0, RSTART + 1); next_ = t; sub(/ .*/, "", next_) }
             print tid, ev, prev, next_ }' > "$1.lines"
  rm -f "$1.dat"
}

ROWS=$WORK/rows
: > "$ROWS"
echo "| run | tracer | own threads | own sys_enter | own switches | switches touching its threads | events in the trace |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for i in $(seq "$RUNS"); do
  for tracer in lkst trace-cmd; do
    pre=$WORK/$tracer-$i
    if [ "$tracer" = lkst ]; then run_lkst "$pre"; else run_tc "$pre"; fi
    if [ "$tracer" = lkst ]; then own_threads "$pre.tids" > "$pre.own"; else own_threads "$pre.tids" trace-cmd > "$pre.own"; fi
    read -r se sw to ev < <(count "$pre.own" "$pre.lines")
    echo "$tracer $se $sw $to $ev" >> "$ROWS"
    echo "| $i | $tracer | $(wc -l < "$pre.own") | $se | $sw | $to | $ev |"
  done
done
echo
# medians per tracer, and LKST/J's as a ratio of trace-cmd's from the same run
awk '{ n[$1]++; se[$1, n[$1]] = $2; sw[$1, n[$1]] = $3; to[$1, n[$1]] = $4 }
  function med(a, t, k,   v, i, j, x, m) { m = n[t]; for (i = 1; i <= m; i++) v[i] = a[t, i]
    for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
    return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
  function rng(a, t,   i, lo, hi) { lo = hi = a[t, 1]; for (i = 2; i <= n[t]; i++) { if (a[t, i] < lo) lo = a[t, i]; if (a[t, i] > hi) hi = a[t, i] }
    return lo "–" hi }
  END {
    printf "medians of %d runs each (range):\n", n["lkst"]
    for (t in n) printf "  %-9s own sys_enter %s (%s), own switches %s (%s), switches touching its threads %s (%s)\n", t,
      med(se, t), rng(se, t), med(sw, t), rng(sw, t), med(to, t), rng(to, t)
    if (med(to, "trace-cmd") > 0) printf "  switches touching its threads, LKST/J / trace-cmd: %.2f\n", med(to, "lkst") / med(to, "trace-cmd")
  }' "$ROWS"
# by thread name (digits at the end dropped: C2 CompilerThread0/1 are one line), summed over LKST/J's runs
echo "LKST/J's switches touching its threads, by thread name, summed over its $RUNS runs:"
for i in $(seq "$RUNS"); do
  pre=$WORK/lkst-$i
  awk 'FILENAME ~ /\.tids$/ { if (!($1 in name)) name[$1] = $2; next }
       FILENAME ~ /\.own$/ { own[$1] = 1; next }
       $2 == "sched_switch" { if ($3 in own) c[name[$3]]++; else if ($4 in own) c[name[$4]]++ }
       END { for (n in c) print n, c[n] }' "$pre.tids" "$pre.own" "$pre.lines"
done | awk '{ sub(/[0-9]+$/, "", $1); s[$1] += $2 } END { for (n in s) print s[n], n }' | sort -rn | head -12 \
  | awk '{ printf "  %6d %s\n", $1, $2 }'
echo "load average after: $(loadavg)"
