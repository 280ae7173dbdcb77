#!/usr/bin/env python3
"""AMI event fan-out benchmark: COUNT cookie sessions parked in WaitEvent, one UserEvent, time to all answers.

Opens COUNT keep-alive connections to HOST:PORT, logs each in as USER (one cookie session per connection,
spec 02 §2), then parks every session in `/rawman?action=WaitEvent&Timeout=<WAIT>`. An extra admin session
sends one `UserEvent`; for each parked request the time from just before that UserEvent is sent until its
complete response (which must contain the event) has been read is recorded. Repeated ROUNDS times (each
session is parked again). The client is one epoll loop (no asyncio), so its own cost per answer is a few
microseconds; it is still included in the figures.

Prints per round, then a summary line:
  round=N answered=A missing=M p50_ms=... p99_ms=... max_ms=...
  fanout sessions=COUNT rounds=R p50_ms=<median of the rounds' p50> p99_ms=<median of p99> max_ms=<max>
Usage: manager_fanout.py HOST PORT USER SECRET ADMIN ADMIN_SECRET [COUNT] [ROUNDS]
Uses only the Python standard library (Debian's python3). Only HOST (127.0.0.1 in the bench) is contacted.
"""
import re
import resource
import selectors
import socket
import statistics
import sys
import time

WAIT_TIMEOUT = 30  # WaitEvent Timeout= (s): long enough that only the event ends the wait
PARK_SETTLE = 1.0  # seconds allowed for every WaitEvent to reach the server before the event is sent
ANSWER_DEADLINE = 10.0  # seconds to wait for all answers of one round (bounded)
IO_TIMEOUT = 10.0
COOKIE_RE = re.compile(rb'Set-Cookie: mansession_id="([0-9a-f]{8})"')


def raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = need + 64
    if soft >= want:
        return
    if hard != resource.RLIM_INFINITY and hard < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, want))  # root may raise the hard limit
            return
        except (ValueError, OSError):
            want = hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def response_end(buf):
    """Length of the first complete response in buf (head + Content-Length body), or -1."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return -1
    length = 0
    for line in buf[:end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    total = end + 4 + length
    return total if len(buf) >= total else -1


def request(path, cookie=None):
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if cookie:
        head += f'Cookie: mansession_id="{cookie}"\r\n'
    return (head + "\r\n").encode()


def exchange(sock, data):
    """Blocking request/response on a keep-alive socket."""
    sock.sendall(data)
    return read_response(sock)


def read_response(sock):
    buf = b""
    while True:
        n = response_end(buf)
        if n >= 0:
            return buf[:n]
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        buf += chunk


def login(host, port, user, secret):
    sock = socket.create_connection((host, port), timeout=IO_TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    resp = exchange(sock, request(f"/rawman?action=Login&username={user}&secret={secret}"))
    m = COOKIE_RE.search(resp)
    if b"Authentication accepted" not in resp or not m:
        raise SystemExit(f"login as {user} failed: {resp[:200]!r}")
    return sock, m.group(1).decode()


def one_round(sessions, admin, number):
    sel = selectors.DefaultSelector()
    bufs = {}
    for sock, cookie in sessions:
        sock.sendall(request(f"/rawman?action=WaitEvent&Timeout={WAIT_TIMEOUT}", cookie))
        sock.setblocking(False)
        sel.register(sock, selectors.EVENT_READ)
        bufs[sock] = b""
    time.sleep(PARK_SETTLE)
    tag = f"Fan{number}"
    admin_sock, admin_cookie = admin
    t0 = time.perf_counter()
    admin_sock.sendall(request(f"/rawman?action=UserEvent&UserEvent={tag}", admin_cookie))
    times, bad = [], 0
    pending = len(sessions)
    deadline = t0 + ANSWER_DEADLINE
    while pending and time.perf_counter() < deadline:
        for key, _ in sel.select(timeout=0.5):
            sock = key.fileobj
            try:
                chunk = sock.recv(65536)
            except BlockingIOError:
                continue
            bufs[sock] += chunk
            n = response_end(bufs[sock])
            if n < 0 and chunk:
                continue
            t = time.perf_counter() - t0
            sel.unregister(sock)
            pending -= 1
            if n < 0 or f"UserEvent: {tag}".encode() not in bufs[sock][:n]:
                bad += 1
            else:
                times.append(t * 1000.0)
    sel.close()
    for sock, _ in sessions:
        sock.setblocking(True)
    read_response(admin_sock)  # the UserEvent's own answer ("Event Sent"); not measured
    times.sort()
    result = {
        "answered": len(times),
        "missing": pending + bad,
        "p50": statistics.median(times) if times else float("nan"),
        "p99": times[min(len(times) - 1, int(len(times) * 0.99))] if times else float("nan"),
        "max": times[-1] if times else float("nan"),
    }
    print(f"round={number} answered={result['answered']} missing={result['missing']} "
          f"p50_ms={result['p50']:.2f} p99_ms={result['p99']:.2f} max_ms={result['max']:.2f}", flush=True)
    return result


def main():
    if len(sys.argv) < 7:
        raise SystemExit(__doc__)
    host, port, user, secret, admin_user, admin_secret = sys.argv[1:7]
    port = int(port)
    count = int(sys.argv[7]) if len(sys.argv) > 7 else 1000
    rounds = int(sys.argv[8]) if len(sys.argv) > 8 else 3
    raise_nofile(count + 16)
    sessions = [login(host, port, user, secret) for _ in range(count)]
    admin = login(host, port, admin_user, admin_secret)
    results = [one_round(sessions, admin, r + 1) for r in range(rounds)]
    for sock, _ in sessions:
        sock.close()
    admin[0].close()
    print(f"fanout sessions={count} rounds={rounds} "
          f"p50_ms={statistics.median(r['p50'] for r in results):.2f} "
          f"p99_ms={statistics.median(r['p99'] for r in results):.2f} "
          f"max_ms={max(r['max'] for r in results):.2f} "
          f"missing={sum(r['missing'] for r in results)}", flush=True)


if __name__ == "__main__":
    main()
