"""The demo set-up (scripts/run-demo.sh on configs/demo/): the five curl commands of the README work on it.

The script runs exactly as a user would start it, except that AHTTPD_BIN skips the build and the ports and
run-time directory come from the environment (free ports, a pytest directory); the curl commands are run
verbatim through the shell with only the port numbers substituted.
"""
from __future__ import annotations

import signal
import subprocess
import time

import pytest

from e2e_daemon import AHTTPD_BIN, REPO, clean_env
from e2e_http import free_port, port_accepts

START_TIMEOUT_S = 20
STOP_TIMEOUT_S = 5

# The README's commands, with the ports as placeholders.
CURLS = [
    "curl -b cookie.txt -c cookie.txt 'http://localhost:{http}/manager?action=login&username=admin&secret=admin'",
    "curl -b cookie.txt -c cookie.txt 'http://localhost:{http}/rawman?action=status'",
    "curl -b cookie.txt -c cookie.txt 'http://localhost:{http}/mxml?action=status'",
    "curl --digest -u admin:admin -k 'https://127.0.0.1:{https}/arawman?action=status'",
    "curl --digest -u admin:admin -k 'https://127.0.0.1:{https}/amxml?action=status'",
]


@pytest.fixture
def demo(tmp_path):
    ports = {"http": free_port(), "https": free_port(), "ami": free_port()}
    demo_dir = tmp_path / "demo"
    env = clean_env() | {"AHTTPD_BIN": AHTTPD_BIN, "AHTTP_DEMO_DIR": str(demo_dir),
                         "AHTTP_DEMO_HTTP_PORT": str(ports["http"]), "AHTTP_DEMO_HTTPS_PORT": str(ports["https"]),
                         "AHTTP_DEMO_AMI_PORT": str(ports["ami"])}
    log = tmp_path / "run-demo.log"
    with open(log, "wb") as out:
        # The script execs ahttpd, so this PID is the daemon's.
        proc = subprocess.Popen([str(REPO / "scripts" / "run-demo.sh")], stdout=out, stderr=subprocess.STDOUT,
                                cwd=tmp_path, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (port_accepts(ports["http"]) and port_accepts(ports["https"])):
            assert proc.poll() is None, f"run-demo.sh exited {proc.returncode}:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"demo not up in {START_TIMEOUT_S}s:\n{log.read_text()}"
            time.sleep(0.1)
        yield ports, demo_dir, tmp_path, log
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                pytest.fail("ahttpd ignored SIGTERM")
    assert proc.returncode == 0, f"ahttpd exited {proc.returncode}:\n{log.read_text()}"


def shell(cmd: str, cwd) -> str:
    p = subprocess.run(["/bin/sh", "-c", cmd], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                       timeout=30)
    assert p.returncode == 0, f"{cmd}: exit {p.returncode}, stderr {p.stderr}"
    return p.stdout


def test_five_curls_on_demo_config(demo):
    ports, demo_dir, cwd, log = demo
    cmds = [c.format(**ports) for c in CURLS]

    login = shell(cmds[0], cwd)
    assert "<td>Response</td><td>Success</td>" in login, login
    assert "<td>Message</td><td>Authentication accepted</td>" in login, login

    # Status may not exist yet in this build: any AMI answer except Permission denied proves the cookie session.
    raw = shell(cmds[1], cwd)
    assert raw.startswith("Response: ") and "Permission denied" not in raw, raw
    xml = shell(cmds[2], cwd)
    assert xml.startswith("<ajax-response>\n") and "Permission denied" not in xml, xml

    assert shell(cmds[3], cwd).startswith("Response: ")
    assert shell(cmds[4], cwd).startswith("<ajax-response>\n")
    for cmd in cmds[3:]:
        code = shell(cmd.replace("curl ", "curl -s -o /dev/null -w '%{http_code}' ", 1), cwd)
        assert code == "200", f"{cmd}: HTTP {code}"

    # Where localhost resolves to ::1 first, curl is refused there (loopback IPv4 only) and falls back.
    both = cmds[0].replace("curl ", f"curl -sv --resolve localhost:{ports['http']}:::1,127.0.0.1 ", 1)
    (cwd / "v6").mkdir()
    assert "<td>Message</td><td>Authentication accepted</td>" in shell(both, cwd / "v6")

    # The certificate was made in the run-time directory, not in the checkout.
    assert (demo_dir / "keys" / "ahttpd-demo.crt").is_file() and (demo_dir / "keys" / "ahttpd-demo.key").is_file()
    assert "creating a self-signed certificate" in log.read_text()


def test_demo_serves_the_console(demo):
    ports, _, cwd, _ = demo
    code = shell(f"curl -s -o /dev/null -w '%{{http_code}}' http://127.0.0.1:{ports['http']}/static/ami-console.html",
                 cwd)
    assert code == "200"
    where = shell(f"curl -s -o /dev/null -w '%{{http_code}} %{{redirect_url}}' http://127.0.0.1:{ports['http']}/",
                  cwd)
    assert where == f"302 http://127.0.0.1:{ports['http']}/static/ami-console.html", where
