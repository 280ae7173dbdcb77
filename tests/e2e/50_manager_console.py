"""The browser AMI console (static-http/ami-console.*) end to end in headless Chromium.

node/console_check.js drives the page (playwright-core, Debian's /usr/bin/chromium): wrong secret shows the
failure, login, Ping shows Pong, a parameter row is sent, then event streaming (WaitEvent loop) must show a
UserEvent that this test sends from another manager session. The screenshot goes to $AHTTP_TEST_OUTPUT if set,
else to e2e-output/ next to the ahttpd binary (the build directory, which git ignores).
"""
from __future__ import annotations

import shutil

import pytest
import requests

from e2e_browser import output_dir, run_page_check
from e2e_daemon import REPO
from e2e_http import free_port

CONSOLE_FILES = ("ami-console.html", "ami-console.js", "ami-console.css")

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
    run_page_check("console_check.js", [url, "admin", "consolepw", shot], d.root / "console_check.stderr",
                   lambda: send_user_event(d.port, prefix))
    assert shot.is_file() and shot.stat().st_size > 0
    print(f"screenshot: {shot}")
