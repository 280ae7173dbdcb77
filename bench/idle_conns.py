#!/usr/bin/env python3
"""Opens COUNT idle HTTP/1.1 keep-alive connections to HOST:PORT and holds them open.

Each connection sends one `GET PATH` and reads the complete response (status line, headers and a
Content-Length body); then it stays open and silent. Connections are opened in batches so the server's
listen backlog is never flooded. When all are open (or the open phase ended), the script writes one line
"open=N failed=M non200=K seconds=S" to READY_FILE (written atomically) and to stdout, then holds the
connections until SIGTERM/SIGINT or HOLD seconds have passed, whichever comes first (bounded).

Usage: idle_conns.py HOST PORT COUNT PATH READY_FILE [HOLD_SECONDS]
Uses only the Python standard library (Debian's python3).
"""
import os
import resource
import selectors
import signal
import socket
import sys
import time

BATCH = 250
IO_TIMEOUT = 10.0  # seconds allowed for one batch to be answered


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


def response_complete(buf):
    """Returns (done, status) for the bytes received so far."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return False, None
    head = buf[:end].decode("latin-1").split("\r\n")
    try:
        status = int(head[0].split(" ", 2)[1])
    except (IndexError, ValueError):
        return True, -1
    length = 0
    for line in head[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip() or 0)
    return len(buf) >= end + 4 + length, status


def open_batch(host, port, n, request):
    """Connects n sockets, sends the request on each, reads each response. Returns (kept, failed, non200)."""
    sel = selectors.DefaultSelector()
    pending = {}
    failed = 0
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.settimeout(5.0)
            s.connect((host, port))
            s.sendall(request)
            s.setblocking(False)
        except OSError:
            s.close()
            failed += 1
            continue
        pending[s] = b""
        sel.register(s, selectors.EVENT_READ)
    kept, non200 = [], 0
    deadline = time.monotonic() + IO_TIMEOUT
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            s = key.fileobj
            try:
                data = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:  # closed by the server before/while answering
                sel.unregister(s)
                del pending[s]
                s.close()
                failed += 1
                continue
            pending[s] += data
            done, status = response_complete(pending[s])
            if done:
                sel.unregister(s)
                del pending[s]
                if status != 200:
                    non200 += 1
                kept.append(s)
    for s in list(pending):  # no complete answer in time
        sel.unregister(s)
        s.close()
        failed += 1
    sel.close()
    return kept, failed, non200


def main():
    if len(sys.argv) not in (6, 7):
        sys.exit(__doc__)
    host, port, count, path, ready_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    hold = float(sys.argv[6]) if len(sys.argv) == 7 else 60.0
    raise_nofile(count)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: idle_conns\r\n\r\n".encode()
    conns, failed, non200 = [], 0, 0
    t0 = time.monotonic()
    while len(conns) + failed < count and not stop:
        kept, f, n = open_batch(host, port, min(BATCH, count - len(conns) - failed), request)
        conns += kept
        failed += f
        non200 += n
    line = f"open={len(conns)} failed={failed} non200={non200} seconds={time.monotonic() - t0:.2f}"
    tmp = ready_file + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(line + "\n")
    os.replace(tmp, ready_file)
    print(line, flush=True)

    # Hold (bounded) until told to stop.
    end = time.monotonic() + hold
    while not stop and time.monotonic() < end:
        time.sleep(0.2)
    for s in conns:
        s.close()


if __name__ == "__main__":
    main()
