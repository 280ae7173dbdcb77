"""One ahttpd process under test: its directory tree, its config files, start/stop, CLI and logs."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import e2e_http
from e2e_http import free_port, port_accepts

REPO = Path(__file__).resolve().parents[2]
AHTTPD_BIN = os.environ.get("AHTTPD_BIN", str(REPO / "build" / "ahttpd"))

DIR_KEYS = ("astetcdir", "astdatadir", "astrundir", "astlogdir", "astvarlibdir", "astspooldir",
            "astcachedir", "astdbdir")

# Spec 01 §12 baseline, with the test's own port in place of 8088.
BASELINE_HTTP_CONF = """[general]
enabled=yes
bindaddr=127.0.0.1
bindport={port}
servername=Asterisk
enable_static=yes
enable_status=yes
redirect=/ /static/mantest.html
"""

# The files spec 01 §12 expects under static-http (content is ours; only names matter).
STATIC_FILES = {
    "astman.css": b"body { font-family: sans-serif; }\n/* ahttpd e2e fixture */\n",
    "astman.js": b"function astmanEngine() { return 42; }\n",
    "mantest.html": b"<html><body>manager test page</body></html>\n",
    "ajamdemo.html": b"<html><body>AJAM demo</body></html>\n",
    "prototype.js": b"var Prototype = { Version: 'e2e' };\n",
    "docs/index.html": b"<html><body>docs index</body></html>\n",
    "private/secret.txt": b"private e2e secret\n",
    "notes.txt": b"plain notes\n",
    "noextension": b"a file without an extension\n",
}
OUTSIDE_SECRET = b"OUTSIDE-STATIC-SECRET-7f3a"


def clean_env() -> dict:
    """The daemon and its clients must never see a proxy or a stray Asterisk setting."""
    return {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}


class Daemon:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.dirs = {k: self.root / k.replace("ast", "").replace("dir", "") for k in DIR_KEYS}
        self.etc = self.dirs["astetcdir"]
        self.datadir = self.dirs["astdatadir"]
        self.rundir = self.dirs["astrundir"]
        self.logdir = self.dirs["astlogdir"]
        self.static = self.datadir / "static-http"
        self.conf = self.root / "asterisk.conf"
        self.ctl = self.rundir / "asterisk.ctl"
        self.messages = self.logdir / "messages.log"
        self.stderr_path = self.root / "daemon.stderr"
        self.stdout_path = self.root / "daemon.stdout"
        self.port = free_port()
        self.tls_port = free_port()
        self.proc = None
        self._mtimes = {}
        for d in self.dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        self.write_asterisk_conf()
        self.write_etc("modules.conf", "[modules]\nautoload=yes\n")
        self.write_etc("logger.conf", "[logfiles]\nmessages.log => notice,warning,error\n")
        for name, content in STATIC_FILES.items():
            path = self.static / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        (self.datadir / "outside.txt").write_bytes(OUTSIDE_SECRET)

    # --- configuration ---------------------------------------------------------------------------

    def write_asterisk_conf(self, extra: str = ""):
        lines = ["[directories]"] + [f"{k} => {v}" for k, v in self.dirs.items()]
        self.conf.write_text("\n".join(lines) + "\n" + extra)

    def expand(self, text: str) -> str:
        """Fill in {port}, {tls_port}, {root} and {etc} so config text can be written before ports are known."""
        return (text.replace("{port}", str(self.port)).replace("{tls_port}", str(self.tls_port))
                .replace("{root}", str(self.root)).replace("{etc}", str(self.etc)))

    def http_conf(self, extra: str = "", omit=(), sections: str = "", replace=None) -> str:
        """Baseline http.conf; omit drops options by name, extra adds [general] lines, sections appends."""
        lines = []
        for line in BASELINE_HTTP_CONF.splitlines():
            key = line.split("=", 1)[0].strip()
            if key in omit:
                continue
            if replace and key in replace:
                line = f"{key}={replace[key]}"
            lines.append(line)
        text = "\n".join(lines) + "\n" + (extra.strip("\n") + "\n" if extra else "")
        if sections:
            text += "\n" + sections.strip("\n") + "\n"
        return self.expand(text)

    def write_etc(self, name: str, text, bump: bool = True) -> Path:
        """Write a file in astetcdir, making sure its mtime changes so a reload sees it as changed."""
        path = self.etc / name
        data = text.encode("latin-1") if isinstance(text, str) else text
        old = self._mtimes.get(name)
        path.write_bytes(data)
        if bump and old is not None:
            st = path.stat()
            if st.st_mtime_ns <= old:
                os.utime(path, ns=(st.st_atime_ns, old + 1_000_000))
        self._mtimes[name] = path.stat().st_mtime_ns
        return path

    def write_http_conf(self, text: str) -> Path:
        return self.write_etc("http.conf", self.expand(text) if isinstance(text, str) else text)

    # --- process ---------------------------------------------------------------------------------

    def spawn(self, *extra_args: str) -> subprocess.Popen:
        """Start a daemon process on this tree without waiting (for start-up failure checks)."""
        with open(self.stdout_path, "ab") as out, open(self.stderr_path, "ab") as err:
            return subprocess.Popen([AHTTPD_BIN, "-C", str(self.conf), *extra_args], stdout=out, stderr=err,
                                    cwd=self.root, env=clean_env(), start_new_session=True)

    def run_to_exit(self, timeout: float = 10.0) -> int:
        """Run a daemon that is expected to fail start-up; returns its exit status (kills it if it stays up)."""
        proc = self.spawn()
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
            raise AssertionError(f"ahttpd kept running although start-up should fail:\n{self.log_tail()}")

    def start(self, wait_http: bool = True, wait_ports=None, timeout: float = 10.0):
        """Start and wait until the control socket exists and the listed ports accept connections."""
        assert self.proc is None, "daemon already started"
        self.proc = self.spawn()
        ports = list(wait_ports) if wait_ports is not None else ([self.port] if wait_http else [])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise AssertionError(f"ahttpd exited with {rc} during start-up:\n{self.log_tail()}")
            if self.ctl.exists() and all(port_accepts(p) for p in ports):
                return self
            time.sleep(0.05)
        raise AssertionError(f"ahttpd not ready within {timeout}s (ctl={self.ctl.exists()}, ports={ports}):\n"
                             f"{self.log_tail()}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 5.0):
        """SIGTERM by PID; the daemon must exit 0 in time. A hung daemon is killed and reported."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is not None:
            raise AssertionError(f"ahttpd (pid {proc.pid}) had already exited with {proc.returncode}:\n"
                                 f"{self.log_tail()}")
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
            raise AssertionError(f"ahttpd (pid {proc.pid}) ignored SIGTERM for {timeout}s; killed with SIGKILL")
        assert rc == 0, f"ahttpd exited with {rc} after SIGTERM:\n{self.log_tail()}"

    # --- CLI -------------------------------------------------------------------------------------

    def cli_run(self, cmd: str, timeout: float = 15.0) -> subprocess.CompletedProcess:
        return subprocess.run([AHTTPD_BIN, "-C", str(self.conf), "-rx", cmd], capture_output=True, text=True,
                              timeout=timeout, env=clean_env(), cwd=self.root)

    def cli(self, cmd: str) -> str:
        p = self.cli_run(cmd)
        assert p.returncode == 0, f"-rx {cmd!r} exited {p.returncode}: stdout={p.stdout!r} stderr={p.stderr!r}"
        return p.stdout

    def reload(self) -> str:
        return self.cli("module reload http")

    def status(self) -> str:
        return self.cli("http show status")

    def reconfigure(self, text: str) -> str:
        """Write http.conf and reload it."""
        self.write_http_conf(text)
        return self.reload()

    # --- logs ------------------------------------------------------------------------------------

    def _log_parts(self) -> list:
        parts = []
        for p in (self.messages, self.stderr_path):
            try:
                parts.append(p.read_text("latin-1"))
            except FileNotFoundError:
                parts.append("")
        return parts

    def log_mark(self) -> tuple:
        """Current size of each log, so later checks can look at new lines only."""
        return tuple(len(p) for p in self._log_parts())

    def log_text(self, since=None) -> str:
        """messages.log plus the daemon's stderr (a message in either counts as logged)."""
        parts = self._log_parts()
        if since is not None:
            parts = [p[s:] if len(p) >= s else p for p, s in zip(parts, since)]
        return "\n".join(parts)

    def wait_log(self, needle: str, timeout: float = 3.0, regex: bool = False, since=None) -> str:
        """Poll the logs for a line containing needle (or matching a regex); returns that line."""
        pat = re.compile(needle) if regex else None
        deadline = time.monotonic() + timeout
        while True:
            for line in self.log_text(since).splitlines():
                if (pat.search(line) if pat else needle in line):
                    return line
            if time.monotonic() >= deadline:
                raise AssertionError(f"log has no line with {needle!r}; tail:\n{self.log_tail()}")
            time.sleep(0.05)

    def log_tail(self, n: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-n:])

    # --- talking HTTP to it --------------------------------------------------------------------

    def raw(self, data: bytes, timeout: float = 3.0, port=None, shut_wr: bool = False) -> e2e_http.RawReply:
        """All bytes the daemon sends back for data, until it closes or timeout passes."""
        return e2e_http.raw(port or self.port, data, timeout=timeout, shut_wr=shut_wr)

    def get(self, path: str, headers=(), method: str = "GET", port=None) -> e2e_http.Response:
        return e2e_http.get(port or self.port, path, headers, method=method)

    # --- waiting on listeners --------------------------------------------------------------------

    def wait_port(self, port: int, accepting: bool = True, timeout: float = 3.0):
        deadline = time.monotonic() + timeout
        while port_accepts(port) != accepting:
            if time.monotonic() >= deadline:
                state = "accept" if accepting else "refuse"
                raise AssertionError(f"port {port} did not {state} connections within {timeout}s")
            time.sleep(0.05)

    def cpu_seconds(self) -> float:
        """User+system CPU time of the daemon so far (busy-loop checks)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
