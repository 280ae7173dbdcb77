"""The browser AMI console (static-http/ami-console.*) end to end in headless Chromium.

node/console_check.js drives the page (playwright-core, Debian's /usr/bin/chromium): wrong secret shows the
failure, login, Ping shows Pong, a parameter row is sent, then event streaming (WaitEvent loop) must show a
UserEvent that this test sends from another manager session. The screenshot goes to $AHTTP_TEST_OUTPUT if set,
else to e2e-output/ next to the ahttpd binary (the build directory, which git ignores).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import requests

from e2e_daemon import AHTTPD_BIN, REPO, clean_env
from e2e_http import free_port

NODE_DIR = Path(__file__).resolve().parent / "node"
CONSOLE_FILES = ("ami-console.html", "ami-console.js", "ami-console.css")
SCRIPT_TIMEOUT_S = 120

MANAGER_CONF = """[general]
enabled = yes
webenabled = yes
bindaddr = 127.0.0.1
port = {ami_port}

[admin]
secret = consolepw
read = all
write = all
"""

# Must match console_check.js.
EVENT_NAME = "ConsoleCheck"
XSS_VALUE = '<img src=x onerror="window.__pwned=1">&amp;'


def output_dir() -> Path:
    out = Path(os.environ.get("AHTTP_TEST_OUTPUT") or Path(AHTTPD_BIN).resolve().parent / "e2e-output")
    out.mkdir(parents=True, exist_ok=True)
    return out


def send_user_event(port: int, prefix: str):
    """From a second manager session (python requests keeps its own cookie)."""
    base = f"http://127.0.0.1:{port}{'/' + prefix if prefix else ''}/rawman"
    with requests.Session() as s:
        s.trust_env = False  # never a proxy
        r = s.get(base, params={"action": "Login", "username": "admin", "secret": "consolepw"}, timeout=10)
        assert r.text.startswith("Response: Success\r\nMessage: Authentication accepted\r\n"), r.text
        r = s.get(base, params={"action": "UserEvent", "UserEvent": EVENT_NAME, "Header1": XSS_VALUE}, timeout=10)
        assert r.text.startswith("Response: Success\r\n"), r.text
        s.get(base, params={"action": "Logoff"}, timeout=10)


@pytest.mark.parametrize("prefix", ["", "asterisk"])
def test_console_in_headless_chromium(make_daemon, prefix):
    # With an http.conf prefix the page lives at /<prefix>/static/ and must find /<prefix>/rawman.
    d = make_daemon(lambda d: d.http_conf(extra=f"prefix={prefix}" if prefix else ""), start=False)
    d.write_etc("manager.conf", MANAGER_CONF.replace("{ami_port}", str(free_port())))
    for name in CONSOLE_FILES:
        shutil.copyfile(REPO / "static-http" / name, d.static / name)
    d.start()

    shot = output_dir() / f"ami-console{'-' + prefix if prefix else ''}.png"
    shot.unlink(missing_ok=True)
    url = f"http://127.0.0.1:{d.port}{'/' + prefix if prefix else ''}/static/ami-console.html"
    err_path = d.root / "console_check.stderr"  # a file, so a chatty browser cannot fill a pipe and block
    with open(err_path, "wb") as err_file:
        proc = subprocess.Popen(["node", str(NODE_DIR / "console_check.js"), url, "admin", "consolepw", str(shot)],
                                cwd=NODE_DIR, env=clean_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=err_file, text=True)
    killer = threading.Timer(SCRIPT_TIMEOUT_S, proc.kill)  # a hung browser must not hang the suite
    killer.start()
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.strip() == "READY":
                send_user_event(d.port, prefix)
                try:
                    proc.stdin.write("go\n")
                    proc.stdin.flush()
                except BrokenPipeError:
                    pass  # the script already failed; its exit status and stderr tell why
        rc = proc.wait()
    finally:
        killer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert rc == 0, f"console_check.js exited {rc}\nstdout: {lines}\nstderr: {err_path.read_text()}"
    assert "PASS" in lines, lines
    assert shot.is_file() and shot.stat().st_size > 0
    print(f"screenshot: {shot}")
