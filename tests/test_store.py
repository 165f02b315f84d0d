"""The database (composer/store.py): history.jsonl taken in whole, two
writers at once, a writer killed mid-transaction, files that are not ours."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from composer.model import Email
from composer.senders import read_history, record_send
from composer.storage import Paths
from composer.store import SCHEMA_VERSION, Store, StoreError, open_store, take_in_log


@pytest.fixture
def paths(tmp_path):
    return Paths(config=tmp_path, data=tmp_path)


def _line(**fields) -> str:
    entry = {
        "timestamp": "2026-12-01T09:30:00+00:00",
        "recipient": "Dana Kim",
        "email": "Dana@Example.com",
        "subject": "Your intake talk",
        "text": "Subject: Your intake talk\n\nHi Dana,\n",
        **fields,
    }
    return json.dumps(entry, ensure_ascii=False) + "\n"


def test_the_log_is_taken_in_whole_and_left_as_it_was(paths):
    log = (
        _line()
        + _line(
            timestamp="2026-12-02T10:00:00+01:00",
            recipient="Marcus",
            email="m@example.com",
            subject="Café ☕ notes",
            accepted={"giver": "the patch is the gift", "research": "we met at PyCon"},
        )
        + _line(recipient="Bo\nLi", subject="  Spaced  out ")
    )
    paths.history.write_text(log, encoding="utf-8")
    with open_store(paths) as store:
        sent = store.sends()
    assert [s.entry for s in sent] == read_history(paths)[0]
    assert sent[1].entry.accepted == {
        "giver": "the patch is the gift",
        "research": "we met at PyCon",
    }
    assert paths.history.read_text(encoding="utf-8") == log
    raw = sqlite3.connect(paths.database).execute("SELECT recipient, subject FROM sends").fetchall()
    assert raw[2] == ("Bo\nLi", "  Spaced  out "), "the row keeps the line's values exactly"
    assert (sent[2].entry.recipient, sent[2].entry.subject) == ("Bo Li", "Spaced out")
    with open_store(paths) as store:
        assert len(store.sends()) == 3, "opening again takes nothing in twice"


def test_a_send_goes_to_the_log_and_the_database(paths):
    record_send(
        paths, Email("Hello", "Hi Ana,\n", "ana@example.com"), "Ana", accepted={"giver": "x"}
    )
    take_in_log(paths)
    assert json.loads(paths.history.read_text())["subject"] == "Hello"
    with open_store(paths) as store:
        (send,) = store.sends()
        assert send.entry.accepted == {"giver": "x"}
        assert store.contact("ANA@example.com").name == "Ana"


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_database_is_private_in_wal_mode_with_its_schema_version(tmp_path):
    paths = Paths(config=tmp_path / "home", data=tmp_path / "home")
    with open_store(paths):
        pass
    assert paths.database.stat().st_mode & 0o777 == 0o600
    assert paths.data.stat().st_mode & 0o777 == 0o700
    db = sqlite3.connect(paths.database)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


WRITER = """
import sys
from composer.model import Email
from composer.senders import record_send
from composer.storage import resolve_paths
from composer.store import take_in_log

home, name = sys.argv[1], sys.argv[2]
paths = resolve_paths(home)
for number in range(200):
    # As the composer sends: the log first, then the database takes it in.
    record_send(paths, Email(f"{name} {number}", "Hi\\n", f"{name}@example.com"), name)
    take_in_log(paths)
"""


def test_two_writers_at_once_lose_nothing_and_duplicate_nothing(paths):
    paths.data.mkdir(exist_ok=True)
    writers = [
        subprocess.Popen([sys.executable, "-P", "-c", WRITER, str(paths.data), name])
        for name in ("ana", "bo")
    ]
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    with open_store(paths) as store:
        subjects = [s.entry.subject for s in store.sends()]
    assert len(subjects) == 400 and len(set(subjects)) == 400
    for name in ("ana", "bo"):
        mine = [s for s in subjects if s.startswith(name)]
        assert mine == [f"{name} {n}" for n in range(200)], "each writer's sends in its order"


KILLED = """
import os, signal, sys
from composer.storage import resolve_paths
from composer.store import Store

home = sys.argv[1]
paths = resolve_paths(home)
store = Store.open(paths.database)
inserts = 0

def trace(statement):
    global inserts
    if statement.startswith("INSERT OR IGNORE INTO sends"):
        inserts += 1
        if inserts == 250:
            os.kill(os.getpid(), signal.SIGKILL)

store._db.set_trace_callback(trace)
store.take_in(paths)
"""


def test_a_writer_killed_mid_transaction_leaves_no_partial_record(paths):
    paths.data.mkdir(exist_ok=True)
    paths.history.write_text("".join(_line(subject=f"Email {n}") for n in range(500)))
    with open_store(paths) as store:
        assert len(store.sends()) == 500
    paths.history.write_text(
        paths.history.read_text()
        + "".join(_line(subject=f"Later {n}", email=f"p{n}@example.com") for n in range(500))
    )
    killed = subprocess.run([sys.executable, "-P", "-c", KILLED, str(paths.data)], check=False)
    assert killed.returncode == -signal.SIGKILL
    db = sqlite3.connect(paths.database)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM sends").fetchone()[0] == 500
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1, (
        "no contact of the lost half"
    )
    db.close()
    with open_store(paths) as store:
        assert len(store.sends()) == 1000, "the next open takes the rest in, once"


@pytest.mark.parametrize(
    "content", [b"not a database at all\n" * 40, b"SQLite format 3\x00" + b"\xff" * 200]
)
def test_a_file_that_is_not_a_database_is_one_clear_line_and_left_alone(paths, run_cli, content):
    paths.data.mkdir(exist_ok=True)
    paths.database.write_bytes(content)
    result = run_cli("contacts", "--home", str(paths.data))
    assert result.code == 2
    assert result.err.count("\n") == 1 and str(paths.database) in result.err
    assert "not a database" in result.err and "Traceback" not in result.err
    assert paths.database.read_bytes() == content
    assert sorted(p.name for p in paths.data.iterdir()) == ["outreach.db"]


def test_a_newer_schema_is_refused_not_migrated_down(paths, run_cli):
    with open_store(paths):
        pass
    db = sqlite3.connect(paths.database)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = paths.database.read_bytes()
    result = run_cli("contacts", "--home", str(paths.data))
    assert result.code == 2 and result.err.count("\n") == 1
    assert f"schema {SCHEMA_VERSION + 1}" in result.err and "newer" in result.err
    assert paths.database.read_bytes() == before
    with pytest.raises(OSError, match="newer"):
        Store.open(paths.database)


def test_a_database_of_another_program_is_left_alone(paths, run_cli):
    paths.data.mkdir(exist_ok=True)
    db = sqlite3.connect(paths.database)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    result = run_cli("contacts", "--home", str(paths.data))
    assert result.code == 2 and "another program" in result.err


def test_a_send_while_the_database_is_broken_is_kept_and_taken_in_later(paths):
    paths.data.mkdir(exist_ok=True)
    paths.database.write_bytes(b"garbage" * 100)
    record_send(paths, Email("Kept", "Hi\n", "a@example.com"), "A")
    with pytest.raises(OSError, match="not a database"):
        take_in_log(paths)
    assert [e.subject for e in read_history(paths)[0]] == ["Kept"]
    paths.database.unlink()
    with open_store(paths) as store:
        assert [s.entry.subject for s in store.sends()] == ["Kept"]


def test_history_ids_and_reply(paths, run_cli):
    when = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    record_send(paths, Email("One", "Hi\n", "a@example.com"), "Ana", now=when)
    record_send(paths, Email("Two", "Hi\n", "b@example.com"), "Bo", now=when)
    plain = run_cli("history", "--home", str(paths.data)).out
    listed = run_cli("history", "--ids", "--home", str(paths.data)).out
    assert listed.splitlines() == [f"#{n}  {line}" for n, line in enumerate(plain.splitlines(), 1)]
    result = run_cli("history", "reply", "#2", "--home", str(paths.data))
    assert result.code == 0 and result.out == "#2  Bo <b@example.com>  Two: replied\n"
    with open_store(paths) as store:
        assert store.send(2).replied and not store.send(1).replied
    missing = run_cli("history", "reply", "9", "--home", str(paths.data))
    assert missing.code == 2 and "no email #9" in missing.err
    bad = run_cli("history", "reply", "two", "--home", str(paths.data))
    assert bad.code == 2 and "not an email's number" in bad.err


def test_reading_commands_on_a_fresh_home_create_nothing(tmp_path, run_cli):
    home = tmp_path / "fresh"
    assert run_cli("history", "--home", str(home)).out == "No emails sent yet.\n"
    assert "No one is due" in run_cli("followups", "--home", str(home)).out
    assert "No contacts yet" in run_cli("contacts", "--home", str(home)).out
    assert "No contacts yet" in run_cli("contacts", "list", "--home", str(home)).out
    shown = run_cli("contacts", "show", "dana@example.com", "--home", str(home))
    assert shown.code == 2 and "no such contact" in shown.err
    assert not (home / "outreach.db").exists()


def test_unreadable_lines_are_named_every_time_not_only_when_taken_in(paths, run_cli):
    paths.data.mkdir(exist_ok=True)
    paths.history.write_text(_line() + '{"torn\n' + _line(subject="After"))
    for _ in range(2):
        result = run_cli("history", "--home", str(paths.data))
        assert result.err == f"outreach: {paths.history}: skipped unreadable lines 2\n"
        assert result.out.count("\n") == 2


@pytest.mark.skipif(os.name != "posix", reason="POSIX symbolic links")
def test_a_link_at_the_database_path_is_refused_and_nothing_is_created(paths, tmp_path):
    paths.data.mkdir(exist_ok=True)
    target = tmp_path / "elsewhere.db"
    paths.database.symlink_to(target)
    with pytest.raises(StoreError, match="symbolic link") as raised:
        Store.open(paths.database)
    assert str(paths.database) in str(raised.value) and "\n" not in str(raised.value)
    assert not target.exists(), "sqlite3 must not create the database at the link's target"
    paths.database.unlink()
    target.write_bytes(b"")
    paths.database.symlink_to(target)
    with pytest.raises(StoreError, match="symbolic link"):
        Store.open(paths.database)
    assert target.read_bytes() == b""


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_database_the_app_creates_is_private_whatever_the_umask(tmp_path):
    paths = Paths(config=tmp_path / "home", data=tmp_path / "home")
    old = os.umask(0)
    try:
        with open_store(paths):
            pass
    finally:
        os.umask(old)
    assert paths.database.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("column", "value"),
    [("accepted", "{not json"), ("timestamp", "yesterday"), ("accepted", "[1, 2]")],
)
def test_a_tampered_row_is_one_line_not_a_traceback(paths, run_cli, column, value):
    record_send(paths, Email("One", "Hi\n", "a@example.com"), "Ana")
    take_in_log(paths)
    db = sqlite3.connect(paths.database)
    db.execute(f"UPDATE sends SET {column} = ?", (value,))
    db.commit()
    db.close()
    with open_store(paths) as store, pytest.raises(StoreError, match="#1"):
        store.sends()
    result = run_cli("contacts", "show", "a@example.com", "--home", str(paths.data))
    assert result.code == 2 and result.err.count("\n") == 1 and "Traceback" not in result.err
    assert str(paths.database) in result.err


def test_history_falls_back_to_the_log_when_the_database_is_broken(paths, run_cli):
    record_send(paths, Email("One", "Hi\n", "a@example.com"), "Ana", accepted={"giver": "x"})
    record_send(paths, Email("Two", "Hi\n", "b@example.com"), "Bo")
    take_in_log(paths)
    good = run_cli("history", "--full", "--home", str(paths.data))
    paths.database.write_bytes(b"garbage" * 100)
    broken = run_cli("history", "--full", "--home", str(paths.data))
    assert broken.code == 0 and broken.out == good.out
    assert broken.err.count("\n") == 1 and str(paths.database) in broken.err
    assert "not a database" in broken.err and "history.jsonl" in broken.err


def test_a_second_reply_keeps_the_first_date_and_says_so(paths, run_cli):
    record_send(paths, Email("One", "Hi\n", "a@example.com"), "Ana")
    home = ("--home", str(paths.data))
    assert run_cli("history", "reply", "1", *home).out.endswith(": replied\n")
    db = sqlite3.connect(paths.database)
    db.execute("UPDATE sends SET replied = '2026-12-01T09:00:00+00:00'")
    db.commit()
    db.close()
    again = run_cli("history", "reply", "1", *home)
    assert again.code == 0 and "already replied on 2026-12-01" in again.out
    with open_store(paths) as store:
        assert store.send(1).replied == "2026-12-01T09:00:00+00:00"


def test_an_error_sqlite_already_rolled_back_is_the_one_reported(paths):
    with open_store(paths) as store:
        with pytest.raises(ValueError, match="the real error"), store._write() as db:
            db.execute("ROLLBACK")
            raise ValueError("the real error")
        assert store.sends() == []


def test_a_tampered_cache_is_redone_not_a_traceback(paths, run_cli):
    body = "Hi Ana,\n\nCould you review my draft of the sourcing guide by Friday?\n"
    record_send(paths, Email("One", body, "a@example.com"), "Ana")
    assert run_cli("contacts", "show", "a@example.com", "--home", str(paths.data)).code == 0
    db = sqlite3.connect(paths.database)
    db.execute("UPDATE ledger SET gave = '{', asked = '[1]'")
    db.execute("UPDATE meta SET value = '{' WHERE key = 'log-skipped'")
    db.commit()
    db.close()
    result = run_cli("contacts", "show", "a@example.com", "--home", str(paths.data))
    assert result.code == 0 and "asked: Could you review my draft" in result.out
