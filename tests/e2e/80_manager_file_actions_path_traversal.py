"""bad-input row 21 (the 2023-2025 GetConfig, ListCategories, CreateConfig and ModuleLoad advisories): AMI
actions that take a file or module name answer an error for `../` and absolute paths and touch nothing
outside their directory."""
import os

import pytest

from e2e_ami import ami_unaffected, cookie, login, start_ami_daemon
from e2e_http import get

ESCAPES = ["../../../../../../../../../../etc/passwd", "/etc/passwd", "%2e%2e/%2e%2e/etc/passwd",
           "./../" * 12 + "etc/hostname", "/etc/pass*", "..", "/"]


@pytest.fixture(scope="module")
def ami(tmp_path_factory):
    d = start_ami_daemon(tmp_path_factory.mktemp("ami21"))
    d.jar = cookie(login(d))
    yield d
    d.stop()


def action(d, query):
    r = get(d.port, "/rawman?" + query, d.jar)
    assert r.code == 200
    return r.body


@pytest.mark.parametrize("name", ESCAPES)
def test_read_actions_refuse_names_outside_astetcdir(ami, name):
    for act in ("GetConfig", "GetConfigJSON", "ListCategories"):
        body = action(ami, f"action={act}&Filename={name}")
        assert body.startswith(b"Response: Error\r\nMessage: "), (act, body)
        assert b"root:" not in body


@pytest.mark.parametrize("name", ["../evil.conf", "/tmp/ahttpd-evil-21.conf", "../../../../../../tmp/evil21.conf"])
def test_create_and_update_refuse_names_outside_astetcdir(ami, name):
    body = action(ami, f"action=CreateConfig&Filename={name}")
    assert body == b"Response: Error\r\nMessage: File requires escalated privileges\r\n\r\n", body
    body = action(ami, f"action=UpdateConfig&SrcFilename=manager.conf&DstFilename={name}"
                       "&Action-000000=NewCat&Cat-000000=x")
    assert body == b"Response: Error\r\nMessage: File requires escalated privileges\r\n\r\n", body
    assert not os.path.exists("/tmp/ahttpd-evil-21.conf") and not os.path.exists("/tmp/evil21.conf")
    assert not (ami.etc.parent / "evil.conf").exists()


@pytest.mark.parametrize("name", ["../../../../lib/x86_64-linux-gnu/libc.so.6", "/tmp/x.so", "../manager"])
def test_module_load_refuses_paths(ami, name):
    body = action(ami, f"action=ModuleLoad&LoadType=load&Module={name}")
    assert body == (b"Response: Error\r\nMessage: Module must be in the configured modules directory.\r\n\r\n"), body


def test_daemon_unaffected(ami):
    ami_unaffected(ami)
