"""astdb through the CLI (spec 00 §6, checks 13-17): the SQLite file Asterisk uses, same schema and keys."""
from __future__ import annotations

import sqlite3
import time


def test_00_13_to_17_database_commands(make_daemon):
    d = make_daemon()
    assert d.cli('database put fam k1 "a b"') == "Updated database successfully\n"
    assert d.cli("database get fam k1") == "Value: a b\n"
    assert d.cli("database show fam") == "/fam/k1" + " " * 43 + ": a b" + " " * 22 + "\n1 results found.\n"
    assert d.cli("database del fam nokey") == "Database entry could not be removed.\n"
    # Check 17: the row is in the SQLite file after at most about a second.
    db = d.dirs["astdbdir"] / "astdb.sqlite3"
    deadline = time.monotonic() + 3
    rows = []
    while time.monotonic() < deadline:
        con = sqlite3.connect(str(db))
        try:
            rows = con.execute("select key, value from astdb").fetchall()
        finally:
            con.close()
        if ("/fam/k1", "a b") in rows:
            break
        time.sleep(0.2)
    assert ("/fam/k1", "a b") in rows
    assert d.cli("database deltree fam") == "1 database entries removed.\n"
    assert d.cli("database deltree fam") == "Database entries do not exist.\n"


def test_database_survives_restart(make_daemon):
    d = make_daemon()
    assert d.cli("database put fam k2 v2") == "Updated database successfully\n"
    d.stop()  # SIGTERM commits what is pending
    d.start()
    assert d.cli("database get fam k2") == "Value: v2\n"
