#!/usr/bin/env bash
# AMI over HTTP benchmark (a benchmark, not a test: it always exits 0 once it has measured, PASS/MISS is
# informative). Same structure as bench/http_core.sh.
#
# Builds ahttpd (Release), starts it with manager.conf (enabled, webenabled) and nginx (Debian's package, own
# config on 127.0.0.1, 2 workers, access log off, backlog 511), and runs wrk (2 threads, DURATION s,
# keep-alive, ROUNDS interleaved rounds, medians) at 16 and 128 connections against:
#   - ahttpd /rawman?action=Ping on one logged-in cookie session shared by every connection (-H Cookie);
#   - ahttpd /arawman?action=Ping with HTTP Digest on every request (bench/manager_digest.lua; hashes
#     precomputed by bench/manager_digest.py right before each run, see there why);
#   - nginx `return 200 "Pong"`.
# Then the event fan-out: FANOUT_SESSIONS (1,000) cookie sessions parked in WaitEvent, one UserEvent, time
# until every one has answered (bench/manager_fanout.py; p50/p99 over the sessions, median over rounds).
# Targets: rawman Ping >= 0.8x nginx's return 200 at both connection counts; fan-out p99 < 50 ms.
#
# Environment overrides:
#   DURATION=10     seconds per wrk run           ROUNDS=3        interleaved rounds (median over them)
#   CONNS="16 128"  connection counts             FANOUT_SESSIONS=1000  sessions parked in WaitEvent
#   SKIP_BUILD=1    use the existing binary (no cmake)          KEEP_TMP=1  keep the work dir (configs, wrk logs)
#   BUILD_DIR=build where ahttpd is built / taken from
#   DIGEST_MAX_RPS=60000  request rate the precomputed digest hashes cover (beyond it requests get 401)
# Quick check: DURATION=2 ROUNDS=1 bench/manager.sh
# Only 127.0.0.1 is ever contacted. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-"16 128"}
FANOUT_SESSIONS=${FANOUT_SESSIONS:-1000}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_TMP=${KEEP_TMP:-0}
BUILD_DIR=${BUILD_DIR:-build}
DIGEST_MAX_RPS=${DIGEST_MAX_RPS:-60000}
WRK_THREADS=2
WORKERS=2
BACKLOG=511
HZ=$(getconf CLK_TCK)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
ADMIN_USER=admin ADMIN_SECRET=adminpw # read/write all: digest runs, sends the fan-out UserEvent
BENCH_USER=bench BENCH_SECRET=benchpw # read/write user: the cookie Ping and the WaitEvent sessions

say() { printf '[bench] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- build
scripts/install-deps.sh --bench
if [[ $SKIP_BUILD != 1 ]]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" --target ahttpd
fi
[[ -x $BUILD_DIR/ahttpd ]] || { echo "$BUILD_DIR/ahttpd missing" >&2; exit 1; }

# ---------------------------------------------------------------- work dir, cleanup
WORK=$(mktemp -d /tmp/ahttpd-bench.XXXXXX)
PIDS=()
cleanup() {
  local pid i
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

# File descriptors for the fan-out sessions (server and client side).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# One copy of the binary, so a rebuild during the run does not change what is measured.
cp "$BUILD_DIR/ahttpd" "$WORK/ahttpd-bin"

read -r P_AHTTPD P_NGINX P_AMI < <("$PY" -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')

root_user=0
[[ $(id -u) -eq 0 ]] && root_user=1

# ---------------------------------------------------------------- ahttpd config
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
# sessionlimit is raised so the fan-out's parked WaitEvents (one connection each) fit.
cat >"$A/etc/http.conf" <<CONF
[general]
enabled=yes
bindaddr=127.0.0.1
bindport=$P_AHTTPD
sessionlimit=20000
CONF
# The AMI TCP port (not measured) is a free one too. displayconnects=no: the fan-out logs in 1,000 sessions.
cat >"$A/etc/manager.conf" <<CONF
[general]
enabled=yes
webenabled=yes
port=$P_AMI
bindaddr=127.0.0.1
httptimeout=60
displayconnects=no

[$ADMIN_USER]
secret=$ADMIN_SECRET
read=all
write=all

[$BENCH_USER]
secret=$BENCH_SECRET
read=user
write=user
CONF

# ---------------------------------------------------------------- nginx config
N=$WORK/nginx
mkdir -p "$N/tmp" "$N/logs"
{
  echo "daemon off;"
  echo "master_process on;"
  ((root_user)) && echo "user root;"
  cat <<CONF
worker_processes $WORKERS;
pid $N/nginx.pid;
error_log $N/logs/error.log error;
events { worker_connections 20000; }
http {
  access_log off;
  client_body_temp_path $N/tmp/client_body;
  proxy_temp_path $N/tmp/proxy;
  fastcgi_temp_path $N/tmp/fastcgi;
  uwsgi_temp_path $N/tmp/uwsgi;
  scgi_temp_path $N/tmp/scgi;
  default_type application/octet-stream;
  keepalive_requests 1000000;   # like ahttpd: no cap on requests per keep-alive connection
  server {
    listen 127.0.0.1:$P_NGINX backlog=$BACKLOG;
    location = /pong { default_type text/plain; return 200 "Pong"; }
  }
}
CONF
} >"$N/nginx.conf"

# ---------------------------------------------------------------- helpers
proc_ticks() { # utime+stime (clock ticks) of one process, all threads
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  echo $((${12} + ${13}))
}
server_ticks() { # the process and its children (nginx workers)
  local pid=$1 total c
  total=$(proc_ticks "$pid")
  # shellcheck disable=SC2013  # the children files hold space-separated PIDs
  for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    total=$((total + $(proc_ticks "$c")))
  done
  echo "$total"
}
rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/{print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }

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

login_cookie() { # prints the mansession_id of a fresh cookie session of BENCH_USER
  curl -s -i --max-time 5 "http://127.0.0.1:$P_AHTTPD/rawman?action=Login&username=$BENCH_USER&secret=$BENCH_SECRET" |
    sed -n 's/^Set-Cookie: mansession_id="\([0-9a-f]*\)".*/\1/p'
}

# ---------------------------------------------------------------- start servers
say "work dir $WORK; ports ahttpd=$P_AHTTPD nginx=$P_NGINX; ${DURATION}s x $ROUNDS rounds; conns: $CONNS"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$WORK/ahttpd-bin" -C "$A/etc/asterisk.conf" >"$A/log/stdout.log" 2>&1 &
AHTTPD_PID=$!
PIDS+=("$AHTTPD_PID")
wait_port "$P_AHTTPD" "$AHTTPD_PID" ahttpd
nginx -e "$N/logs/error.log" -p "$N" -c "$N/nginx.conf" >"$N/logs/stdout.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_port "$P_NGINX" "$NGINX_PID" nginx
RSS_START=$(rss_kib "$AHTTPD_PID")

# ---------------------------------------------------------------- targets
TARGETS=(rawman arawman nginx_pong)
declare -A LABEL PID
LABEL[rawman]="ahttpd /rawman Ping (cookie)"
LABEL[arawman]="ahttpd /arawman Ping (digest)"
LABEL[nginx_pong]="nginx  return 200 \"Pong\""
PID[rawman]=$AHTTPD_PID
PID[arawman]=$AHTTPD_PID
PID[nginx_pong]=$NGINX_PID
RAWMAN_URL="http://127.0.0.1:$P_AHTTPD/rawman?action=Ping"
ARAWMAN_URL="http://127.0.0.1:$P_AHTTPD/arawman?action=Ping"
NGINX_URL="http://127.0.0.1:$P_NGINX/pong"

# wrk arguments for one run of a target at c connections: a fresh cookie session, or fresh digest nonces
# (nonces are only accepted for 62 s after they were issued, spec 02 §3.3).
wrk_target_args() { # target conns -> sets WRK_ARGS
  local t=$1 c=$2 slots per_slot data cookie
  case $t in
    rawman)
      cookie=$(login_cookie)
      [[ -n $cookie ]] || say "WARNING: login as $BENCH_USER failed"
      WRK_ARGS=(-H "Cookie: mansession_id=\"$cookie\"" "$RAWMAN_URL")
      ;;
    arawman)
      # Twice as many slots (digest sessions) as connections: spares for slots lost to failed responses.
      slots=$((2 * c))
      per_slot=$(((DIGEST_MAX_RPS * (DURATION + 1) + slots - 1) / slots))
      data=$WORK/digest-c$c.txt
      "$PY" "$ROOT/bench/manager_digest.py" 127.0.0.1 "$P_AHTTPD" "$ADMIN_USER" "$ADMIN_SECRET" "$slots" "$per_slot" \
        "$data"
      WRK_ARGS=(-s "$ROOT/bench/manager_digest.lua" "$ARAWMAN_URL" -- "$data" "$ADMIN_USER" "$WRK_THREADS")
      ;;
    nginx_pong) WRK_ARGS=("$NGINX_URL") ;;
  esac
}

# Sanity: every target answers.
say "check ${LABEL[rawman]}: $(curl -s --max-time 5 -b "mansession_id=\"$(login_cookie)\"" "$RAWMAN_URL" |
  head -n2 | tr -d '\r' | tr '\n' ' ')"
say "check ${LABEL[arawman]}: $(curl -s --max-time 5 --digest -u "$ADMIN_USER:$ADMIN_SECRET" "$ARAWMAN_URL" |
  head -n2 | tr -d '\r' | tr '\n' ' ')"
say "check ${LABEL[nginx_pong]}: $(curl -s --max-time 5 "$NGINX_URL")"

declare -A RPS CPU NON2XX SOCKERR
run_wrk() { # target conns round
  local t=$1 c=$2 r=$3 out t0 t1 rps reqs non2xx sockerr cpu
  out=$WORK/wrk-$t-c$c-r$r.txt
  wrk_target_args "$t" "$c"
  t0=$(server_ticks "${PID[$t]}")
  wrk -t"$WRK_THREADS" -c"$c" -d"${DURATION}s" --timeout 2s "${WRK_ARGS[@]}" >"$out" 2>&1 || true
  t1=$(server_ticks "${PID[$t]}")
  rps=$(awk '/^Requests\/sec:/{print $2}' "$out")
  reqs=$(awk '/ requests in /{print $1}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$out")
  sockerr=$(awk '/Socket errors:/{gsub(/,/,""); print $4+$6+$8+$10}' "$out")
  rps=${rps:-0} reqs=${reqs:-0} non2xx=${non2xx:-0} sockerr=${sockerr:-0}
  if ((reqs > 0)); then
    cpu=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v n="$reqs" 'BEGIN{printf "%.2f", d*1e6/hz/n}')
  else
    cpu=nan
  fi
  RPS[$t,$c]+="$rps "
  CPU[$t,$c]+="$cpu "
  NON2XX[$t,$c]=$((${NON2XX[$t,$c]:-0} + non2xx))
  SOCKERR[$t,$c]=$((${SOCKERR[$t,$c]:-0} + sockerr))
  say "round $r  c=$c  ${LABEL[$t]}: $rps req/s, $cpu us/req server CPU, non-2xx $non2xx, socket errors $sockerr"
}

# Short warm-up of every target (not measured).
for t in "${TARGETS[@]}"; do
  wrk_target_args "$t" 16
  wrk -t"$WRK_THREADS" -c16 -d1s "${WRK_ARGS[@]}" >/dev/null 2>&1 || true
done

for ((r = 1; r <= ROUNDS; r++)); do
  for c in $CONNS; do
    for t in "${TARGETS[@]}"; do
      run_wrk "$t" "$c" "$r"
    done
  done
done
RSS_AFTER_LOAD=$(rss_kib "$AHTTPD_PID")

# ---------------------------------------------------------------- event fan-out
say "fan-out: $FANOUT_SESSIONS sessions in WaitEvent, one UserEvent, $ROUNDS round(s)"
FANOUT_OUT=$WORK/fanout.txt
"$PY" "$ROOT/bench/manager_fanout.py" 127.0.0.1 "$P_AHTTPD" "$BENCH_USER" "$BENCH_SECRET" "$ADMIN_USER" \
  "$ADMIN_SECRET" "$FANOUT_SESSIONS" "$ROUNDS" >"$FANOUT_OUT" 2>&1 || true
while read -r line; do say "$line"; done <"$FANOUT_OUT"
FANOUT=$(grep '^fanout ' "$FANOUT_OUT" || true)
fan_field() { printf '%s\n' "$FANOUT" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
FAN_P50=$(fan_field p50_ms) FAN_P99=$(fan_field p99_ms) FAN_MAX=$(fan_field max_ms) FAN_MISSING=$(fan_field missing)
FAN_P50=${FAN_P50:-nan} FAN_P99=${FAN_P99:-nan} FAN_MAX=${FAN_MAX:-nan} FAN_MISSING=${FAN_MISSING:-nan}
HWM=$(hwm_kib "$AHTTPD_PID")
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
declare -A MED MEDCPU
for c in $CONNS; do
  for t in "${TARGETS[@]}"; do
    # shellcheck disable=SC2086
    MED[$t,$c]=$(median ${RPS[$t,$c]})
    # shellcheck disable=SC2086
    MEDCPU[$t,$c]=$(median ${CPU[$t,$c]})
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "nan" }'; }
verdict() { # value op limit
  awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN{ if (v=="nan") {print "MISS"; exit}
    ok = (op==">=") ? (v>=l) : (v<l); print ok ? "PASS" : "MISS" }'
}

echo
echo "ahttpd AMI over HTTP benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r)"
echo "wrk -t$WRK_THREADS, keep-alive, ${DURATION}s per run, $ROUNDS interleaved round(s), median"
echo "servers: $("$WORK/ahttpd-bin" -V 2>/dev/null | head -n1 || echo ahttpd), $(nginx -v 2>&1 | sed 's/.*: //') — $WORKERS workers/threads each"
echo
printf '%-32s %6s %12s  %-28s %10s %8s %8s\n' "target" "conns" "req/s" "rounds (req/s)" "CPU us/req" "non-2xx" "sockerr"
printf '%-32s %6s %12s  %-28s %10s %8s %8s\n' "------" "-----" "-----" "--------------" "----------" "-------" "-------"
for c in $CONNS; do
  for t in "${TARGETS[@]}"; do
    rounds=$(printf '%s' "${RPS[$t,$c]}" | awk '{for(i=1;i<=NF;i++) printf "%s%.0f", (i>1?" ":""), $i}')
    printf '%-32s %6s %12.0f  %-28s %10s %8s %8s\n' "${LABEL[$t]}" "$c" "${MED[$t,$c]}" "$rounds" \
      "${MEDCPU[$t,$c]}" "${NON2XX[$t,$c]}" "${SOCKERR[$t,$c]}"
  done
done

echo
printf '%-50s %10s %12s  %s\n' "target" "value" "goal" "result"
printf '%-50s %10s %12s  %s\n' "------" "-----" "----" "------"
for c in $CONNS; do
  v=$(ratio "${MED[rawman,$c]}" "${MED[nginx_pong,$c]}")
  printf '%-50s %9sx %12s  %s\n' "rawman Ping: ahttpd / nginx 200 @ $c conns" "$v" ">= 0.80x" "$(verdict "$v" ">=" 0.8)"
done
printf '%-50s %7s ms %12s  %s\n' "fan-out: $FANOUT_SESSIONS WaitEvent sessions, p99" "$FAN_P99" "< 50 ms" \
  "$(verdict "$FAN_P99" "<" 50)"
echo
for c in $CONNS; do
  echo "info: arawman (digest) Ping / nginx 200 @ $c conns: $(ratio "${MED[arawman,$c]}" "${MED[nginx_pong,$c]}")x;" \
    "arawman / rawman: $(ratio "${MED[arawman,$c]}" "${MED[rawman,$c]}")x"
done
echo "info: fan-out p50 $FAN_P50 ms, max $FAN_MAX ms (median over rounds of p50/p99; max over rounds); missing answers $FAN_MISSING"
echo "info: ahttpd VmRSS at start $(mib "$RSS_START") MiB, after the wrk runs $(mib "$RSS_AFTER_LOAD") MiB, peak (VmHWM) $(mib "$HWM") MiB"
echo "info: CPU us/req = server utime+stime (all threads; nginx master+workers) per request, clock tick $((1000 / HZ)) ms"
echo "info: digest runs make wrk call Lua per request and per response (slot bookkeeping): wrk takes more of the CPU there"
echo "info: wrk runs on the same $(nproc) cores as the servers; load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
