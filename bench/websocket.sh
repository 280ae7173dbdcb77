#!/usr/bin/env bash
# WebSocket benchmark (a benchmark, not a test: it always exits 0 once it has measured, PASS/MISS is informative).
# Same structure as bench/http_core.sh.
#
# Builds ahttpd (Release) and starts it (127.0.0.1, 2 worker threads, /ws with the built-in `echo` protocol) and a
# Node.js echo server on the npm `ws` package (bench/ws_echo_server.js, one process). Both are driven by the same
# load client, bench/ws_load_client.js (npm `ws`; it writes the replies to one read's echoes in one system call),
# run as LOAD_PROCS processes (one per core) so that a single Node event loop is not the limit. Every connection
# keeps a fixed window of binary messages in flight (WINDOW_SMALL = 16 for 32-byte messages, WINDOW_LARGE = 1 for
# 64,000-byte ones) and echoes are counted for DURATION s after WARMUP s, at 1, 100 and 1,000 connections, ROUNDS
# interleaved rounds, medians. Prints messages/s, MB/s (payload,
# one direction), server CPU per message, the load clients' CPU, and the RSS of each server with IDLE_CONNS
# (10,000) idle WebSocket connections open (bench/ws_idle_client.js, IDLE_PROCS processes).
# Targets: ahttpd >= 1.5x the ws server's 32-byte rate at 100 and at 1,000 connections; 10,000 idle WebSockets
# under 150 MiB of ahttpd RSS.
#
# Environment overrides:
#   DURATION=5        seconds counted per run       WARMUP=2          seconds of traffic before counting
#   ROUNDS=3          interleaved rounds (median)   CLIENTS="1 100 1000"  connection counts
#   SMALL=32 LARGE=64000  message sizes (bytes; LARGE + 8 header bytes must stay <= ahttpd's 65535 frame limit)
#   WINDOW_SMALL=16 WINDOW_LARGE=1  messages in flight per connection
#   LOAD_PROCS=nproc  load client processes        IDLE_CONNS=10000  IDLE_PROCS=4  idle WebSockets, processes
#   SKIP_BUILD=1      use the existing binary (no cmake)   BUILD_DIR=build  where ahttpd is built / taken from
#   KEEP_TMP=1        keep the work dir (configs, client outputs)
# Quick check: DURATION=2 WARMUP=1 ROUNDS=1 bench/websocket.sh
# Only 127.0.0.1 is ever contacted. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-"1 100 1000"}
SMALL=${SMALL:-32}
LARGE=${LARGE:-64000}
WINDOW_SMALL=${WINDOW_SMALL:-16}
WINDOW_LARGE=${WINDOW_LARGE:-1}
LOAD_PROCS=${LOAD_PROCS:-$(nproc)}
IDLE_CONNS=${IDLE_CONNS:-10000}
IDLE_PROCS=${IDLE_PROCS:-4}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_TMP=${KEEP_TMP:-0}
BUILD_DIR=${BUILD_DIR:-build}
HZ=$(getconf CLK_TCK)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
export NODE_PATH=$ROOT/tests/e2e/node/node_modules # the npm `ws` package of the e2e tests

say() { printf '[bench] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- build
scripts/install-deps.sh
node -e "require('ws')" 2>/dev/null || { echo "npm ws missing under $NODE_PATH (scripts/install-deps.sh)" >&2; exit 1; }
if [[ $SKIP_BUILD != 1 ]]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" --target ahttpd
fi
[[ -x $BUILD_DIR/ahttpd ]] || { echo "$BUILD_DIR/ahttpd missing" >&2; exit 1; }

# ---------------------------------------------------------------- work dir, cleanup
WORK=$(mktemp -d /tmp/ahttpd-bench.XXXXXX)
PIDS=()
CLIENT_PIDS=() # the client processes of the current step (reset once they have been waited for)
cleanup() {
  local pid i
  for pid in "${CLIENT_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ $KEEP_TMP == 1 ]]; then say "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# File descriptors for the idle connections (the servers inherit this limit).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# One copy of the binary, so a rebuild during the run does not change what is measured.
cp "$BUILD_DIR/ahttpd" "$WORK/ahttpd-bin"

read -r P_AHTTPD P_NODE < <("$PY" -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')

# ---------------------------------------------------------------- ahttpd config
# No websocket.conf: Asterisk's defaults (frame limit 65535, write timeout 100 ms). No manager.conf, so `echo` is
# the only protocol on /ws.
A=$WORK/ahttpd
mkdir -p "$A/etc" "$A/data" "$A/run" "$A/log" "$A/lib"
cat >"$A/etc/asterisk.conf" <<CONF
[directories]
astetcdir => $A/etc
astdatadir => $A/data
astrundir => $A/run
astlogdir => $A/log
astvarlibdir => $A/lib
CONF
printf '[modules]\nautoload=yes\n' >"$A/etc/modules.conf"
printf '[logfiles]\nconsole => error\n' >"$A/etc/logger.conf"
# sessionlimit is raised so the 10,000 idle WebSockets fit.
cat >"$A/etc/http.conf" <<CONF
[general]
enabled=yes
bindaddr=127.0.0.1
bindport=$P_AHTTPD
sessionlimit=20000
CONF

# ---------------------------------------------------------------- helpers
proc_ticks() { # utime+stime (clock ticks) of one process, all threads
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  echo $((${12} + ${13}))
}
rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/{print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }
socket_fds() { find "/proc/$1/fd" -lname 'socket:*' 2>/dev/null | wc -l; }
now_ms() { date +%s%3N; }
sleep_until_ms() { # absolute time in ms since the epoch
  local d
  d=$(awk -v t="$1" -v n="$(now_ms)" 'BEGIN{ d=(t-n)/1000; if (d>0) printf "%.3f", d; else print 0 }')
  sleep "$d"
}

wait_port() { # port pid name
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$2" 2>/dev/null || { echo "$3 exited during start-up; see $WORK" >&2; KEEP_TMP=1; exit 1; }
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$3 did not answer on 127.0.0.1:$1 within 10 s" >&2
  KEEP_TMP=1
  exit 1
}

median() { # numbers as arguments
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{ if (NR==0) {print "nan"; exit}
    if (NR%2) printf "%.2f\n", a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }'
}

upgrade_status() { # port -> the status line of a WebSocket upgrade to /ws offering `echo`
  curl -s -i -N --max-time 2 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Sec-WebSocket-Protocol: echo' \
    "http://127.0.0.1:$1/ws" 2>/dev/null | head -n1 | tr -d '\r' || true
}

# ---------------------------------------------------------------- start servers
say "work dir $WORK; ports ahttpd=$P_AHTTPD ws=$P_NODE; ${WARMUP}+${DURATION}s x $ROUNDS rounds; clients: $CLIENTS"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$WORK/ahttpd-bin" -C "$A/etc/asterisk.conf" >"$A/log/stdout.log" 2>&1 &
AHTTPD_PID=$!
PIDS+=("$AHTTPD_PID")
wait_port "$P_AHTTPD" "$AHTTPD_PID" ahttpd
node "$ROOT/bench/ws_echo_server.js" 127.0.0.1 "$P_NODE" >"$WORK/ws-server.log" 2>&1 &
NODE_PID=$!
PIDS+=("$NODE_PID")
wait_port "$P_NODE" "$NODE_PID" "ws server"
sleep 1

SERVERS=(ahttpd ws)
declare -A LABEL PID PORT RSS_START
LABEL[ahttpd]="ahttpd /ws echo"
LABEL[ws]="node ws $(node -p "require('ws/package.json').version") echo"
PID[ahttpd]=$AHTTPD_PID
PID[ws]=$NODE_PID
PORT[ahttpd]=$P_AHTTPD
PORT[ws]=$P_NODE
for s in "${SERVERS[@]}"; do
  RSS_START[$s]=$(rss_kib "${PID[$s]}")
  status=$(upgrade_status "${PORT[$s]}")
  say "check ${LABEL[$s]}: $status; VmRSS $(mib "${RSS_START[$s]}") MiB"
  [[ $status == *" 101 "* ]] || say "WARNING: ${LABEL[$s]} did not switch protocols"
done

# ---------------------------------------------------------------- RSS with idle WebSockets
declare -A RSS_IDLE IDLE_RESULT IDLE_SOCKS RSS_CLOSED
idle_rss() { # server
  local s=$1 pid=${PID[$1]} before i p n per rest ready open failed secs
  say "${LABEL[$s]}: opening $IDLE_CONNS idle WebSockets from $IDLE_PROCS processes"
  before=$(socket_fds "$pid")
  local idle_pids=()
  per=$((IDLE_CONNS / IDLE_PROCS)) rest=$((IDLE_CONNS % IDLE_PROCS))
  for ((p = 0; p < IDLE_PROCS; p++)); do
    n=$((per + (p < rest ? 1 : 0)))
    ((n > 0)) || continue
    node "$ROOT/bench/ws_idle_client.js" "ws://127.0.0.1:${PORT[$s]}/ws" "$n" "$WORK/idle-$s-$p.ready" 180 \
      >"$WORK/idle-$s-$p.out" 2>&1 &
    idle_pids+=($!)
    CLIENT_PIDS+=($!)
  done
  for ((i = 0; i < 1200; i++)); do # 120 s at most
    ready=0
    for ((p = 0; p < ${#idle_pids[@]}; p++)); do [[ -s $WORK/idle-$s-$p.ready ]] && ready=$((ready + 1)); done
    ((ready == ${#idle_pids[@]})) && break
    sleep 0.1
  done
  open=0 failed=0 secs=0
  for ((p = 0; p < ${#idle_pids[@]}; p++)); do
    if [[ -s $WORK/idle-$s-$p.ready ]]; then
      read -r o f t < <(sed 's/[a-z]*=//g' "$WORK/idle-$s-$p.ready")
      open=$((open + o)) failed=$((failed + f))
      secs=$(awk -v a="$secs" -v b="$t" 'BEGIN{print (b>a)?b:a}')
    else
      failed=$((failed + per))
    fi
  done
  sleep 1
  RSS_IDLE[$s]=$(rss_kib "$pid")
  IDLE_SOCKS[$s]=$(($(socket_fds "$pid") - before))
  IDLE_RESULT[$s]="open=$open failed=$failed seconds=$secs"
  say "${LABEL[$s]}: ${IDLE_RESULT[$s]}; server holds ${IDLE_SOCKS[$s]} more sockets; VmRSS $(mib "${RSS_IDLE[$s]}") MiB"
  for p in "${idle_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${idle_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  CLIENT_PIDS=()
  for ((i = 0; i < 100; i++)); do # let the server close its side
    (($(socket_fds "$pid") <= before + 1)) && break
    sleep 0.1
  done
  RSS_CLOSED[$s]=$(rss_kib "$pid")
}
for s in "${SERVERS[@]}"; do idle_rss "$s"; done

# ---------------------------------------------------------------- echo throughput
declare -A RATE MBS CPU LCPU ERRS WINDOW
WINDOW[$SMALL]=$WINDOW_SMALL
WINDOW[$LARGE]=$WINDOW_LARGE
json_sum() { # field files... -> sum of "field":number over the JSON lines
  local f=$1
  shift
  sed -n "s/.*\"$f\":\([0-9.e+-]*\).*/\1/p" "$@" | awk '{s+=$1} END{printf "%.6f\n", s}'
}
run_load() { # server clients size round
  local s=$1 c=$2 size=$3 r=$4 w procs per rest p n i ready t0 t1 msgs bytes secs cpu_us rate mbs cpu lcpu errs
  w=${WINDOW[$size]}
  procs=$((c < LOAD_PROCS ? c : LOAD_PROCS))
  per=$((c / procs)) rest=$((c % procs))
  # Connect first (each process writes its ready file), then start the traffic in all processes at once with
  # SIGUSR1; they count echoes from WARMUP s after the signal for DURATION s, which is when the server's CPU is read.
  local outs=() cpids=()
  for ((p = 0; p < procs; p++)); do
    n=$((per + (p < rest ? 1 : 0)))
    outs+=("$WORK/load-$s-c$c-b$size-r$r-p$p.json")
    node "$ROOT/bench/ws_load_client.js" "ws://127.0.0.1:${PORT[$s]}/ws" "$n" "$size" "$w" "$WARMUP" "$DURATION" \
      "${outs[-1]%.json}.ready" >"${outs[-1]}" 2>"${outs[-1]%.json}.err" &
    cpids+=($!)
    CLIENT_PIDS+=($!)
  done
  for ((i = 0; i < 600; i++)); do # 60 s at most
    ready=0
    for ((p = 0; p < procs; p++)); do [[ -s ${outs[p]%.json}.ready ]] && ready=$((ready + 1)); done
    ((ready == procs)) && break
    sleep 0.05
  done
  for p in "${cpids[@]}"; do kill -USR1 "$p" 2>/dev/null || true; done
  sleep "$WARMUP"
  t0=$(proc_ticks "${PID[$s]}")
  sleep "$DURATION"
  t1=$(proc_ticks "${PID[$s]}")
  for p in "${cpids[@]}"; do wait "$p" 2>/dev/null || true; done
  CLIENT_PIDS=()
  msgs=$(json_sum msgs "${outs[@]}")
  bytes=$(json_sum bytes "${outs[@]}")
  secs=$(awk -v s="$(json_sum seconds "${outs[@]}")" -v n="$procs" 'BEGIN{printf "%.6f", s/n}') # mean interval
  cpu_us=$(json_sum cpu_us "${outs[@]}")
  errs=$(awk -v a="$(json_sum bad "${outs[@]}")" -v b="$(json_sum closed "${outs[@]}")" \
    -v c="$(json_sum errors "${outs[@]}")" -v d="$(json_sum late "${outs[@]}")" 'BEGIN{printf "%d", a+b+c+d}')
  if awk -v m="$msgs" -v t="$secs" 'BEGIN{exit !(m>0 && t>0)}'; then
    rate=$(awk -v m="$msgs" -v t="$secs" 'BEGIN{printf "%.0f", m/t}')
    mbs=$(awk -v b="$bytes" -v t="$secs" 'BEGIN{printf "%.2f", b/t/1e6}')
    cpu=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v m="$msgs" 'BEGIN{printf "%.2f", d*1e6/hz/m}')
    lcpu=$(awk -v u="$cpu_us" -v t="$secs" 'BEGIN{printf "%.0f", u/t/1e4}') # % of one core, all processes
  else
    rate=0 mbs=0 cpu=nan lcpu=0
    say "WARNING: no echoes counted (${outs[0]%.json}.err: $(head -c 300 "${outs[0]%.json}.err" | tr '\n' ' '))"
  fi
  RATE[$s,$size,$c]+="$rate "
  MBS[$s,$size,$c]+="$mbs "
  CPU[$s,$size,$c]+="$cpu "
  LCPU[$s,$size,$c]+="$lcpu "
  ERRS[$s,$size,$c]=$((${ERRS[$s,$size,$c]:-0} + errs))
  say "round $r  ${size}B c=$c w=$w  ${LABEL[$s]}: $rate msg/s, $mbs MB/s, $cpu us/msg server CPU," \
    "load clients $lcpu% CPU ($procs procs), errors $errs"
}

for ((r = 1; r <= ROUNDS; r++)); do
  for size in $SMALL $LARGE; do
    for c in $CLIENTS; do
      for s in "${SERVERS[@]}"; do
        run_load "$s" "$c" "$size" "$r"
      done
    done
  done
done
declare -A HWM
for s in "${SERVERS[@]}"; do HWM[$s]=$(hwm_kib "${PID[$s]}"); done
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
declare -A MED MEDMB MEDCPU MEDL
for size in $SMALL $LARGE; do
  for c in $CLIENTS; do
    for s in "${SERVERS[@]}"; do
      k=$s,$size,$c
      # shellcheck disable=SC2086
      MED[$k]=$(median ${RATE[$k]})
      # shellcheck disable=SC2086
      MEDMB[$k]=$(median ${MBS[$k]})
      # shellcheck disable=SC2086
      MEDCPU[$k]=$(median ${CPU[$k]})
      # shellcheck disable=SC2086
      MEDL[$k]=$(median ${LCPU[$k]})
    done
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0 && a!="nan") printf "%.2f", a/b; else print "nan" }'; }
verdict() { # value op limit
  awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN{ if (v=="nan") {print "MISS"; exit}
    ok = (op==">=") ? (v>=l) : (v<l); print ok ? "PASS" : "MISS" }'
}

echo
echo "ahttpd WebSocket echo benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r)"
echo "load: bench/ws_load_client.js (node $(node --version), ws), binary messages, window = messages in flight per"
echo "connection, ${WARMUP}s warm-up + ${DURATION}s counted per run, $ROUNDS interleaved round(s), median"
echo "servers: $("$WORK/ahttpd-bin" -V 2>/dev/null | head -n1 || echo ahttpd) (2 worker threads), ${LABEL[ws]} (one node process)"
echo
printf '%-24s %6s %6s %4s %10s %9s  %-24s %9s %9s %6s\n' "server" "bytes" "conns" "win" "msg/s" "MB/s" \
  "rounds (msg/s)" "CPU us/msg" "client%" "errors"
printf '%-24s %6s %6s %4s %10s %9s  %-24s %9s %9s %6s\n' "------" "-----" "-----" "---" "-----" "----" \
  "--------------" "----------" "-------" "------"
for size in $SMALL $LARGE; do
  for c in $CLIENTS; do
    for s in "${SERVERS[@]}"; do
      k=$s,$size,$c
      rounds=$(printf '%s' "${RATE[$k]}" | awk '{for(i=1;i<=NF;i++) printf "%s%.0f", (i>1?" ":""), $i}')
      printf '%-24s %6s %6s %4s %10.0f %9.2f  %-24s %10s %9.0f %6s\n' "${LABEL[$s]}" "$size" "$c" "${WINDOW[$size]}" \
        "${MED[$k]}" "${MEDMB[$k]}" "$rounds" "${MEDCPU[$k]}" "${MEDL[$k]}" "${ERRS[$k]}"
    done
  done
done

echo
printf '%-52s %10s %12s  %s\n' "target" "value" "goal" "result"
printf '%-52s %10s %12s  %s\n' "------" "-----" "----" "------"
for c in $CLIENTS; do
  [[ $c == 100 || $c == 1000 ]] || continue
  v=$(ratio "${MED[ahttpd,$SMALL,$c]}" "${MED[ws,$SMALL,$c]}")
  printf '%-52s %9sx %12s  %s\n' "${SMALL} B echo: ahttpd / ws msg/s @ $c conns" "$v" ">= 1.50x" "$(verdict "$v" ">=" 1.5)"
done
v=$(mib "${RSS_IDLE[ahttpd]}")
printf '%-52s %6s MiB %12s  %s\n' "ahttpd RSS with $IDLE_CONNS idle WebSockets" "$v" "< 150 MiB" "$(verdict "$v" "<" 150)"
echo
for size in $SMALL $LARGE; do
  line="info: ${size} B ahttpd / ws msg/s:"
  for c in $CLIENTS; do line+=" $(ratio "${MED[ahttpd,$size,$c]}" "${MED[ws,$size,$c]}")x @ $c"; done
  line+="; server CPU per message ahttpd / ws:"
  for c in $CLIENTS; do line+=" $(ratio "${MEDCPU[ahttpd,$size,$c]}" "${MEDCPU[ws,$size,$c]}")x @ $c"; done
  echo "$line"
done
for s in "${SERVERS[@]}"; do
  echo "info: ${LABEL[$s]} VmRSS at start $(mib "${RSS_START[$s]}") MiB, with $IDLE_CONNS idle WebSockets" \
    "$(mib "${RSS_IDLE[$s]}") MiB (${IDLE_RESULT[$s]}; sockets held ${IDLE_SOCKS[$s]}), after closing them" \
    "$(mib "${RSS_CLOSED[$s]}") MiB, peak (VmHWM) $(mib "${HWM[$s]}") MiB"
done
echo "info: MB/s = echoed payload bytes per second, one direction; CPU us/msg = server utime+stime (all threads) per"
echo "      echoed message, clock tick $((1000 / HZ)) ms; client% = CPU of all load client processes, % of one core"
echo "info: errors = connections closed or failed during a run, echoes of the wrong size, connections not open in time"
echo "info: the load clients run on the same $(nproc) cores as the servers; load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
