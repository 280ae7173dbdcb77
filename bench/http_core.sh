#!/usr/bin/env bash
# HTTP core benchmark (a benchmark, not a test: it always exits 0 once it has measured, PASS/MISS is informative).
#
# Builds ahttpd (Release), starts ahttpd, nginx and h2o (Debian's packages, own configs on 127.0.0.1, 2 workers/
# threads each, access logs off, listen backlog 511) and runs wrk (2 threads, DURATION s, keep-alive, ROUNDS
# interleaved rounds, medians) at 16 and 128 connections against:
#   - the same ~600-byte CSS file from ahttpd /static/, nginx and h2o;
#   - ahttpd /httpstatus and nginx `return 200 "Pong"`.
# Prints each req/s, the ratios, server CPU time per request, and ahttpd's RSS idle and with IDLE_CONNS (10,000)
# idle keep-alive connections open. Targets (ratios in the same run): static >= 1.0x h2o; /httpstatus >= 0.9x
# nginx's return 200; idle RSS < 16 MiB; 10,000 idle connections < 100 MiB.
#
# Environment overrides:
#   DURATION=10     seconds per wrk run           ROUNDS=3        interleaved rounds (median over them)
#   CONNS="16 128"  connection counts             IDLE_CONNS=10000 idle keep-alive connections for the RSS test
#   SKIP_BUILD=1    use the existing build/ahttpd (no cmake)   KEEP_TMP=1  keep the work dir (configs, wrk logs)
# Quick check: DURATION=2 ROUNDS=1 bench/http_core.sh
# Only 127.0.0.1 is ever contacted. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-"16 128"}
IDLE_CONNS=${IDLE_CONNS:-10000}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_TMP=${KEEP_TMP:-0}
WRK_THREADS=2
WORKERS=2
BACKLOG=511
CSS_NAME=bench.css
HZ=$(getconf CLK_TCK)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

say() { printf '[bench] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- build
scripts/install-deps.sh --bench
if [[ $SKIP_BUILD != 1 ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build --target ahttpd
fi
[[ -x build/ahttpd ]] || { echo "build/ahttpd missing" >&2; exit 1; }

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

# File descriptors for 10,000 connections (server and client side).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# One copy of the binary, so a rebuild of build/ahttpd during the run does not matter.
cp build/ahttpd "$WORK/ahttpd-bin"

read -r P_AHTTPD P_NGINX P_H2O < <("$PY" -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')

# The same small static file (~600 bytes) for all three servers, at the same URL path /static/bench.css.
mkdir -p "$WORK/www/static"
cat >"$WORK/www/static/$CSS_NAME" <<'EOF'
/* ahttpd benchmark stylesheet: a small static file served identically by ahttpd, nginx and h2o. */
html, body { margin: 0; padding: 0; font-family: "DejaVu Sans", Arial, sans-serif; }
body { background: #ffffff; color: #202020; line-height: 1.4; }
h1, h2, h3 { font-weight: 600; margin: 0.8em 0 0.4em 0; color: #10305a; }
table { border-collapse: collapse; margin: 1em auto; width: 500px; }
td, th { border: 1px solid #d0d0e0; padding: 4px 8px; text-align: left; }
tr:nth-child(even) { background: #f1f1f1; }
a { color: #2050a0; text-decoration: none; }
a:hover { text-decoration: underline; }
.status-ok { color: #107010; } .status-bad { color: #a01010; }
footer { font-size: smaller; text-align: center; margin: 2em 0; }
EOF
CSS_BYTES=$(stat -c %s "$WORK/www/static/$CSS_NAME")

root_user=0
[[ $(id -u) -eq 0 ]] && root_user=1

# ---------------------------------------------------------------- ahttpd config
A=$WORK/ahttpd
mkdir -p "$A/etc" "$A/data/static-http" "$A/run" "$A/log" "$A/lib"
cp "$WORK/www/static/$CSS_NAME" "$A/data/static-http/"
cat >"$A/etc/asterisk.conf" <<EOF
[directories]
astetcdir => $A/etc
astdatadir => $A/data
astrundir => $A/run
astlogdir => $A/log
astvarlibdir => $A/lib
EOF
printf '[modules]\nautoload=yes\n' >"$A/etc/modules.conf"
printf '[logfiles]\nconsole => error\n' >"$A/etc/logger.conf"
# session_keep_alive is raised from Asterisk's 15 s so the idle connections of the RSS test stay open while
# they are counted; it does not affect the wrk runs (busy connections).
cat >"$A/etc/http.conf" <<EOF
[general]
enabled=yes
bindaddr=127.0.0.1
bindport=$P_AHTTPD
enable_static=yes
enable_status=yes
sessionlimit=20000
session_keep_alive=300000
EOF

# ---------------------------------------------------------------- nginx config
N=$WORK/nginx
mkdir -p "$N/tmp" "$N/logs"
{
  echo "daemon off;"
  echo "master_process on;"
  ((root_user)) && echo "user root;"
  cat <<EOF
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
  types { text/css css; text/html html; }
  default_type application/octet-stream;
  keepalive_requests 1000000;   # like ahttpd and h2o: no cap on requests per keep-alive connection
  server {
    listen 127.0.0.1:$P_NGINX backlog=$BACKLOG;
    root $WORK/www;
    location = /httpstatus { default_type text/plain; return 200 "Pong"; }
  }
}
EOF
} >"$N/nginx.conf"

# ---------------------------------------------------------------- h2o config (Debian's h2o 2.2 YAML)
# h2o 2.2 has no listen-backlog setting: it always calls listen(fd, 65535), which the kernel clips to
# net.core.somaxconn. Not relevant with wrk's fixed connection set, but noted in the output.
H=$WORK/h2o
mkdir -p "$H"
{
  ((root_user)) && echo "user: root"
  cat <<EOF
num-threads: $WORKERS
pid-file: $H/h2o.pid
error-log: $H/error.log
listen:
  host: 127.0.0.1
  port: $P_H2O
hosts:
  default:
    paths:
      /:
        file.dir: $WORK/www
EOF
} >"$H/h2o.conf"

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
socket_fds() { find "/proc/$1/fd" -lname 'socket:*' 2>/dev/null | wc -l; }

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

# ---------------------------------------------------------------- start ahttpd; RSS idle and with idle connections
say "work dir $WORK; ports ahttpd=$P_AHTTPD nginx=$P_NGINX h2o=$P_H2O; ${DURATION}s x $ROUNDS rounds; conns: $CONNS"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$WORK/ahttpd-bin" -C "$A/etc/asterisk.conf" >"$A/log/stdout.log" 2>&1 &
AHTTPD_PID=$!
PIDS+=("$AHTTPD_PID")
wait_port "$P_AHTTPD" "$AHTTPD_PID" ahttpd
sleep 1
RSS_IDLE=$(rss_kib "$AHTTPD_PID")
say "ahttpd idle VmRSS: $(mib "$RSS_IDLE") MiB"

say "opening $IDLE_CONNS idle keep-alive connections (GET /httpstatus each, then idle)"
SOCK_BEFORE=$(socket_fds "$AHTTPD_PID")
READY=$WORK/idle.ready
"$PY" "$ROOT/bench/idle_conns.py" 127.0.0.1 "$P_AHTTPD" "$IDLE_CONNS" /httpstatus "$READY" 180 >"$WORK/idle.out" 2>&1 &
IDLE_PID=$!
PIDS+=("$IDLE_PID")
for ((i = 0; i < 1800; i++)); do
  [[ -s $READY ]] && break
  kill -0 "$IDLE_PID" 2>/dev/null || break
  sleep 0.1
done
IDLE_RESULT=$(cat "$READY" 2>/dev/null || echo "client failed: $(tail -n 3 "$WORK/idle.out" | tr '\n' ' ')")
sleep 1
RSS_CONNS=$(rss_kib "$AHTTPD_PID")
SOCK_OPEN=$(($(socket_fds "$AHTTPD_PID") - SOCK_BEFORE))
say "with idle connections: $IDLE_RESULT; ahttpd holds $SOCK_OPEN more sockets; VmRSS $(mib "$RSS_CONNS") MiB"
kill -TERM "$IDLE_PID" 2>/dev/null || true
wait "$IDLE_PID" 2>/dev/null || true
for ((i = 0; i < 100; i++)); do # let ahttpd close its side
  (($(socket_fds "$AHTTPD_PID") <= SOCK_BEFORE + 1)) && break
  sleep 0.1
done
RSS_AFTER_IDLE=$(rss_kib "$AHTTPD_PID")

# ---------------------------------------------------------------- start nginx and h2o
nginx -e "$N/logs/error.log" -p "$N" -c "$N/nginx.conf" >"$N/logs/stdout.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_port "$P_NGINX" "$NGINX_PID" nginx
h2o -c "$H/h2o.conf" >"$H/stdout.log" 2>&1 &
H2O_PID=$!
PIDS+=("$H2O_PID")
wait_port "$P_H2O" "$H2O_PID" h2o

# ---------------------------------------------------------------- targets
#            key            label                                   url                                              pid
TARGETS=(ahttpd_static nginx_static h2o_static ahttpd_status nginx_pong)
declare -A LABEL URL PID
LABEL[ahttpd_static]="ahttpd /static/$CSS_NAME"
LABEL[nginx_static]="nginx  /static/$CSS_NAME"
LABEL[h2o_static]="h2o    /static/$CSS_NAME"
LABEL[ahttpd_status]="ahttpd /httpstatus"
LABEL[nginx_pong]="nginx  return 200 \"Pong\""
URL[ahttpd_static]="http://127.0.0.1:$P_AHTTPD/static/$CSS_NAME"
URL[nginx_static]="http://127.0.0.1:$P_NGINX/static/$CSS_NAME"
URL[h2o_static]="http://127.0.0.1:$P_H2O/static/$CSS_NAME"
URL[ahttpd_status]="http://127.0.0.1:$P_AHTTPD/httpstatus"
URL[nginx_pong]="http://127.0.0.1:$P_NGINX/httpstatus"
PID[ahttpd_static]=$AHTTPD_PID
PID[nginx_static]=$NGINX_PID
PID[h2o_static]=$H2O_PID
PID[ahttpd_status]=$AHTTPD_PID
PID[nginx_pong]=$NGINX_PID

# Sanity: every target answers 200 with a body of the expected size.
for t in "${TARGETS[@]}"; do
  read -r code size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' --max-time 5 "${URL[$t]}" || echo "000 0")
  say "check ${LABEL[$t]}: HTTP $code, $size bytes"
  [[ $code == 200 ]] || say "WARNING: ${LABEL[$t]} answered $code"
done

declare -A RPS CPU NON2XX SOCKERR
run_wrk() { # target conns round
  local t=$1 c=$2 r=$3 out t0 t1 rps reqs non2xx sockerr cpu
  out=$WORK/wrk-$t-c$c-r$r.txt
  t0=$(server_ticks "${PID[$t]}")
  wrk -t"$WRK_THREADS" -c"$c" -d"${DURATION}s" --timeout 2s "${URL[$t]}" >"$out" 2>&1 || true
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
  wrk -t"$WRK_THREADS" -c16 -d1s "${URL[$t]}" >/dev/null 2>&1 || true
done

for ((r = 1; r <= ROUNDS; r++)); do
  for c in $CONNS; do
    for t in "${TARGETS[@]}"; do
      run_wrk "$t" "$c" "$r"
    done
  done
done
RSS_AFTER_LOAD=$(rss_kib "$AHTTPD_PID")
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
echo "ahttpd HTTP core benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r)"
echo "wrk -t$WRK_THREADS, keep-alive, ${DURATION}s per run, $ROUNDS interleaved round(s), median; file $CSS_NAME = $CSS_BYTES bytes"
echo "servers: $("$WORK/ahttpd-bin" -V 2>/dev/null | head -n1 || echo ahttpd), $(nginx -v 2>&1 | sed 's/.*: //'), $(h2o --version | head -n1) — $WORKERS workers/threads each"
echo
printf '%-30s %6s %12s  %-28s %10s %8s %8s\n' "target" "conns" "req/s" "rounds (req/s)" "CPU us/req" "non-2xx" "sockerr"
printf '%-30s %6s %12s  %-28s %10s %8s %8s\n' "------" "-----" "-----" "--------------" "----------" "-------" "-------"
for c in $CONNS; do
  for t in "${TARGETS[@]}"; do
    rounds=$(printf '%s' "${RPS[$t,$c]}" | awk '{for(i=1;i<=NF;i++) printf "%s%.0f", (i>1?" ":""), $i}')
    printf '%-30s %6s %12.0f  %-28s %10s %8s %8s\n' "${LABEL[$t]}" "$c" "${MED[$t,$c]}" "$rounds" \
      "${MEDCPU[$t,$c]}" "${NON2XX[$t,$c]}" "${SOCKERR[$t,$c]}"
  done
done

echo
printf '%-46s %10s %12s  %s\n' "target" "value" "goal" "result"
printf '%-46s %10s %12s  %s\n' "------" "-----" "----" "------"
for c in $CONNS; do
  v=$(ratio "${MED[ahttpd_static,$c]}" "${MED[h2o_static,$c]}")
  printf '%-46s %9sx %12s  %s\n' "static: ahttpd / h2o            @ $c conns" "$v" ">= 1.00x" "$(verdict "$v" ">=" 1.0)"
done
for c in $CONNS; do
  v=$(ratio "${MED[ahttpd_status,$c]}" "${MED[nginx_pong,$c]}")
  printf '%-46s %9sx %12s  %s\n' "/httpstatus: ahttpd / nginx 200 @ $c conns" "$v" ">= 0.90x" "$(verdict "$v" ">=" 0.9)"
done
v=$(mib "$RSS_IDLE")
printf '%-46s %7s MiB %12s  %s\n' "ahttpd RSS idle (after start)" "$v" "< 16 MiB" "$(verdict "$v" "<" 16)"
v=$(mib "$RSS_CONNS")
printf '%-46s %7s MiB %12s  %s\n' "ahttpd RSS with $IDLE_CONNS idle keep-alive conns" "$v" "< 100 MiB" "$(verdict "$v" "<" 100)"
echo
echo "info: static ahttpd / nginx: $(for c in $CONNS; do printf '%sx @ %s  ' "$(ratio "${MED[ahttpd_static,$c]}" "${MED[nginx_static,$c]}")" "$c"; done)"
echo "info: idle-connection client: $IDLE_RESULT; sockets held by ahttpd: $SOCK_OPEN"
echo "info: ahttpd VmRSS after closing them $(mib "$RSS_AFTER_IDLE") MiB; after the wrk runs $(mib "$RSS_AFTER_LOAD") MiB; peak (VmHWM) $(mib "$HWM") MiB"
echo "info: CPU us/req = server utime+stime (all threads; nginx master+workers) per request, clock tick $((1000 / HZ)) ms"
echo "info: h2o 2.2 has no listen-backlog option (listen(65535), clipped to somaxconn=$(cat /proc/sys/net/core/somaxconn)); ahttpd and nginx use $BACKLOG"
echo "info: wrk runs on the same $(nproc) cores as the servers; load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
