#!/usr/bin/env bash
# Fleet: what one runtime ships to a local Kafka broker, against the same recording without shipping, in one run.
#   sudo lkst.bench/fleet/ship.sh        (root: kernel events; from anywhere; prints a markdown table)
# Environment: RUNS (3: pairs of runs, alternating shipping / not shipping), SECONDS_PER_RUN (10), STORM_BYTES
# (4000000: the workload, dd bs=1 — about 4 raw_syscalls events per byte, on one CPU), KEEP=1 (keep the work dir).
# Needs the built reactor (mvn -B verify -DskipTests): lkst.runtime/target/lkst and lkst.broker/target.
#
# Each run is ./lkst record -e raw_syscalls -d SECONDS_PER_RUN [--ship-to kafka://BROKER/TOPIC] -- dd …: the recording's
# events and lost count come from its summary, the shipper's records, bytes and seconds (first message sent to last
# acknowledged) from its "shipped" line; the broker's CPU time from /proc/PID/stat around each run.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=$(cd "$HERE/../.." && pwd)
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
STORM_BYTES=${STORM_BYTES:-4000000}
DIST=$MAIN/lkst.runtime/target/lkst
WORK=$(mktemp -d /tmp/lkst-fleet-bench.XXXXXX)
BROKER_PID=
log() { printf '%s\n' "$*" >&2; }
die() { log "$(basename "$0"): $*"; exit 1; }
cleanup() {
  trap - EXIT INT TERM
  [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null && wait "$BROKER_PID" 2>/dev/null
  [ -n "${KEEP:-}" ] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM
[ "$(id -u)" = 0 ] || die "run as root: the recording traces kernel events"
[ -f "$DIST/lkst.jar" ] && [ -f "$MAIN/lkst.broker/target/broker.classpath" ] || die "build first: mvn -B verify -DskipTests"
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing || die "cannot mount tracefs"

java -Dlkst.broker.classpath="$MAIN/lkst.broker/target/broker.classpath" -cp "$MAIN/lkst.broker/target/classes" \
  lkst.broker.Broker > "$WORK/broker.out" 2>&1 &
BROKER_LAUNCHER=$!
for _ in $(seq 1200); do grep -q '^broker ' "$WORK/broker.out" && break; kill -0 $BROKER_LAUNCHER 2>/dev/null || break; sleep 0.1; done
read -r _ ADDR _ PID _ _ START_MS _ < <(grep '^broker ' "$WORK/broker.out") || die "the broker did not start: $(cat "$WORK/broker.out")"
BROKER_PID=$BROKER_LAUNCHER
log "broker $ADDR (pid $PID) started in $START_MS ms"
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # n shipping(0|1): one recording; prints "events lost shipped bytes seconds broker_cpu_s"
  local n=$1 ship=$2 out=$WORK/run-$1-$2 home=$WORK/home-$1-$2 t0 t1 args=()
  mkdir -p "$home"
  [ "$ship" = 1 ] && args=(--ship-to "kafka://$ADDR/bench?host=bench$n")
  t0=$(cpu_ticks "$PID")
  java --enable-native-access=ALL-UNNAMED -Dlkst.home="$home" -jar "$DIST/lkst.jar" record -e raw_syscalls -d "$SECONDS_PER_RUN" \
    "${args[@]}" -o "$out" -- dd if=/dev/zero of=/dev/null bs=1 count="$STORM_BYTES" > "$WORK/summary-$n-$ship" 2>&1
  t1=$(cpu_ticks "$PID")
  local s=$WORK/summary-$n-$ship
  local written lost shipped bytes secs
  written=$(sed -n 's/.*buffers *written \([0-9]*\), lost \([0-9]*\).*/\1/p' "$s" | head -1)
  # trace.lost as stats prints it: per CPU, "lost while logging: buffers N, kernel N" — every source summed
  lost=$(sed -n 's/.*lost while logging: //p' "$s" | grep -o '[0-9]\+' | awk '{n += $1} END {print n + 0}')
  shipped=$(sed -n 's/^shipped .*: \([0-9]*\) records acknowledged in \([0-9.]*\) s, \([0-9]*\) bytes sent.*/\1 \2 \3/p' "$s")
  read -r recs secs bytes <<< "${shipped:-0 0 0}"
  rm -rf "$out" "$out.old" "$home"
  echo "${written:-0} ${lost:-0} $recs $bytes $secs $(( t1 - t0 )) $SECONDS_PER_RUN"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
range() { sort -g | awk 'NR==1{lo=$1} {hi=$1} END {print lo "–" hi}'; }

: > "$WORK/ship.rows"; : > "$WORK/base.rows"
for i in $(seq "$RUNS"); do
  log "run $i of $RUNS: without shipping, then shipping"
  run "$i" 0 >> "$WORK/base.rows"
  run "$i" 1 >> "$WORK/ship.rows"
done
col() { awk -v c="$2" '{print $c}' "$1"; }
rate() { awk '$5 > 0 {printf "%.0f\n", $3 / $5}' "$1"; }
mbps() { awk '$5 > 0 {printf "%.1f\n", $4 / $5 / 1e6}' "$1"; }
bcpu() { awk -v t="$TICK" '$5 > 0 {printf "%.2f\n", $6 / t / $5}' "$1"; }
echo
echo "Fleet shipping, $(date -u +%H:%M) UTC, $RUNS alternating pairs, record -e raw_syscalls -d $SECONDS_PER_RUN -- dd bs=1 count=$STORM_BYTES; broker start $START_MS ms"
echo
echo "| what | median | range |"
echo "| --- | ---: | --- |"
echo "| events recorded, without shipping | $(col "$WORK/base.rows" 1 | median) | $(col "$WORK/base.rows" 1 | range) |"
echo "| events lost, without shipping | $(col "$WORK/base.rows" 2 | median) | $(col "$WORK/base.rows" 2 | range) |"
echo "| events recorded, shipping | $(col "$WORK/ship.rows" 1 | median) | $(col "$WORK/ship.rows" 1 | range) |"
echo "| events lost, shipping | $(col "$WORK/ship.rows" 2 | median) | $(col "$WORK/ship.rows" 2 | range) |"
echo "| records shipped (acknowledged) | $(col "$WORK/ship.rows" 3 | median) | $(col "$WORK/ship.rows" 3 | range) |"
echo "| shipping time, first send to last ack (s) | $(col "$WORK/ship.rows" 5 | median) | $(col "$WORK/ship.rows" 5 | range) |"
echo "| shipped events/s | $(rate "$WORK/ship.rows" | median) | $(rate "$WORK/ship.rows" | range) |"
echo "| shipped MB/s (message bytes) | $(mbps "$WORK/ship.rows" | median) | $(mbps "$WORK/ship.rows" | range) |"
echo "| broker CPU, cores while shipping | $(bcpu "$WORK/ship.rows" | median) | $(bcpu "$WORK/ship.rows" | range) |"
idle() { awk -v t="$TICK" '{printf "%.2f\n", $6 / t / ($7 + 5)}' "$1"; } # a run without shipping: -d and ~5 s of start and stop
echo "| broker CPU, cores, idle (runs without shipping) | $(idle "$WORK/base.rows" | median) | $(idle "$WORK/base.rows" | range) |"
echo "| shipped / recorded (same run) | $(awk '$1 > 0 {printf "%.3f\n", $3 / $1}' "$WORK/ship.rows" | median) | $(awk '$1 > 0 {printf "%.3f\n", $3 / $1}' "$WORK/ship.rows" | range) |"
