"""Manager CLI on the running daemon (spec 00 §5.4): `manager show command <action>...`."""
from __future__ import annotations

import pytest

MANAGER_CONF = """[general]
enabled = yes
webenabled = yes
bindaddr = 127.0.0.1

[admin]
secret = adminpw
read = all
write = all
"""


@pytest.fixture(scope="module")
def mgr(tmp_path_factory):
    from e2e_daemon import Daemon
    d = Daemon(tmp_path_factory.mktemp("ami_cli"))
    d.write_http_conf(d.http_conf())
    d.write_etc("manager.conf", MANAGER_CONF)
    d.start()
    yield d
    d.stop()


def block(mgr, name):
    """The registered spelling and synopsis of an action, as `manager show commands` lists them."""
    for line in mgr.cli("manager show commands").splitlines()[2:]:
        parts = line.split(None, 1)
        if parts and parts[0].lower() == name.lower():
            return parts[0], parts[1] if len(parts) > 1 else ""
    raise AssertionError(f"{name} not in manager show commands")


def test_show_command_undocumented_form(mgr):
    ping, ping_syn = block(mgr, "Ping")
    ue, ue_syn = block(mgr, "UserEvent")
    out = mgr.cli("manager show command ping USEREVENT nonesuch")
    assert out == (f"Action: {ping}\nSynopsis: {ping_syn}\nPrivilege: <none>\n\n"
                   f"Action: {ue}\nSynopsis: {ue_syn}\nPrivilege: user,all\n\n")


def test_show_command_unknown_prints_nothing(mgr):
    assert mgr.cli("manager show command nonesuch") == ""


def test_show_command_needs_an_argument(mgr):
    p = mgr.cli_run("manager show command")
    assert "Usage: manager show command <action>" in p.stdout
    # `manager show commands` is a different command and still lists every action.
    assert mgr.cli("manager show commands").splitlines()[0].split() == ["Action", "Synopsis"]
