"""AMI actions over HTTP (spec 02 §6.2, §6.4-§6.6, §11 checks 19, 39, 41, 46, 47, 48, 50): astdb, variables,
state lists, telephony error forms, module actions."""
from __future__ import annotations

import re

import pytest

from e2e_http import get

MANAGER_CONF = """[general]
enabled = yes
webenabled = yes
bindaddr = 127.0.0.1
httptimeout = 60

[admin]
secret = adminpw
read = all
write = all

[callonly]
secret = callpw
read = call
write = call

[orig]
secret = origpw
read = call
write = originate

[cfgonly]
secret = cfgpw
read = system
write = config
"""

ID_RE = re.compile(r'^mansession_id="([0-9a-f]{8})"; Version=1; Max-Age=60$')


@pytest.fixture(scope="module")
def mgr(tmp_path_factory):
    from e2e_daemon import Daemon
    d = Daemon(tmp_path_factory.mktemp("amiact"))
    d.write_http_conf(d.http_conf())
    d.write_etc("manager.conf", MANAGER_CONF)
    d.start()
    yield d
    d.stop()


class Client:
    def __init__(self, d):
        self.d, self.cookie = d, None

    def req(self, query, uri="/rawman"):
        hs = [f'Cookie: mansession_id="{self.cookie}"'] if self.cookie else []
        r = get(self.d.port, f"{uri}?{query}", hs, timeout=30)
        sc = r.header("Set-Cookie")
        if sc:
            self.cookie = ID_RE.match(sc).group(1)
        return r

    def body(self, query, uri="/rawman"):
        return self.req(query, uri).body


def login(d, user, secret):
    c = Client(d)
    r = c.req(f"action=Login&username={user}&secret={secret}")
    assert r.body.startswith(b"Response: Success\r\nMessage: Authentication accepted\r\n\r\n"), r
    return c


@pytest.fixture(scope="module")
def admin(mgr):
    return login(mgr, "admin", "adminpw")


def err(text, action_id=None):
    aid = f"ActionID: {action_id}\r\n" if action_id else ""
    return f"Response: Error\r\n{aid}Message: {text}\r\n\r\n".encode()


def ack(text):
    return f"Response: Success\r\nMessage: {text}\r\n\r\n".encode()


# ---- astdb (check 41, §1.6) ----

def test_41_astdb(admin):
    assert admin.body("action=DBPut&Family=fam&Key=a&Val=1") == ack("Updated database successfully")
    assert admin.body("action=DBPut&Family=fam&Key=b&Val=x%3Cy%26z") == ack("Updated database successfully")
    assert admin.body("action=DBGetTree&Family=fam&ActionID=t1") == (
        b"Response: Success\r\nActionID: t1\r\nEventList: start\r\nMessage: Result will follow\r\n\r\n"
        b"Event: DBGetTreeResponse\r\nKey: /fam/a\r\nVal: 1\r\nActionID: t1\r\n\r\n"
        b"Event: DBGetTreeResponse\r\nKey: /fam/b\r\nVal: x<y&z\r\nActionID: t1\r\n\r\n"
        b"Event: DBGetTreeComplete\r\nActionID: t1\r\nEventList: Complete\r\nListItems: 2\r\n\r\n")
    assert admin.body("action=DBGet&Family=fam&Key=a") == (
        b"Response: Success\r\nEventList: start\r\nMessage: Result will follow\r\n\r\n"
        b"Event: DBGetResponse\r\nFamily: fam\r\nKey: a\r\nVal: 1\r\n\r\n"
        b"Event: DBGetComplete\r\nEventList: Complete\r\nListItems: 1\r\n\r\n")
    assert admin.body("action=DBGet&Family=fam&Key=a&ActionID=g") == (
        b"Response: Success\r\nActionID: g\r\nEventList: start\r\nMessage: Result will follow\r\n\r\n"
        b"Event: DBGetResponse\r\nFamily: fam\r\nKey: a\r\nVal: 1\r\nActionID: g\r\n\r\n"
        b"Event: DBGetComplete\r\nActionID: g\r\nEventList: Complete\r\nListItems: 1\r\n\r\n")
    assert admin.body("action=DBGet&Family=fam&Key=zz") == err("Database entry not found")
    assert admin.body("action=DBGet&Key=a") == err("No family specified.")
    assert admin.body("action=DBGet&Family=fam") == err("No key specified.")
    assert admin.body("action=DBDel&Family=fam&Key=a") == ack("Key deleted successfully")
    assert admin.body("action=DBDel&Family=fam&Key=a") == err("Database entry could not be deleted")
    assert admin.body("action=DBDelTree&Family=fam") == ack("Key tree deleted successfully")
    assert admin.body("action=DBDelTree&Family=fam") == err("Database entry not found")


def test_astdb_parameter_errors(admin):
    assert admin.body("action=DBPut&Key=a&Val=1&ActionID=p") == err("No family specified", "p")
    assert admin.body("action=DBPut&Family=f") == err("No key specified")
    assert admin.body("action=DBDel&Key=a") == err("No family specified.")
    assert admin.body("action=DBDel&Family=f") == err("No key specified.")
    assert admin.body("action=DBDelTree") == err("No family specified.")
    assert admin.body("action=DBPut&Family=e&Key=k") == ack("Updated database successfully")  # empty Val is a value
    assert b"Key: k\r\nVal: \r\n" in admin.body("action=DBGet&Family=e&Key=k")


def test_dbgettree_matches_literally(admin, mgr):
    for fam, key in [("a_c", "k"), ("abc", "k"), ("a%", "k"), ("aXY", "k"), ("lit", "x_y"), ("lit", "xzy")]:
        assert admin.body(f"action=DBPut&Family={fam.replace('%', '%25')}&Key={key}&Val=v") == \
            ack("Updated database successfully")
    body = admin.body("action=DBGetTree&Family=a_c")
    assert b"Key: /a_c/k\r\n" in body and b"/abc/" not in body and b"ListItems: 1\r\n" in body
    body = admin.body("action=DBGetTree&Family=a%25")
    assert b"Key: /a%/k\r\n" in body and b"/aXY/" not in body and b"ListItems: 1\r\n" in body
    body = admin.body("action=DBGetTree&Family=lit&Key=x_y")
    assert b"Key: /lit/x_y\r\n" in body and b"xzy" not in body and b"ListItems: 1\r\n" in body
    assert admin.body("action=DBGetTree&Family=ABC").endswith(b"ListItems: 0\r\n\r\n")  # case-sensitive
    # the CLI sees what AMI wrote: one database
    assert "/lit/x_y" in mgr.cli("database show lit")
    # no family: the whole database
    assert b"Key: /aXY/k\r\n" in admin.body("action=DBGetTree")
    assert admin.body("action=DBDelTree&Family=a_c") == ack("Key tree deleted successfully")
    assert b"Key: /abc/k\r\n" in admin.body("action=DBGetTree&Family=abc")


def test_astdb_permissions(mgr):
    c = login(mgr, "callonly", "callpw")
    assert c.body("action=DBGet&Family=f&Key=k") == err("Permission denied")
    assert c.body("action=DBPut&Family=f&Key=k&Val=v") == err("Permission denied")


# ---- variables (checks 19, 46, 50) ----

def test_19_url_decoding(admin):
    assert admin.body("action=Setvar&Variable=T19&Value=a+b%26c") == ack("Variable Set")
    assert admin.body("action=Getvar&Variable=T19") == b"Response: Success\r\nVariable: T19\r\nValue: a b&c\r\n\r\n"


def test_setvar_getvar(admin):
    assert admin.body("action=Setvar&Variable=T19A&Value=hello&ActionID=s") == \
        b"Response: Success\r\nActionID: s\r\nMessage: Variable Set\r\n\r\n"
    assert admin.body("action=Getvar&Variable=T19A&ActionID=g") == \
        b"Response: Success\r\nActionID: g\r\nVariable: T19A\r\nValue: hello\r\n\r\n"
    assert admin.body("action=Getvar&Variable=NEVERSET") == \
        b"Response: Success\r\nVariable: NEVERSET\r\nValue: \r\n\r\n"
    assert admin.body("action=Getvar&Variable=t19a") == b"Response: Success\r\nVariable: t19a\r\nValue: \r\n\r\n"
    assert admin.body("action=Setvar&Value=x") == err("No variable specified")
    assert admin.body("action=Getvar") == err("No variable specified")
    assert admin.body("action=Setvar&Variable=X&Value=1&Channel=SIP/1") == err("No such channel")
    assert admin.body("action=Getvar&Variable=X&Channel=SIP/1") == err("No such channel")
    # GLOBAL() reads and writes the same variables; unknown functions read empty and cannot be written
    assert admin.body("action=Setvar&Variable=GLOBAL(T19B)&Value=g") == ack("Variable Set")
    assert admin.body("action=Getvar&Variable=T19B").endswith(b"Value: g\r\n\r\n")
    assert admin.body("action=Getvar&Variable=GLOBAL(T19A)").endswith(b"Value: hello\r\n\r\n")
    assert admin.body("action=Getvar&Variable=NOSUCHFUNC(x)") == \
        b"Response: Success\r\nVariable: NOSUCHFUNC(x)\r\nValue: \r\n\r\n"
    assert admin.body("action=Setvar&Variable=NOSUCHFUNC(x)&Value=1") == err("Variable not set")
    assert re.fullmatch(rb"Response: Success\r\nVariable: EPOCH\r\nValue: [0-9]+\r\n\r\n",
                        admin.body("action=Getvar&Variable=EPOCH"))


def test_46_getvar_forbidden_function(mgr, admin):
    c = login(mgr, "callonly", "callpw")
    assert c.body("action=Getvar&Variable=SHELL(id)") == err("GetVar Access Forbidden: Variable")
    assert c.body("action=Getvar&Variable=EVAL(x)") == err("GetVar Access Forbidden: Variable")
    assert c.body("action=Getvar&Variable=shell(id)").startswith(b"Response: Success\r\n")  # case-sensitive
    # system write may ask (the function does not exist here: empty value)
    assert admin.body("action=Getvar&Variable=SHELL(id)") == \
        b"Response: Success\r\nVariable: SHELL(id)\r\nValue: \r\n\r\n"


def test_50_xml_getvar(admin):
    assert admin.body("action=Setvar&Variable=T50&Value=a%3Cb%26c'd") == ack("Variable Set")
    r = admin.req("action=Getvar&Variable=T50", uri="/mxml")
    assert r.header("Content-type") == "text/xml"
    assert r.body == (b"<ajax-response>\n<response type='object' id='unknown'><generic response='Success' "
                      b"variable='T50' value='a&lt;b&amp;c&apos;d' /></response>\n</ajax-response>\n")


# ---- state lists (check 39, §6.5) ----

def test_39_empty_lists(admin):
    assert admin.body("action=CoreShowChannels&ActionID=c") == (
        b"Response: Success\r\nActionID: c\r\nEventList: start\r\nMessage: Channels will follow\r\n\r\n"
        b"Event: CoreShowChannelsComplete\r\nActionID: c\r\nEventList: Complete\r\nListItems: 0\r\n\r\n")
    assert admin.body("action=Status") == (
        b"Response: Success\r\nEventList: start\r\nMessage: Channel status will follow\r\n\r\n"
        b"Event: StatusComplete\r\nEventList: Complete\r\nListItems: 0\r\nItems: 0\r\n\r\n")
    assert admin.body("action=Status&Channel=SIP/1") == err("No such channel")


def test_status_variables_forbidden(mgr):
    c = login(mgr, "callonly", "callpw")
    assert c.body("action=Status&Variables=SHELL(id)") == err("Status Access Forbidden: Variables")


@pytest.mark.parametrize("action,message,complete", [
    ("DeviceStateList", "Device State Changes will follow", "DeviceStateListComplete"),
    ("PresenceStateList", "Presence State Changes will follow", "PresenceStateListComplete"),
])
def test_state_lists(admin, action, message, complete):
    assert admin.body(f"action={action}&ActionID=x") == (
        f"Response: Success\r\nActionID: x\r\nEventList: start\r\nMessage: {message}\r\n\r\n"
        f"Event: {complete}\r\nActionID: x\r\nEventList: Complete\r\nListItems: 0\r\n\r\n").encode()


def test_state_queries(admin):
    assert admin.body("action=ExtensionStateList") == err("No dialplan hints are available")
    assert admin.body("action=ExtensionState") == err("Extension not specified")
    assert admin.body("action=ExtensionState&Exten=100&ActionID=e") == (
        b"Response: Success\r\nActionID: e\r\nMessage: Extension Status\r\nExten: 100\r\nContext: default\r\n"
        b"Hint: \r\nStatus: -1\r\nStatusText: Unknown\r\n\r\n")
    assert b"Context: internal\r\n" in admin.body("action=ExtensionState&Exten=100&Context=internal")
    assert admin.body("action=PresenceState") == err("No provider specified")
    assert admin.body("action=PresenceState&Provider=CustomPresence:x") == \
        err("Invalid provider CustomPresence:x or provider in invalid state")
    assert admin.body("action=MailboxStatus") == err("Mailbox not specified")
    assert admin.body("action=MailboxStatus&Mailbox=100@default") == \
        b"Response: Success\r\nMessage: Mailbox Status\r\nMailbox: 100@default\r\nWaiting: 0\r\n\r\n"
    assert admin.body("action=MailboxCount&Mailbox=100") == (
        b"Response: Success\r\nMessage: Mailbox Message Count\r\nMailbox: 100\r\nUrgMessages: 0\r\n"
        b"NewMessages: 0\r\nOldMessages: 0\r\n\r\n")


# ---- telephony error forms (check 47, §6.6) ----

def test_47_telephony_errors(mgr, admin):
    assert admin.body("action=Originate&Channel=Nope/100&Application=Playback&Data=x") == err("Originate failed")
    assert admin.body("action=Originate") == err("Channel not specified")
    orig = login(mgr, "orig", "origpw")
    assert orig.body("action=Originate&Channel=Nope/1&Application=System&Data=id") == \
        err("Originate Access Forbidden: app or data blacklisted")
    assert admin.body("action=Hangup&Channel=X/1") == err("No such channel")
    assert admin.body("action=Hangup") == err("No channel specified")


@pytest.mark.parametrize("query,message", [
    ("Channel=A/1&Priority=label", "Invalid priority"),
    ("Channel=A/1&Priority=label&Timeout=x", "Invalid priority"),  # one error block only
    ("Channel=A/1&Timeout=abc", "Invalid timeout"),
    ("Channel=nochanneltype&Application=Playback", "Invalid channel"),
    ("Channel=A/1&Application=Playback&ChannelId=" + "u" * 151, "Uniqueid length exceeds maximum of 150\n"),
    ("Channel=A/1", "Originate with 'Exten' requires 'Context' and 'Priority'"),
    ("Channel=A/1&Exten=100&Context=default", "Originate with 'Exten' requires 'Context' and 'Priority'"),
    ("Channel=A/1&Exten=100&Context=default&Priority=1", "Extension does not exist."),
])
def test_originate_error_order(admin, query, message):
    assert admin.body("action=Originate&" + query) == err(message)


@pytest.mark.parametrize("app_data", [
    "Application=Exec&Data=x", "Application=TryExec&Data=x", "Application=EAGI&Data=x",
    "Application=MixMonitor&Data=x", "Application=ExternalIVR&Data=x", "Application=DBdeltree&Data=x",
    "Application=Reload&Data=x", "Application=Originate&Data=x", "Application=NoOp&Data=%24%7BSHELL(id)%7D",
    "Application=NoOp&Data=%24%7BEVAL(x)%7D", "Application=NoOp&Data=%24%7BDB(f/k)%7D",
    "Application=NoOp&Data=%24%7BFILE(/etc/passwd)%7D", "Application=Queue&Data=q,,,,,/bin/agi",
])
def test_originate_blacklist(mgr, admin, app_data):
    orig = login(mgr, "orig", "origpw")
    assert orig.body("action=Originate&Channel=Nope/1&" + app_data) == \
        err("Originate Access Forbidden: app or data blacklisted")
    # system write is allowed through (and then fails: no channel driver)
    assert admin.body("action=Originate&Channel=Nope/1&" + app_data) == err("Originate failed")


def test_originate_allowed_for_originate_class(mgr):
    orig = login(mgr, "orig", "origpw")
    assert orig.body("action=Originate&Channel=Nope/1&Application=Queue&Data=q,,,,,") == err("Originate failed")
    assert orig.body("action=Originate&Channel=Nope/1&Application=Playback&Data=hello") == err("Originate failed")


def test_originate_async_response_event(mgr):
    c = login(mgr, "admin", "adminpw")
    c.req("action=WaitEvent&Timeout=0")  # drain FullyBooted and anything else queued since login
    q = ("action=Originate&Channel=Nope/100&Application=Playback&Data=hello&Async=true&ActionID=o1"
         "&ChannelId=chan-1&CallerID=%22Bob%22%20%3C555-1234%3E")
    assert c.body(q) == b"Response: Success\r\nActionID: o1\r\nMessage: Originate successfully queued\r\n\r\n"
    body = c.body("action=WaitEvent&Timeout=5")
    assert (b"Event: OriginateResponse\r\nPrivilege: call,all\r\nActionID: o1\r\nResponse: Failure\r\n"
            b"Channel: Nope/100\r\nApplication: Playback\r\nData: hello\r\nReason: 0\r\nUniqueid: chan-1\r\n"
            b"CallerIDNum: 5551234\r\nCallerIDName: Bob\r\n\r\n") in body, body
    assert c.body("action=Originate&Channel=Nope/7&Exten=1&Context=c&Priority=1&Async=yes") == \
        err("Extension does not exist.")
    assert c.body("action=Originate&Channel=Nope/7&Application=Echo&Async=yes") == \
        ack("Originate successfully queued")
    body = c.body("action=WaitEvent&Timeout=5")
    assert (b"Event: OriginateResponse\r\nPrivilege: call,all\r\nResponse: Failure\r\nChannel: Nope/7\r\n"
            b"Application: Echo\r\nData: \r\nReason: 0\r\nUniqueid: <unknown>\r\nCallerIDNum: <unknown>\r\n"
            b"CallerIDName: <unknown>\r\n\r\n") in body, body


def test_hangup_regex(admin):
    assert admin.body("action=Hangup&Channel=/SIP%2F.*/&ActionID=h") == (
        b"Response: Success\r\nActionID: h\r\nEventList: start\r\nMessage: Channels hung up will follow\r\n\r\n"
        b"Event: ChannelsHungupListComplete\r\nActionID: h\r\nEventList: Complete\r\nListItems: 0\r\n\r\n")
    assert admin.body("action=Hangup&Channel=/SIP") == err("Regex format invalid, Channel param should be /regex/")
    assert admin.body("action=Hangup&Channel=/") == err("Regex format invalid, Channel param should be /regex/")
    assert admin.body("action=Hangup&Channel=/(/") == err("Regex compile failed on: /(/")


@pytest.mark.parametrize("query,message", [
    ("AbsoluteTimeout&Channel=X/1&Timeout=5", "No such channel"),
    ("AbsoluteTimeout&Timeout=5", "No channel specified"),
    ("AbsoluteTimeout&Channel=X/1", "No timeout specified"),
    ("AbsoluteTimeout&Channel=X/1&Timeout=0", "No timeout specified"),
    ("Redirect&Channel=X/1&Context=c&Exten=1&Priority=1", "Channel does not exist: X/1"),
    ("Redirect&Context=c", "Channel not specified"),
    ("Redirect&Channel=X/1", "Context not specified"),
    ("Atxfer&Channel=X/1&Exten=1", "Channel specified does not exist"),
    ("Atxfer&Exten=1", "No channel specified"),
    ("CancelAtxfer&Channel=X/1", "Channel specified does not exist"),
    ("BlindTransfer&Channel=X/1&Exten=1&Context=c", "Channel specified does not exist"),
    ("SendText&Channel=X/1&Message=hi", "No such channel"),
    ("SendText&Channel=X/1", "No Message specified"),
    ("AOCMessage&Channel=X/1&MsgType=D", "No such channel"),
    ("CoreShowChannelMap&Channel=X/1", "Could not get channel snapshot\n"),
    ("CoreShowChannelMap", "CoreShowChannelMap requires a channel.\n"),
])
def test_other_telephony_errors(admin, query, message):
    assert admin.body("action=" + query) == err(message)


# ---- module actions (checks 48, 68) ----

def test_48_module_actions(admin):
    assert admin.body("action=ModuleCheck&Module=nonesuch") == err("Module not loaded")
    assert admin.body("action=ModuleCheck") == err("Module not loaded")
    assert admin.body("action=Reload&Module=nonesuch") == err("No such module")
    assert admin.body("action=ModuleCheck&Module=manager&ActionID=m") == \
        b"Response: Success\r\nActionID: m\r\nVersion: \r\n\r\n"
    assert admin.body("action=ModuleCheck&Module=MANAGER.so") == b"Response: Success\r\nVersion: \r\n\r\n"


def test_68_module_check_needs_system(mgr):
    c = login(mgr, "cfgonly", "cfgpw")
    assert c.body("action=ModuleCheck&Module=manager") == err("Permission denied")
    assert c.body("action=ModuleLoad&LoadType=reload") == err("Permission denied")


@pytest.mark.parametrize("query,body", [
    ("", err("Incomplete ModuleLoad action.")),  # [FIX] one error block, not three
    ("&LoadType=load", err("Need module name")),  # [FIX] not followed by `Could not load module.`
    ("&Module=manager", err("Incomplete ModuleLoad action.")),
    ("&LoadType=frob&Module=manager", err("Incomplete ModuleLoad action.")),
    ("&LoadType=load&Module=../../etc/passwd", err("Module must be in the configured modules directory.")),
    ("&LoadType=load&Module=nonesuch.so", err("Module not found.")),
    ("&LoadType=reload&Module=nonesuch", err("Module not found.")),
    ("&LoadType=unload&Module=manager", err("Could not unload module.")),
    ("&LoadType=refresh&Module=manager", err("Could not refresh module.")),
    ("&LoadType=load&Module=manager", ack("Module loaded.")),
    ("&LoadType=reload&Module=manager.so", ack("Module reloaded.")),
    ("&LoadType=reload", ack("All modules reloaded")),
])
def test_module_load(admin, query, body):
    assert admin.body("action=ModuleLoad" + query) == body


def test_list_commands_shows_new_actions(admin):
    body = admin.body("action=ListCommands")
    for name in (b"DBGetTree", b"Getvar", b"Originate", b"ModuleLoad", b"CoreShowChannelMap", b"MailboxCount"):
        assert re.search(rb"\r\n" + name + rb": [^\r\n]+ \(Priv: [a-z,]+\)\r\n", body), name
