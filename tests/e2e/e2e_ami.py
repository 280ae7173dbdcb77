"""A guarded daemon with AMI over HTTP enabled, shared by the manager rows of the bad-input catalogue (80_*)."""
from __future__ import annotations

import re

from e2e_daemon import Daemon
from e2e_guard import assert_unaffected
from e2e_http import free_port, get

AMI_CONF = """[general]
enabled = yes
webenabled = yes
bindaddr = 127.0.0.1
port = {ami_port}

[admin]
secret = adminpw
read = all
write = all

[denied]
secret = denpw
deny = 0.0.0.0/0.0.0.0
permit = 10.255.255.1/255.255.255.255
read = all
write = all
"""
COOKIE_RE = re.compile(r'mansession_id="([0-9a-f]{8})"')
DENIED = b"Response: Error\r\nMessage: Permission denied\r\n\r\n"


# Room for the tests' many short connections (a slot is freed only once the server sees the client's close),
# yet small enough that assert_unaffected() proves none leaked.
AMI_GUARD_LIMIT = 32


def start_ami_daemon(root) -> Daemon:
    d = Daemon(root)
    d.write_http_conf(d.http_conf(f"sessionlimit={AMI_GUARD_LIMIT}"))
    d.write_etc("manager.conf", AMI_CONF.format(ami_port=free_port()))
    d.start()
    return d


def login(d, user="admin", secret="adminpw") -> str:
    r = get(d.port, f"/rawman?action=Login&username={user}&secret={secret}")
    assert b"Authentication accepted" in r.body, r
    return COOKIE_RE.search(r.header("Set-Cookie")).group(1)


def cookie(cid: str) -> list:
    return [f'Cookie: mansession_id="{cid}"']


def ami_unaffected(d):
    """Daemon alive, every session slot usable, CLI answering (see e2e_guard.assert_unaffected)."""
    assert_unaffected(d, limit=AMI_GUARD_LIMIT)
