"""Fixtures for the ahttpd end-to-end suite.

`daemon`       one baseline daemon (spec 01 §12 config) shared by the tests of a module that only read.
`make_daemon`  a factory for tests that reload, hold connections or need special config; every daemon it
               made is stopped by PID at teardown and must exit 0 (a hang is killed and fails the test).
`guard`        a module-shared daemon with a small sessionlimit; after each test all slots must be free.
`certs`        self-signed RSA certificates made with the openssl CLI.
"""
from __future__ import annotations

import os
import resource
import time
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e_daemon import AHTTPD_BIN, Daemon
from e2e_guard import assert_unaffected, guarded_conf

# The 1,000-connection test needs the descriptors, and daemons inherit the soft limit from us.
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
_want = 8192 if _hard == resource.RLIM_INFINITY else min(_hard, 8192)
if _soft != resource.RLIM_INFINITY and _soft < _want:
    resource.setrlimit(resource.RLIMIT_NOFILE, (_want, _hard))


def pytest_collection_modifyitems(config, items):
    """The sanitizer pass of scripts/test.sh sets AHTTP_E2E_SKIP_SLOW=1: tests marked `slow` only wait out real
    server-side timeouts, which the release pass runs (CI must stay under 20 minutes)."""
    if os.environ.get("AHTTP_E2E_SKIP_SLOW") != "1":
        return
    skip = pytest.mark.skip(reason="waits out a real timeout: the release pass runs it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config):
    return f"ahttpd binary: {AHTTPD_BIN}"


def _stop_all(daemons):
    errors = []
    for d in daemons:
        try:
            d.stop()
        except AssertionError as e:
            errors.append(str(e))
        # Shown by pytest only when the test failed: the daemon's own view of what happened.
        print(f"--- log tail of {d.root} ---\n{d.log_tail(25)}")
    if errors:
        pytest.fail("\n".join(errors), pytrace=False)


@pytest.fixture(scope="module")
def daemon(tmp_path_factory):
    d = Daemon(tmp_path_factory.mktemp("m"))
    d.write_http_conf(d.http_conf())
    d.start()
    yield d
    _stop_all([d])


@pytest.fixture(scope="module")
def guarded_daemon(tmp_path_factory):
    """Baseline daemon with a small sessionlimit, shared by a module's 80_* tests."""
    d = Daemon(tmp_path_factory.mktemp("g"))
    d.write_http_conf(guarded_conf(d))
    d.start()
    time.sleep(0.3)  # the readiness probe's session must be gone before tests count slots
    yield d
    _stop_all([d])


@pytest.fixture
def guard(guarded_daemon):
    """The guarded daemon; after the test, every session slot must still be usable (nothing leaked)."""
    yield guarded_daemon
    assert_unaffected(guarded_daemon)


@pytest.fixture
def make_daemon(tmp_path_factory):
    made = []

    def factory(http_conf=None, start: bool = True, **start_args) -> Daemon:
        """http_conf: text (may use {port}/{tls_port}), a callable Daemon -> text, or None for the baseline."""
        d = Daemon(tmp_path_factory.mktemp("d"))
        if http_conf is None:
            text = d.http_conf()
        elif callable(http_conf):
            text = http_conf(d)
        else:
            text = http_conf
        if text is not False:
            d.write_http_conf(text)
        made.append(d)
        if start:
            d.start(**start_args)
        return d

    yield factory
    _stop_all(made)


@dataclass
class Certs:
    dir: Path
    combined: Path  # certificate followed by its key, one PEM file
    cert: Path
    key: Path
    combined2: Path  # a second, different certificate+key (rotation check)

    def der(self, pem: Path) -> bytes:
        return subprocess.run(["openssl", "x509", "-in", str(pem), "-outform", "DER"], check=True,
                              capture_output=True).stdout


def _make_cert(directory: Path, stem: str, cn: str):
    key, cert = directory / f"{stem}.key", directory / f"{stem}.crt"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "3", "-subj", f"/CN={cn}"], check=True, capture_output=True)
    combined = directory / f"{stem}.pem"
    combined.write_bytes(cert.read_bytes() + key.read_bytes())
    return cert, key, combined


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> Certs:
    d = tmp_path_factory.mktemp("certs")
    cert, key, combined = _make_cert(d, "one", "ahttpd-e2e-one")
    _, _, combined2 = _make_cert(d, "two", "ahttpd-e2e-two")
    return Certs(d, combined, cert, key, combined2)
