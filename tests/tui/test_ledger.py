"""The ledger in the composer: the rule reads the recipient's earlier
emails from the database, and a send reaches the database, or is kept in
history.jsonl with a warning when the database is broken."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

from textual.widgets import Input

from composer.model import Email
from composer.senders import record_send
from composer.store import open_store, take_in_log

from .test_composer import settle

ASK = "Hi Heather,\n\nWould you review my draft of the sourcing guide by Friday?\n\nBest,\nSam\n"


async def test_a_second_ask_to_the_same_person_warns_in_the_checklist(make_app, example, paths):
    when = datetime(2026, 12, 2, tzinfo=UTC)
    record_send(paths, Email("A review?", ASK, "heather@example.com"), "Heather", now=when)
    app = make_app(replace(example, offer="", wiift=""))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()  # the ledger is read in a worker
        finding = app.report.finding("ledger")
        assert finding.status == "warn" and "You asked Heather" in finding.message
    with_gift = make_app(example)
    async with with_gift.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await with_gift.workers.wait_for_complete()
        assert with_gift.report.finding("ledger").status == "pass"


async def test_a_send_reaches_the_database(make_app, example, paths, system_clipboard):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        await app.workers.wait_for_complete()
    with open_store(paths) as store:
        assert [s.entry.email for s in store.sends()] == ["heather@example.com"]
        assert store.contact("heather@example.com").name == "Heather Hamilton"


async def test_a_broken_database_keeps_the_send_in_the_log_and_says_so(
    make_app, example, paths, system_clipboard
):
    paths.data.mkdir(parents=True)
    paths.database.write_bytes(b"not a database" * 50)
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert json.loads(paths.history.read_text())["email"] == "heather@example.com"
    warnings = [m for s, m in app.notes if s == "warning"]
    assert any(str(paths.database) in m and "not a database" in m for m in warnings)
    assert paths.database.read_bytes() == b"not a database" * 50


async def test_typing_goes_on_while_another_composer_holds_the_database(make_app, example, paths):
    record_send(paths, Email("A review?", ASK, "heather@example.com"), "Heather")
    take_in_log(paths)
    # Sent from another composer since: the next open takes it in, and must wait to write.
    record_send(paths, Email("Hello", "Hi Cy,\n", "cy@example.com"), "Cy Park")
    other = sqlite3.connect(paths.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another composer writing: every open waits on it
    try:
        app = make_app(replace(example, offer="", wiift=""))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            subject = app.query_one("#subject", Input)
            subject.focus()
            await pilot.press("end", "!")
            await settle(pilot)
            assert subject.value.endswith("!") and app.email.subject.endswith("!")
            ledger = app.report.finding("ledger")
            assert ledger.status == "skip" and "not read yet" in ledger.message
            other.execute("ROLLBACK")
            await app.workers.wait_for_complete()
            await settle(pilot)
            # The ledger came in and the checklist ran again with it.
            assert app.report.finding("ledger").status == "warn"
    finally:
        other.close()


async def test_a_blocking_ledger_rule_lets_nothing_out_before_it_has_judged(
    example, paths, system_clipboard
):
    from composer.config import load_config

    from .conftest import RecordingApp

    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text('[rules.ledger]\nseverity = "block"\n')
    record_send(paths, Email("A review?", ASK, "heather@example.com"), "Heather")
    take_in_log(paths)
    record_send(paths, Email("Hello", "Hi Cy,\n", "cy@example.com"), "Cy Park")
    other = sqlite3.connect(paths.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        app = RecordingApp(example, paths, config=load_config(paths)[0])
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.report.finding("ledger").status == "skip"
            await pilot.press("ctrl+j")
            await settle(pilot)
            assert system_clipboard == []
            assert any("ledger with this person is still being read" in m for _, m in app.notes)
            other.execute("ROLLBACK")
            await app.workers.wait_for_complete()
            await settle(pilot)
            assert app.report.finding("ledger").status == "pass"
            await pilot.press("ctrl+j")
            await settle(pilot)
            assert system_clipboard != []
    finally:
        other.close()
