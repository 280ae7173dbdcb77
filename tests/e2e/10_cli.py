"""CLI over the control socket: `http show status` (spec 01 §8, check 64) and the spec 00 §10 command-line,
CLI and logging checks 1-9, 18-20, 39, 40, 42, 45."""
import re
import subprocess
import time

from e2e_daemon import AHTTPD_BIN, Daemon, clean_env
from e2e_expect import STATIC_URI, STATUS_URI, assert_status_cli

VERSION_RE = re.compile(r"^Asterisk \S+ built by \S+ @ \S+ on a \S+ running \S+ on "
                        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n$")
LOG_DATE = r"\[[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\]"


def test_64_http_show_status(daemon):
    out = daemon.status()
    assert_status_cli(out, bind=f"127.0.0.1:{daemon.port}", uris=[STATUS_URI, STATIC_URI],
                      redirects=[("/", "/static/mantest.html")])
    assert out.startswith(f"HTTP Server Status:\nPrefix: \nServer: Asterisk\n"
                          f"Server Enabled and Bound to 127.0.0.1:{daemon.port}\n\nEnabled URI's:\n"
                          f"{STATUS_URI}\n")


def test_64_http_show_status_usage(daemon):
    assert daemon.cli("http show status extra") == ("Usage: http show status\n"
                                                    "       Lists status of internal HTTP engine\n")


def test_00_01_and_05_core_show_version(daemon):
    out = daemon.cli("core show version")
    assert VERSION_RE.match(out), repr(out)
    assert daemon.cli("CORE SHOW VERSION") == out


def test_00_02_no_daemon(tmp_path):
    d = Daemon(tmp_path)  # a tree whose daemon was never started
    p = d.cli_run("core show version")
    assert p.returncode == 1
    assert p.stdout == ""
    assert p.stderr == f"Unable to connect to remote asterisk (does {d.ctl} exist?)\n"


def test_00_02_after_daemon_stopped(make_daemon):
    d = make_daemon()
    d.stop()
    p = d.cli_run("core show version")
    assert (p.returncode, p.stdout) == (1, "")
    assert p.stderr == f"Unable to connect to remote asterisk (does {d.ctl} exist?)\n"


def test_00_03_unknown_command(daemon):
    assert daemon.cli("foo") == "No such command 'foo' (type 'core show help foo' for other possible commands)\n"


def test_00_04_no_abbreviations(daemon):
    assert daemon.cli("core sh version").startswith("No such command 'core sh version'")


def test_00_06_usage_on_extra_words(daemon):
    assert daemon.cli("core show version extra").split("\n")[0] == "Usage: core show version"


def test_00_07_help_prefix(daemon):
    out = daemon.cli("core show help core show u")
    assert re.fullmatch(r"core show uptime \[seconds\]     -- .+\n", out), repr(out)


def test_00_08_uptime_seconds(daemon):
    out = daemon.cli("core show uptime seconds")
    assert re.fullmatch(r"System uptime: \d+\nLast reload: \d+\n", out), repr(out)


def test_00_09_module_show_like(daemon):
    lines = daemon.cli("module show like http").rstrip("\n").split("\n")
    assert lines[0].startswith("Module" + " " * 25 + "Description"), repr(lines[0])
    rows = lines[1:-1]
    assert lines[-1] == f"{len(rows)} modules loaded"
    assert any(row.split()[0] == "http" for row in rows), rows


def test_00_18_core_set_verbose(daemon):
    assert daemon.cli("core set verbose 3") == "Console verbose was OFF and is now 3.\n"
    assert daemon.cli("core set verbose 0") == "Console verbose is still OFF.\n"


def test_00_19_logger_rotate(make_daemon):
    d = make_daemon()
    assert d.cli("logger rotate") == ""
    assert (d.logdir / "messages.log.0").exists()
    deadline = time.monotonic() + 3
    while not (d.messages.exists() and d.messages.read_text()):
        assert time.monotonic() < deadline, "messages.log was not reopened"
        time.sleep(0.05)
    first = d.messages.read_text().split("\n")[0]
    assert re.match(LOG_DATE + r" Asterisk \S+ built by ", first), repr(first)


def test_00_20_file_log_line_format(make_daemon):
    d = make_daemon(lambda d: d.http_conf("foo=bar"))
    d.wait_log("Ignoring unknown option 'foo' in http.conf")
    lines = [line for line in d.messages.read_text().split("\n") if "Ignoring unknown option 'foo'" in line]
    assert lines, "warning not in messages.log"
    # No colon after the thread id, no line number or function; our own source file names.
    assert re.fullmatch(LOG_DATE + r" WARNING\[\d+\] [^\s:]+: Ignoring unknown option 'foo' in http.conf",
                        lines[0]), repr(lines[0])


def test_00_39_rundir_from_C_config_is_used(tmp_path):
    d = Daemon(tmp_path)
    other = tmp_path / "elsewhere"
    d.dirs["astrundir"] = other
    d.write_asterisk_conf()
    p = d.cli_run("core show version")
    assert p.returncode == 1
    assert p.stderr == f"Unable to connect to remote asterisk (does {other}/asterisk.ctl exist?)\n"


def test_00_40_second_daemon_refused(daemon):
    p = subprocess.run([AHTTPD_BIN, "-C", str(daemon.conf)], capture_output=True, text=True, timeout=15,
                       env=clean_env(), cwd=daemon.root)
    assert p.returncode == 1
    assert f"Asterisk already running on {daemon.ctl}.  Use 'asterisk -r' to connect.\n" in p.stderr
    assert daemon.alive() and daemon.cli("core show version")


def test_00_42_unknown_modules_conf_option(make_daemon):
    d = make_daemon(start=False)
    d.write_etc("modules.conf", "[modules]\nfoo=bar\n")
    assert d.run_to_exit() == 1
    d.wait_log("Unknown configuration option 'foo'")
    d.wait_log("Module initialization failed.  ASTERISK EXITING!")
    assert d.cli_run("core show version").returncode == 1


def test_missing_modules_conf_fails_startup(make_daemon):
    d = make_daemon(start=False)
    (d.etc / "modules.conf").unlink()
    assert d.run_to_exit() == 1
    d.wait_log("'modules.conf' invalid or missing.")
    d.wait_log("Module initialization failed.  ASTERISK EXITING!")


def test_00_45_empty_command(daemon):
    p = daemon.cli_run("")
    assert (p.returncode, p.stdout) == (0, "")
