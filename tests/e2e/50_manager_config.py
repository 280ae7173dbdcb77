"""AMI configuration-file actions over HTTP (spec 02 §6.3, checks 42-45, 51, the GetConfig half of 68) and
bad-input row 21 (file names that try to leave the config dir), plus spec 00 checks 37/38 through UpdateConfig."""
from __future__ import annotations

import os
import re
from urllib.parse import quote

import pytest

from e2e_http import free_port, get

ID_RE = re.compile(r'^mansession_id="([0-9a-f]{8})"; Version=1; Max-Age=60$')
DENIED = b"Response: Error\r\nMessage: Permission denied\r\n\r\n"
ESCALATED = b"Response: Error\r\nMessage: File requires escalated privileges\r\n\r\n"
NOT_FOUND = b"Response: Error\r\nMessage: Config file not found\r\n\r\n"
SECRET = b"[secret]\npassword = OUTSIDE-CONFIG-SECRET-51c2\n"


def manager_conf(tcp_port: int) -> str:
    return f"""[general]
enabled = yes
webenabled = yes
port = {tcp_port}
bindaddr = 127.0.0.1
httptimeout = 60

[admin]
secret = adminpw
read = all
write = all

[limited]
secret = limpw
read = user
write = user

[cfgonly]
secret = cfgpw
read = system
write = config
"""


def start_manager(d):
    d.write_etc("manager.conf", manager_conf(free_port()))
    d.write_http_conf(d.http_conf())
    d.start()
    return d


@pytest.fixture(scope="module")
def mgr(tmp_path_factory):
    from e2e_daemon import Daemon
    d = Daemon(tmp_path_factory.mktemp("amicfg"))
    # Row 21 bait: a file beside the config dir, a prefix sibling dir, and symlinks leading out of etc.
    (d.root / "secret.conf").write_bytes(SECRET)
    evil = d.root / (d.etc.name + "-evil")
    evil.mkdir()
    (evil / "x.conf").write_bytes(SECRET)
    os.symlink(d.root / "secret.conf", d.etc / "link.conf")
    os.symlink(d.root, d.etc / "up")
    start_manager(d)
    yield d
    d.stop()


class Client:
    """Keeps the last Set-Cookie id, like curl -c J -b J."""

    def __init__(self, d):
        self.d, self.cookie = d, None

    def req(self, query, uri="/rawman"):
        hs = [f'Cookie: mansession_id="{self.cookie}"'] if self.cookie else []
        r = get(self.d.port, f"{uri}?{query}", hs)
        sc = r.header("Set-Cookie")
        if sc:
            self.cookie = ID_RE.match(sc).group(1)
        return r

    def body(self, query, uri="/rawman") -> bytes:
        r = self.req(query, uri)
        assert r.code == 200, r
        return r.body

    def login(self, user, secret):
        assert self.body(f"action=Login&username={user}&secret={secret}").startswith(
            b"Response: Success\r\nMessage: Authentication accepted\r\n\r\n")
        return self


def q(**params) -> str:
    return "&".join(f"{k.replace('_', '-')}={quote(str(v), safe='')}" for k, v in params.items())


def update(admin, src, dst=None, groups=(), **extra) -> bytes:
    """UpdateConfig with numbered groups: each group a dict of Action/Cat/Var/Value/Match/Line/Options."""
    parts = [f"action=UpdateConfig&SrcFilename={quote(src)}&DstFilename={quote(dst or src)}"]
    for i, g in enumerate(groups):
        parts += [f"{k}-{i:06}={quote(v, safe='')}" for k, v in g.items()]
    parts += [f"{k}={quote(v, safe='')}" for k, v in extra.items()]
    return admin.body("&".join(parts))


@pytest.fixture
def admin(mgr):
    return Client(mgr).login("admin", "adminpw")


def test_42_getconfig(admin):
    body = admin.body("action=GetConfig&Filename=manager.conf&Category=general")
    assert body.startswith(b"Response: Success\r\nCategory-000000: general\r\nLine-000000-000000: enabled=yes\r\n"
                           b"Line-000000-000001: webenabled=yes\r\n"), body
    assert body.endswith(b"\r\n\r\n") and b"Category-000001" not in body
    assert admin.body("action=GetConfig&Filename=manager.conf&Category=nonesuch") == \
        b"Response: Success\r\nNo categories found\r\n\r\n"
    assert admin.body("action=GetConfig&Filename=nonexist.conf") == NOT_FOUND
    # The spec's ../../../../etc/passwd assumes /etc/asterisk; this etc dir is deeper.
    assert admin.body("action=GetConfig&Filename=" + "../" * 20 + "etc/passwd") == ESCALATED
    assert admin.body("action=GetConfig") == b"Response: Error\r\nMessage: Filename not specified\r\n\r\n"
    whole = admin.body("action=GetConfig&Filename=manager.conf&ActionID=g1")
    assert whole.startswith(b"Response: Success\r\nActionID: g1\r\nCategory-000000: general\r\n")
    assert b"Category-000003: cfgonly\r\nLine-000003-000000: secret=cfgpw\r\n" in whole


def test_getconfig_filter_and_templates(mgr, admin):
    mgr.write_etc("tpl.conf", "[t](!)\nk = 1\n[a](t)\nx = 2\n[b]\nx = 3\n")
    assert admin.body("action=GetConfig&Filename=tpl.conf") == (
        b"Response: Success\r\nCategory-000000: a\r\nTemplates-000000: t\r\nLine-000000-000000: k=1\r\n"
        b"Line-000000-000001: x=2\r\nCategory-000001: b\r\nLine-000001-000000: x=3\r\n\r\n")
    assert admin.body("action=GetConfig&Filename=tpl.conf&Filter=" + quote("TEMPLATES=restrict", safe="")) == (
        b"Response: Success\r\nCategory-000000: t\r\nIsTemplate-000000: 1\r\nLine-000000-000000: k=1\r\n\r\n")
    assert admin.body("action=GetConfig&Filename=tpl.conf&Filter=" + quote("x=^3$", safe="")) == (
        b"Response: Success\r\nCategory-000000: b\r\nLine-000000-000000: x=3\r\n\r\n")
    mgr.write_etc("broken.conf", "[general\nk=1\n")
    assert admin.body("action=GetConfig&Filename=broken.conf") == \
        b"Response: Error\r\nMessage: Config file has invalid format\r\n\r\n"


def test_43_getconfigjson(mgr, admin):
    assert admin.body("action=GetConfigJSON&Filename=manager.conf&Category=limited") == (
        b'Response: Success\r\nJSON: {"limited":{"secret":"limpw","read":"user","write":"user"}}\r\n\r\n')
    # [QUIRK] a missing file is a privilege problem here; duplicates and raw control bytes are kept.
    assert admin.body("action=GetConfigJSON&Filename=nonexist.conf") == ESCALATED
    mgr.write_etc("dup.conf", '[d]\nk = "q"\nk = a\\b\n')
    assert admin.body("action=GetConfigJSON&Filename=dup.conf") == (
        b'Response: Success\r\nJSON: {"d":{"k":"\\"q\\"","k":"a\\\\b"}}\r\n\r\n')


def test_44_create_update_list(mgr, admin):
    ok = b"Response: Success\r\n\r\n"
    assert admin.body("action=CreateConfig&Filename=t44.conf") == \
        b"Response: Success\r\nMessage: New configuration file created successfully\r\n\r\n"
    assert (mgr.etc / "t44.conf").read_bytes() == b""
    assert admin.body("action=CreateConfig&Filename=t44.conf") == b"Response: Error\r\nMessage: File exists\r\n\r\n"
    assert admin.body("action=CreateConfig") == b"Response: Error\r\nMessage: Filename not specified\r\n\r\n"
    assert update(admin, "t44.conf", groups=[
        {"Action": "NewCat", "Cat": "c1"},
        {"Action": "Append", "Cat": "c1", "Var": "k", "Value": "v"},
        {"Action": "NewCat", "Cat": "c0", "Match": "c1"}]) == ok
    assert admin.body("action=ListCategories&Filename=t44.conf") == \
        b"Response: Success\r\nCategory-000000: c0\r\nCategory-000001: c1\r\n\r\n"
    assert admin.body("action=ListCategories&Filename=t44.conf&Match=zz%3Dzz") == \
        b"Response: Success\r\nError: no categories found\r\n\r\n"
    text = (mgr.etc / "t44.conf").read_text()
    assert text.startswith(";!\n;! Automatically generated configuration file\n;! Filename: t44.conf (")
    assert ";! Generator: Manager\n" in text and text.endswith("[c0]\n[c1]\nk = v\n")

    def err(msg):
        return b"Response: Error\r\nMessage: " + msg.encode() + b"\r\n\r\n"

    before = (mgr.etc / "t44.conf").read_bytes()
    assert update(admin, "t44.conf", groups=[{"Action": "Update", "Cat": "c1", "Var": "nokey", "Value": "x"}]) == \
        err("Update did not complete successfully")
    assert update(admin, "t44.conf", groups=[{"Action": "Frob", "Cat": "c1"}]) == err("Unknown action command")
    assert update(admin, "t44.conf", groups=[{"Action": "Append"}]) == err("Category not specified")
    assert update(admin, "t44.conf", groups=[{"Action": "DelCat", "Cat": "zz"}]) == \
        err("Given category does not exist")
    assert update(admin, "t44.conf", groups=[{"Action": "RenameCat", "Cat": "c1"}]) == \
        err("Problem with category, value, or line (if required)")
    assert update(admin, "t44.conf", groups=[{"Action": "NewCat", "Cat": "c1"}]) == \
        err("Create category did not complete successfully")
    # An error after a good group writes nothing at all.
    assert update(admin, "t44.conf", groups=[{"Action": "DelCat", "Cat": "c0"}, {"Action": "DelCat", "Cat": "zz"}]) \
        == err("Given category does not exist")
    assert (mgr.etc / "t44.conf").read_bytes() == before
    assert update(admin, "t44.conf", groups=[{"Action": "Delete", "Cat": "c1", "Var": "k"}]) == ok
    got = admin.body("action=GetConfig&Filename=t44.conf")
    assert b"Category-000001: c1\r\n" in got and b"Line-000001-" not in got
    # Decoded line breaks cannot forge directives or headers in the written file.
    assert update(admin, "t44.conf", groups=[{"Action": "Append", "Cat": "c1", "Var": "k",
                                              "Value": "x\n#include /etc/passwd"}]) == \
        err("Problem with category, value, or line (if required)")
    assert b"#include" not in (mgr.etc / "t44.conf").read_bytes()
    assert update(admin, "t44.conf", "brandnew.conf") == ESCALATED
    assert not (mgr.etc / "brandnew.conf").exists()
    assert admin.body("action=UpdateConfig&SrcFilename=t44.conf&DstFilename=") == \
        b"Response: Error\r\nMessage: Filename not specified\r\n\r\n"


def test_update_verbs_and_options(mgr, admin):
    mgr.write_etc("v.conf", "[tpl](!)\nk = 1\n\n[s]\na = 1\nb = 2\n")
    assert update(admin, "v.conf", "v2.conf") == ESCALATED  # destination must exist
    assert admin.body("action=CreateConfig&Filename=v2.conf").startswith(b"Response: Success\r\n")
    assert update(admin, "v.conf", "v2.conf", ActionID="u1", groups=[
        {"Action": "Insert", "Cat": "s", "Var": "first", "Value": "0", "Line": "0"},
        {"Action": "Update", "Cat": "s", "Var": "b", "Value": ">x"},
        {"Action": "NewCat", "Cat": "e", "Options": "inherit=tpl"},
        {"Action": "Insert", "Cat": "e", "Var": "only", "Value": "1", "Line": "5"},  # past the end: append
        {"Action": "NewCat", "Cat": "t2", "Options": "template"},
        {"Action": "RenameCat", "Cat": "s", "Value": "s2"},
    ]) == b"Response: Success\r\nActionID: u1\r\n\r\n"
    assert (mgr.etc / "v.conf").read_text().startswith("[tpl](!)")  # the source is untouched
    body = admin.body("action=GetConfig&Filename=v2.conf&Filter=TEMPLATES%3Dinclude")
    assert body == (b"Response: Success\r\nCategory-000000: tpl\r\nIsTemplate-000000: 1\r\nLine-000000-000000: k=1\r\n"
                    b"Category-000001: s2\r\nLine-000001-000000: first=0\r\nLine-000001-000001: a=1\r\n"
                    b"Line-000001-000002: b=x\r\nCategory-000002: e\r\nTemplates-000002: tpl\r\n"
                    b"Line-000002-000000: k=1\r\nLine-000002-000001: only=1\r\n"
                    b"Category-000003: t2\r\nIsTemplate-000003: 1\r\n\r\n"), body
    assert "b => x\n" in (mgr.etc / "v2.conf").read_text()
    assert update(admin, "v2.conf", groups=[{"Action": "NewCat", "Cat": "n", "Options": "inherit=nope"}]) == \
        b"Response: Error\r\nMessage: Template category not found\r\n\r\n"
    assert update(admin, "v2.conf", groups=[{"Action": "DelCat", "Cat": "zz", "Options": "ignoreerror"}]) == \
        b"Response: Success\r\n\r\n"


def test_45_limited_denied(mgr):
    c = Client(mgr).login("limited", "limpw")
    assert c.body("action=GetConfig&Filename=manager.conf") == DENIED
    for action in ("GetConfigJSON", "ListCategories", "CreateConfig", "UpdateConfig"):
        assert c.body(f"action={action}&Filename=x.conf") == DENIED


def test_51_xml_names(admin):
    body = admin.body("action=GetConfig&Filename=manager.conf&Category=general&ajaxdest=d1&ajaxobjtype=o1", "/mxml")
    assert (b"<response type='object' id='d1'><o1 response='Success' category_000000='general' "
            b"line_000000_000000='enabled=yes'") in body, body
    none = admin.body("action=GetConfig&Filename=manager.conf&Category=nonesuch", "/mxml")
    assert b"opaque_data='No categories found'" in none


def test_68_cfgonly_may_getconfig(mgr):
    c = Client(mgr).login("cfgonly", "cfgpw")
    assert c.body("action=GetConfig&Filename=manager.conf&Category=general").startswith(
        b"Response: Success\r\nCategory-000000: general\r\n")


# ---- bad-input row 21: no file outside the config dir is read, written or created ----

ESCAPES = ["../secret.conf", "../../../../../../etc/passwd", "/etc/passwd", "{root}/secret.conf",
           "link.conf", "up/secret.conf", "../{etcname}-evil/x.conf", "{root}/{etcname}-evil/x.conf",
           "  ../secret.conf  ", "sub/../../secret.conf"]


def escapes(mgr):
    return [e.replace("{root}", str(mgr.root)).replace("{etcname}", mgr.etc.name) for e in ESCAPES]


def test_row21_read_actions(mgr, admin):
    for name in escapes(mgr):
        for action in ("GetConfig", "GetConfigJSON", "ListCategories"):
            body = admin.body(f"action={action}&Filename={quote(name, safe='')}")
            assert body in (ESCALATED, NOT_FOUND) and b"OUTSIDE" not in body, (action, name, body)
        assert admin.body(f"action=GetConfig&Filename={quote(name, safe='')}") in (ESCALATED, NOT_FOUND)
    # Globs are never expanded by the check, so a pattern cannot reach outside either.
    for pattern in ("/etc/pass*", "../secret.c?nf", "../*/x.conf"):
        body = admin.body(f"action=GetConfig&Filename={quote(pattern, safe='')}")
        assert body == NOT_FOUND, (pattern, body)


def test_row21_write_actions(mgr, admin):
    secret = mgr.root / "secret.conf"
    evil = mgr.root / (mgr.etc.name + "-evil") / "x.conf"
    for name in escapes(mgr):
        assert update(admin, name, "manager.conf", groups=[{"Action": "NewCat", "Cat": "pwn"}]) == ESCALATED, name
        assert update(admin, "manager.conf", name, groups=[{"Action": "NewCat", "Cat": "pwn"}]) == ESCALATED, name
    assert secret.read_bytes() == SECRET and evil.read_bytes() == SECRET
    assert b"pwn" not in (mgr.etc / "manager.conf").read_bytes()
    for name in ("../created.conf", "{root}/created.conf", "up/created.conf", "../{etcname}-evil/created.conf",
                 "/tmp/../{root}/created.conf"):
        name = name.replace("{root}", str(mgr.root)).replace("{etcname}", mgr.etc.name)
        assert admin.body(f"action=CreateConfig&Filename={quote(name, safe='')}") == ESCALATED, name
    assert not (mgr.root / "created.conf").exists()
    assert not (mgr.root / (mgr.etc.name + "-evil") / "created.conf").exists()
    assert admin.body("action=CreateConfig&Filename=nodir%2Fx.conf") == \
        b"Response: Error\r\nMessage: No such file or directory\r\n\r\n"
    assert mgr.alive()


def test_live_dangerously_lifts_confinement(make_daemon):
    d = make_daemon(start=False)
    (d.root / "outside.conf").write_bytes(b"[o]\nk = 1\n")
    d.write_asterisk_conf("[options]\nlive_dangerously = yes\n")
    start_manager(d)
    admin = Client(d).login("admin", "adminpw")
    assert admin.body(f"action=GetConfig&Filename={quote(str(d.root / 'outside.conf'), safe='')}") == \
        b"Response: Success\r\nCategory-000000: o\r\nLine-000000-000000: k=1\r\n\r\n"


# ---- spec 00 checks 37 and 38 through UpdateConfig; Reload ----

RT_IN = """; HTTP settings
[general]
enabled = yes ; turn on
bindport=8088
servername = Asterisk\\;PBX

;; templates
[tpl](!)
prefix => /ami

[site](tpl)
prefix = /ari
"""

RT_OUT = """; HTTP settings
[general]
enabled = yes   ; turn on
bindport = 8088
servername = Asterisk\\;PBX

;; templates
[tpl](!)
prefix => /ami

[site](tpl)
prefix = /ari
"""


def test_spec00_37_round_trip(mgr, admin):
    path = mgr.write_etc("rt.conf", RT_IN)
    for _ in range(2):
        assert update(admin, "rt.conf") == b"Response: Success\r\n\r\n"
        lines = path.read_text().split("\n")
        assert lines[:4] == [";!", ";! Automatically generated configuration file",
                             f";! Filename: rt.conf ({mgr.etc}/rt.conf)", ";! Generator: Manager"]
        assert re.match(r"^;! Creation Date: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$", lines[4]), lines[4]
        assert "\n".join(lines[5:]) == ";!\n" + RT_OUT


def test_spec00_38_save_failure(mgr, admin):
    # As root nothing is unwritable by mode; a directory as destination cannot be opened for writing either.
    (mgr.etc / "adir.conf").mkdir()
    mgr.write_etc("src38.conf", "[a]\nk = 1\n")
    assert update(admin, "src38.conf", "adir.conf") == b"Response: Error\r\nMessage: Save of config failed\r\n\r\n"
    assert (mgr.etc / "src38.conf").read_bytes() == b"[a]\nk = 1\n"


def test_update_with_reload(make_daemon):
    d = start_manager(make_daemon(start=False))
    admin = Client(d).login("admin", "adminpw")
    assert update(admin, "manager.conf", Reload="manager", groups=[
        {"Action": "NewCat", "Cat": "newbie"},
        {"Action": "Append", "Cat": "newbie", "Var": "secret", "Value": "nbpw"},
        {"Action": "Append", "Cat": "newbie", "Var": "write", "Value": "config"},
    ]) == b"Response: Success\r\n\r\n"
    Client(d).login("newbie", "nbpw")
    assert update(admin, "manager.conf", Reload="no", groups=[{"Action": "DelCat", "Cat": "newbie"}]) == \
        b"Response: Success\r\n\r\n"
    Client(d).login("newbie", "nbpw")  # not reloaded: still known


def test_preserve_effective_context(mgr, admin):
    src = "[t](!)\nk = 1\n\n[s](t)\nx = 2\n"
    mgr.write_etc("pec.conf", src)
    assert update(admin, "pec.conf") == b"Response: Success\r\n\r\n"
    assert (mgr.etc / "pec.conf").read_text().endswith("[s](t)\nk = 1\nx = 2\n")  # inherited value materialised
    mgr.write_etc("pec.conf", src)
    assert update(admin, "pec.conf", PreserveEffectiveContext="no") == b"Response: Success\r\n\r\n"
    assert (mgr.etc / "pec.conf").read_text().endswith("[s](t)\nx = 2\n")
