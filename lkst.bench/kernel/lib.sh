# Shared by throughput.sh and overhead.sh (sourced, not run). Root only: they create ftrace instances.
# Everything a run creates is undone on exit, also when interrupted: the processes it started are ended by their
# ids (with their children), the ftrace instances it made (lkstb-<pid>-*, trace-cmd's) or that the LKST/J processes
# it started left behind (lkstj-<their pid>-*) get their events disabled and are removed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=$(cd "$HERE/../.." && pwd)
# The shared tools (trace-cmd-hide.c, def.events, all.events) sit beside the repository: ../shared from its root.
TOOLS=${LKST_TOOLS:-$MAIN/../shared/tools}
TRACEFS=${TRACEFS:-/sys/kernel/tracing}
TAG=lkstb-$$
WORK=$(mktemp -d /tmp/lkst-bench.XXXXXX)
STARTED=()            # pids of the processes this run started in the background
HIDE=/tmp/trace-cmd-hide.so

log() { printf '%s\n' "$*" >&2; }
die() { log "$(basename "$0"): $*"; exit 1; }

descendants() { # pid: its children, grandchildren, …
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done
}

stop_tree() { # pid [signal [seconds]]: ends a process this run started and everything under it
  local p=$1 sig=${2:-TERM} secs=${3:-5} kids
  kill -0 "$p" 2>/dev/null || return 0
  kids=$(descendants "$p")
  kill -"$sig" "$p" $kids 2>/dev/null
  for _ in $(seq $((secs * 10))); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" $kids 2>/dev/null
  wait "$p" 2>/dev/null
  return 0
}

remove_instance() { # dir: disable what is enabled in it, then remove it
  local d=$1
  [ -d "$d" ] || return 0
  echo 0 > "$d/events/enable" 2>/dev/null
  echo > "$d/set_event_pid" 2>/dev/null
  rmdir "$d" 2>/dev/null || log "cannot remove ftrace instance $d"
}

cleanup() {
  local p d
  trap - EXIT INT TERM
  for p in "${STARTED[@]}"; do stop_tree "$p" INT; done
  for d in "$TRACEFS"/instances/"$TAG"-*; do remove_instance "$d"; done
  for p in "${STARTED[@]}"; do
    for d in "$TRACEFS"/instances/lkstj-"$p"-*; do remove_instance "$d"; done
  done
  [ -n "${KEEP:-}" ] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

setup_kernel() {
  [ "$(id -u)" = 0 ] || die "run as root: ftrace instances need it"
  mountpoint -q "$TRACEFS" || mount -t tracefs nodev "$TRACEFS" || die "cannot mount tracefs on $TRACEFS"
}

need() { # command package: installs the Debian package when the command is missing
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 (for $1) …"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; } \
    || die "cannot install $2"
}

setup_tracecmd() {
  need trace-cmd trace-cmd
  need gcc gcc
  # trace-cmd 3.1.6 cannot record here without hiding the function-tracer files this kernel refuses
  [ -f "$TOOLS/trace-cmd-hide.c" ] || die "no $TOOLS/trace-cmd-hide.c (set LKST_TOOLS to the folder that has it)"
  if [ ! -f "$HIDE" ] || [ "$TOOLS/trace-cmd-hide.c" -nt "$HIDE" ]; then
    gcc -shared -fPIC -O2 -o "$HIDE" "$TOOLS/trace-cmd-hide.c" -ldl || die "cannot build $HIDE"
  fi
}

# The LKST/J runtime as a user runs it: ./lkst from $MAIN (builds when a source is newer than lkst.jar).
# LKST_DIRECT=1 runs the built lkst.jar without that check (others' edits elsewhere would trigger builds).
# Every call gets its own LKST_HOME, so the persisted maskset selection of $MAIN/var is never touched.
lkst_home() { # [key=value …]: a fresh LKST_HOME, with a configuration for the kernel bridge (PID lkst.kernel) when
  # given. It is written where Configuration Admin keeps it (var/config), not dropped in deploy/: so the bridge starts
  # with it, instead of starting with its defaults and being reconfigured when FileInstall gets to the file.
  local h kv
  h=$(mktemp -d "$WORK/home.XXXXXX")
  mkdir -p "$h/deploy"
  if [ $# -gt 0 ]; then
    mkdir -p "$h/var/config/lkst"
    { for kv in "$@"; do printf '%s="%s"\n' "${kv%%=*}" "${kv#*=}"; done
      echo 'service.pid="lkst.kernel"'; } > "$h/var/config/lkst/kernel.config"
  fi
  echo "$h"
}
CDS=$WORK/lkst.jsa     # LKST_DIRECT's class-data archive, as ./lkst keeps one per build (lkst_cds_prime makes it)
lkst_cmd() {
  if [ -n "${LKST_DIRECT:-}" ] && [ -f "$MAIN/lkst.runtime/target/lkst/lkst.jar" ]; then
    # the JVM options ./lkst adds (its quiet=(…) line, its class-data archive), then LKST_JAVA_OPTS, as ./lkst passes them
    local cds=
    [ -f "$CDS" ] && cds="-Xlog:cds=off -Xlog:cds+dynamic=off -XX:SharedArchiveFile=$CDS"
    echo "java $(sed -n 's/^quiet=(\([^)]*\)).*/\1/p' "$MAIN/lkst") $cds ${LKST_JAVA_OPTS:-} -Dlkst.home=$LKST_HOME -jar $MAIN/lkst.runtime/target/lkst/lkst.jar"
  else
    echo "$MAIN/lkst"
  fi
}
# With LKST_DIRECT=1: one untimed `record -d 0.2` that writes the class-data archive later runs map, as the first
# ./lkst after a build does (LKST_CDS=0: no archive, every JVM loads its classes from the jars).
lkst_cds_prime() {
  [ -n "${LKST_DIRECT:-}" ] && [ "${LKST_CDS:-1}" != 0 ] && [ ! -f "$CDS" ] || return 0
  local home
  home=$(lkst_home)
  (cd "$MAIN" && exec $(LKST_HOME=$home LKST_JAVA_OPTS="-Xlog:cds=off -Xlog:cds+dynamic=off -XX:ArchiveClassesAtExit=$CDS ${LKST_JAVA_OPTS:-}" lkst_cmd) \
    record -o "$WORK/prime.trace" -e sched:sched_switch -d 0.2) > "$WORK/prime.out" 2>&1 \
    || { cat "$WORK/prime.out" >&2; die "lkst record (writing the class-data archive) failed"; }
  rm -rf "$WORK/prime.trace" "$WORK/prime.trace.buffers"
  [ -f "$CDS" ] || log "no class-data archive written: runs load their classes from the jars"
}

# lkst_record OUTFILE HOME ARGS… : runs `lkst record ARGS…` in the background (so that an interrupt can end it),
# its output (the status summary) into OUTFILE.
lkst_record() {
  local out=$1 home=$2; shift 2
  (cd "$MAIN" && LKST_HOME=$home exec $(LKST_HOME=$home lkst_cmd) record "$@") > "$out" 2>&1 &
  local p=$!
  STARTED+=("$p")
  wait "$p"
}
# Sums from a record summary: lost, read, reader CPU ms per CPU, traced seconds
rec_traced_s() { sed -n 's/^lkst: traced \([0-9.]*\) s.*/\1/p' "$1" | tail -1; }
rec_cpus() { # "cpu read lost cpu_ms" per line (status: "cpu0: reader read (fifo 2, pinned), read N, lost N (…), reader CPU N ms")
  sed -n 's/^ *cpu\([0-9]*\): reader [a-z]* ([^)]*), read \([0-9]*\), lost \([0-9]*\) .*reader CPU \([0-9]*\) ms.*/\1 \2 \3 \4/p' "$1"
}
rec_mode() { sed -n 's/^ *cpu0: reader \([a-z]* ([^)]*)\),.*/\1/p' "$1" | head -1; }
rec_kb() { sed -n 's/.*(clock [a-z]*, \([0-9]*\) KiB per CPU).*/\1/p' "$1" | head -1; }
rec_buffers_lost() { sed -n 's/^buffers *written \([0-9]*\), lost \([0-9]*\).*/\2/p' "$1" | head -1; }

# trace-cmd in the background on its own instance; tc_start NAME EVENTSFILE KB [extra record options…]
TC_PID= TC_INST=
tc_start() {
  local name=$1 events=$2 kb=$3; shift 3
  local eargs=() e
  while read -r e; do [ -n "$e" ] && eargs+=(-e "$e"); done < "$events"
  TC_INST=$TAG-$name
  LD_PRELOAD=$HIDE trace-cmd record -d -B "$TC_INST" -b "$kb" "${eargs[@]}" "$@" -o "$WORK/$name.dat" \
    > "$WORK/$name.tc.log" 2>&1 &
  TC_PID=$!
  STARTED+=("$TC_PID")
  for _ in $(seq 300); do
    # (its stdout is buffered: wait for the instance, its events and one recorder per CPU instead)
    if [ -d "$TRACEFS/instances/$TC_INST" ] && [ "$(cat "$TRACEFS/instances/$TC_INST/events/enable" 2>/dev/null)" != 0 ] \
       && [ "$(ps -o pid= --ppid "$TC_PID" | wc -l)" -ge "$(nproc)" ]; then
      sleep 0.5
      return 0
    fi
    kill -0 "$TC_PID" 2>/dev/null || { cat "$WORK/$name.tc.log" >&2; die "trace-cmd did not start"; }
    sleep 0.1
  done
  die "trace-cmd did not start within 30 s"
}
# CPU seconds used so far by a process and its descendants (alive ones)
cpu_s() {
  local tck total=0 p f
  tck=$(getconf CLK_TCK)
  for p in "$1" $(descendants "$1"); do
    f=$(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null) || continue
    [ -n "$f" ] && total=$((total + ${f% *} + ${f#* }))
  done
  awk -v t="$total" -v k="$tck" 'BEGIN { printf "%.2f", t / k }'
}
# per CPU of an instance: "cpu read entries lost" lines
inst_stats() {
  local d c
  for d in "$TRACEFS/instances/$1"/per_cpu/cpu*; do
    c=${d##*cpu}
    awk -v c="$c" -F': *' '/^entries/{e=$2} /^overrun/{o=$2} /^commit overrun/{co=$2} /^dropped events/{dr=$2} /^read events/{r=$2}
      END { print c, r, e, o + co + dr }' "$d/stats"
  done
}
tc_drain() { # waits (at most 20 s) until trace-cmd reads no more: it leaves up to buffer_percent (50 %) of each
  # buffer to its flush at stop, so "nothing left" never comes; the events read so far are what its CPU paid for
  local a b
  a=$(inst_stats "$TC_INST" | awk '{ s += $2 } END { print s }')
  for _ in $(seq 40); do
    sleep 0.5
    b=$(inst_stats "$TC_INST" | awk '{ s += $2 } END { print s }')
    [ "$a" = "$b" ] && return 0
    a=$b
  done
}
tc_stop() { # trace-cmd writes its trace.dat after SIGINT: give it time
  stop_tree "$TC_PID" INT 120
  TC_PID=
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
