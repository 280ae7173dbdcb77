"""Runs the headless-Chromium page checks of tests/e2e/node/ (console_check.js, ami_ws_console_check.js).

A check prints "READY" when the page waits for an event, reads a go-ahead line on stdin, prints "PASS" and exits
0 when every step passed; its screenshot goes to output_dir().
"""
from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

from e2e_daemon import AHTTPD_BIN, clean_env

NODE_DIR = Path(__file__).resolve().parent / "node"
SCRIPT_TIMEOUT_S = 120  # a hung browser must not hang the suite


def output_dir() -> Path:
    out = Path(os.environ.get("AHTTP_TEST_OUTPUT") or Path(AHTTPD_BIN).resolve().parent / "e2e-output")
    out.mkdir(parents=True, exist_ok=True)
    return out


def run_page_check(script: str, args, err_path: Path, on_ready) -> None:
    """Runs node/<script> with `args`; calls on_ready() at "READY" before the go-ahead; asserts the pass."""
    with open(err_path, "wb") as err_file:  # a file, so a chatty browser cannot fill a pipe and block
        proc = subprocess.Popen(["node", str(NODE_DIR / script), *map(str, args)], cwd=NODE_DIR, env=clean_env(),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err_file, text=True)
    killer = threading.Timer(SCRIPT_TIMEOUT_S, proc.kill)
    killer.start()
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.strip() == "READY":
                on_ready()
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
    assert rc == 0, f"{script} exited {rc}\nstdout: {lines}\nstderr: {err_path.read_text()}"
    assert "PASS" in lines, lines
