"""Daemon life cycle and operator commands: signals, core reload/stop, the remote console, logger channels,
and the built-in default configuration (`ahttpd` with no argument)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import pytest

from e2e_daemon import AHTTPD_BIN, clean_env


def wait_until(predicate, timeout=5.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_sighup_reloads_http_conf(make_daemon):
    d = make_daemon()
    assert d.get("/httpstatus").code == 200
    d.write_http_conf(d.http_conf(omit=("enable_status",)))
    os.kill(d.pid, signal.SIGHUP)
    wait_until(lambda: d.get("/httpstatus").code == 404, what="SIGHUP to unregister /httpstatus")
    assert "/httpstatus" not in d.status()


def test_core_reload_applies_changes(make_daemon):
    d = make_daemon()
    d.write_http_conf(d.http_conf(replace={"servername": "Renamed"}))
    assert d.cli("core reload") == ""
    assert d.get("/httpstatus").header("Server") == "Renamed"


def test_core_stop_gracefully_exits_zero_and_cleans_up(make_daemon):
    d = make_daemon()
    proc = d.proc
    assert d.cli("core stop gracefully") == ""
    assert proc.wait(10) == 0
    d.proc = None  # already stopped: nothing for the fixture to do
    assert not d.ctl.exists()
    assert not (d.rundir / "asterisk.pid").exists()
    p = d.cli_run("core show version")
    assert p.returncode == 1 and p.stdout == ""
    assert p.stderr == f"Unable to connect to remote asterisk (does {d.ctl} exist?)\n"


def test_graceful_stop_finishes_in_flight_request(make_daemon):
    # A request whose head is still arriving when SIGTERM comes is answered (503, the core is stopping)
    # rather than cut off, and the daemon then exits 0.
    d = make_daemon()
    s = socket.create_connection(("127.0.0.1", d.port))
    s.sendall(b"GET /httpstatus HTTP/1.1\r\n")
    time.sleep(0.2)
    proc = d.proc
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    s.sendall(b"\r\n")
    s.settimeout(5)
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    assert data.startswith(b"HTTP/1.1 503 Service Unavailable\r\n"), data[:200]
    assert b"<p>Shutdown in progress</p>" in data
    assert proc.wait(10) == 0
    d.proc = None


def test_remote_console_session(daemon):
    p = subprocess.run([AHTTPD_BIN, "-C", str(daemon.conf), "-r"], input="core show uptime seconds\nquit\n",
                       capture_output=True, text=True, timeout=15, env=clean_env())
    assert p.returncode == 0
    assert p.stdout.startswith("Connected to Asterisk ")
    assert "currently running on " in p.stdout and "(pid = " in p.stdout
    assert "*CLI> " in p.stdout
    assert "System uptime: " in p.stdout and "Last reload: " in p.stdout


def test_00_44_logger_show_channels(daemon):
    out = daemon.cli("logger show channels")
    lines = out.split("\n")
    assert lines[0] == "Logger queue limit: 1000"
    # The channel column is %-35.35s: long paths are cut at 35 bytes.
    row = [l for l in lines if l.startswith(str(daemon.logdir / "messages.log")[:35])]
    assert row and row[0].endswith(" - NOTICE WARNING ERROR "), out


def test_open_file_limit_raised_to_hard_limit(daemon):
    limits = open(f"/proc/{daemon.pid}/limits").read()
    line = next(l for l in limits.splitlines() if l.startswith("Max open files"))
    soft, hard = line.split()[3:5]
    assert soft == hard, line


def test_builtin_default_configuration():
    # `ahttpd` with no argument: loopback:8088, status and static (this repo's static-http) enabled.
    probe = socket.socket()
    try:
        probe.bind(("127.0.0.1", 8088))
    except OSError:
        pytest.skip("port 8088 is in use on this machine")
    finally:
        probe.close()
    proc = subprocess.Popen([AHTTPD_BIN], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env(),
                            start_new_session=True)
    try:
        def up():
            try:
                socket.create_connection(("127.0.0.1", 8088), timeout=0.2).close()
                return True
            except OSError:
                return False
        wait_until(up, 10, "the built-in daemon on 127.0.0.1:8088")
        out = subprocess.run(["curl", "-si", "http://127.0.0.1:8088/httpstatus"], capture_output=True,
                             timeout=10).stdout
        assert out.startswith(b"HTTP/1.1 200 OK\r\n") and b"127.0.0.1:8088" in out
        page = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                               "http://127.0.0.1:8088/static/mantest.html"], capture_output=True, timeout=10)
        assert page.stdout == b"200"
        status = subprocess.run([AHTTPD_BIN, "-rx", "http show status"], capture_output=True, text=True,
                                timeout=10, env=clean_env())
        assert status.returncode == 0 and "Server Enabled and Bound to 127.0.0.1:8088" in status.stdout
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0


def test_systemd_socket_activation(make_daemon):
    # An inherited listening socket for the configured address is used instead of binding (spec 01 §2.1).
    # The test keeps its own copy open, so a daemon that tried to bind the port itself would fail.
    d = make_daemon(start=False)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", d.port))
    listener.listen(16)
    fd = listener.fileno()

    env = clean_env()
    env["LISTEN_FDS"] = "1"
    # The shell's PID is the daemon's after exec; the socket becomes descriptor 3 as the protocol wants.
    script = f'export LISTEN_PID=$$; exec "$0" -C "$1" 3<&{fd}'
    proc = subprocess.Popen(["/bin/bash", "-c", script, AHTTPD_BIN, str(d.conf)], env=env, pass_fds=(fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until(lambda: d.ctl.exists(), 10, "the control socket")
        r = d.get("/httpstatus")
        assert r.code == 200
        assert f"Server Enabled and Bound to 127.0.0.1:{d.port}" in d.status()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        listener.close()


def test_sigterm_right_after_start_is_a_graceful_stop(make_daemon):
    # Regression: a SIGTERM that arrived while the daemon was still starting killed it (exit -15). The
    # signal is now queued from the very start and handled as a graceful stop.
    for _ in range(5):
        d = make_daemon(start=False)
        proc = d.spawn()
        deadline = time.monotonic() + 10
        while not d.ctl.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.001)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
