#!/usr/bin/env bash
# LKST's own overhead table, re-measured for LKST/J: a build (make -j2 of FILES small C files, gcc -O2) untraced, with
# the runtime up and nothing enabled (OFF), with every standard event but the locks (DEF) and with all (ALL), as
# wall-time ratios to untraced, beside trace-cmd's ratio for the same tracepoints; medians of N interleaved rounds.
#   sudo lkst.bench/kernel/overhead.sh          (root; from anywhere; prints a markdown table)
# Environment: N (3 rounds), FILES (80), FUNCS (30 functions per file: ~11 s per build on this VM when idle), KB (8192: per-CPU
# buffer of trace-cmd; LKST/J runs with its defaults), LKST_DIRECT=1 (run the built lkst.jar without ./lkst's build
# check), KEEP=1 (keep the work directory).
#
# Configurations, each round in this order (the build is cleaned before each, outside the timing):
#   untraced   bash build.sh                                   tracepoints compiled in but off (LKST's OFF baseline)
#   OFF        ./lkst record -m off     -o DIR -- bash build.sh  runtime up, ftrace instance made, nothing enabled
#   DEF        ./lkst record -m default -o DIR -- bash build.sh  49 tracepoints (every mapped LKST event but locks)
#   ALL        ./lkst record -m all     -o DIR -- bash build.sh  51 tracepoints
#   tc DEF/ALL trace-cmd record -d -B <instance> -b KB -F -c -e <def.events|all.events> -o FILE -- bash build.sh
#              (as in shared/docs/kernel-facts.md: trace-cmd filters by pid in the kernel, -F -c; LKST/J traces every
#              process but its own threads)
# build.sh times `make -j2` alone (bash EPOCHREALTIME), so JVM start and trace-cmd's flush are not in the ratio.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=${N:-3}
FILES=${FILES:-80}
FUNCS=${FUNCS:-30}
KB=${KB:-8192}
CONFIGS=${CONFIGS:-untraced OFF DEF ALL tc-DEF tc-ALL}

setup_kernel
setup_tracecmd
need make make

gen_sources() { # dir files funcs: FILES C files of FUNCS switch-and-loop functions each, and a Makefile
  local dir=$1 n=$2 f=$3 i
  mkdir -p "$dir"
  for i in $(seq -w 1 "$n"); do
    awk -v i="$i" -v f="$f" 'BEGIN {
      print "#include <stddef.h>\n#include <string.h>"
      for (j = 0; j < f; j++) {
        printf "static unsigned long f%s_%d(const unsigned char *p, size_t n, unsigned long s) {\n", i, j
        printf "  for (size_t k = 0; k < n; k++) {\n    switch ((p[k] + s + %d) %% 7) {\n", j
        for (c = 0; c < 7; c++) printf "    case %d: s = s * %d + (p[k] ^ %d); break;\n", c, 31 + c + j, c * j + 1
        printf "    }\n    if (s %% %d == 0) s += n << %d;\n  }\n  return s;\n}\n", 13 + j, j % 5
      }
      printf "unsigned long mod%s(const unsigned char *p, size_t n) {\n  unsigned long s = 0;\n", i
      for (j = 0; j < f; j++) printf "  s = f%s_%d(p, n, s);\n", i, j
      print "  return s;\n}"
    }' > "$dir/m$i.c"
  done
  printf 'SRCS := $(wildcard m*.c)\nOBJS := $(SRCS:.c=.o)\nall: $(OBJS)\n%%.o: %%.c\n\t$(CC) -O2 -c $< -o $@\nclean:\n\trm -f $(OBJS)\n' \
    > "$dir/Makefile"
}

SRC=$WORK/src
gen_sources "$SRC" "$FILES" "$FUNCS"
cat > "$WORK/build.sh" <<B
t0=\$EPOCHREALTIME
make -s -j2 -C "$SRC" > /dev/null
rc=\$?
t1=\$EPOCHREALTIME
echo "\$t0 \$t1" > "$WORK/wall"
exit \$rc
B

RES=$WORK/results # config round seconds events lost
: > "$RES"

one() { # config round
  local c=$1 r=$2 out events=- lost=0 home
  make -s -C "$SRC" clean
  rm -f "$WORK/wall"
  case $c in
    untraced)
      bash "$WORK/build.sh" || die "build failed" ;;
    OFF|DEF|ALL)
      local m
      m=$(case $c in OFF) echo off ;; DEF) echo default ;; ALL) echo all ;; esac)
      home=$(lkst_home)
      out=$WORK/$c-$r.out
      lkst_record "$out" "$home" -m "$m" -o "$WORK/ovh.trace" -- bash "$WORK/build.sh" || { cat "$out" >&2; die "lkst record failed"; }
      events=$(rec_cpus "$out" | awk '{ s += $2 } END { print s + 0 }')
      lost=$(rec_cpus "$out" | awk '{ s += $3 } END { print s + 0 }')
      lost="$lost/$(rec_buffers_lost "$out")"
      rm -rf "$WORK/ovh.trace" "$home" ;;
    tc-DEF|tc-ALL)
      local ev eargs=() e
      ev=$TOOLS/$(case $c in tc-DEF) echo def ;; tc-ALL) echo all ;; esac).events
      while read -r e; do [ -n "$e" ] && eargs+=(-e "$e"); done < "$ev"
      LD_PRELOAD=$HIDE trace-cmd record -d -B "$TAG-ovh" -b "$KB" -F -c "${eargs[@]}" -o "$WORK/ovh.dat" \
        -- bash "$WORK/build.sh" > "$WORK/tc.log" 2>&1 &
      local p=$!
      STARTED+=("$p")
      wait "$p" || { cat "$WORK/tc.log" >&2; die "trace-cmd record failed"; }
      # the instance's counters as trace-cmd saved them at stop: entries left + read, and what was lost
      trace-cmd report --stat -i "$WORK/ovh.dat" > "$WORK/stat" 2>/dev/null
      lost=$(awk -F': *' '/^overrun|^commit overrun|^dropped events/ { s += $2 } END { print s + 0 }' "$WORK/stat")
      events=$(du -m "$WORK/ovh.dat" | cut -f1)MB
      rm -f "$WORK/ovh.dat" ;;
  esac
  [ -f "$WORK/wall" ] || die "$c: no timing"
  local s
  s=$(awk '{ printf "%.2f", $2 - $1 }' "$WORK/wall")
  echo "$c $r $s $events $lost $(cut -d' ' -f1 /proc/loadavg)" >> "$RES"
  log "round $r $c: $s s, events read $events, lost $lost (load $(loadavg))"
}

LOAD0=$(loadavg)
T0=$(date -u '+%F %T UTC')
for r in $(seq "$N"); do
  for c in $CONFIGS; do one "$c" "$r"; done
done

echo "# LKST/J overhead on a build — $T0, $(uname -r), $(nproc) CPUs; load average before $LOAD0, after $(loadavg)"
echo
echo "make -j2 of $FILES gcc -O2 files ($FUNCS functions each); medians of $N interleaved rounds; ratio = median / median untraced;"
echo "per-round ratio = median over rounds of (this run / the untraced run of the same round), steadier when the machine's load drifts."
echo "LKST/J lost = kernel events lost (sum over CPUs) / records lost in LKST/J's own buffers; trace-cmd lost = overrun + dropped."
echo
echo "| configuration | tool | wall (median) | ratio | per-round ratio | runs (s, in round order) | load avg (1 min) after each run | events read per run (trace-cmd: trace.dat size) | lost per run |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
base=$(awk '$1 == "untraced" { print $3 }' "$RES" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }')
for c in $CONFIGS; do
  tool=$(case $c in untraced) echo - ;; tc-*) echo "trace-cmd -b $KB -F -c" ;; *) echo "LKST/J ./lkst record -m $(case $c in OFF) echo off ;; DEF) echo default ;; ALL) echo all ;; esac)" ;; esac)
  awk -v c="$c" -v base="$base" -v tool="$tool" '
    $1 == "untraced" { u[$2] = $3 }
    $1 == c { n++; t[n] = $3; rd[n] = $2; ld = ld (n > 1 ? ", " : "") $6; all = all (n > 1 ? ", " : "") $3
              ev = ev (n > 1 ? ", " : "") $4; lo = lo (n > 1 ? ", " : "") $5 }
    function median(a, k,   i, j, x) {
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
      return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
    END {
      for (i = 1; i <= n; i++) q[i] = t[i] / u[rd[i]]
      m = median(t, n)
      printf "| %s | %s | %.2f s | %.3f | %.3f | %s | %s | %s | %s |\n", c, tool, m, m / base, median(q, n), all, ld, ev, lo }' "$RES"
done
