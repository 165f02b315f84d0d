"""The ledger (composer/ledger.py) and its rule: a second ask with nothing
given between warns; a gift, in the last email or in this one, clears it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from composer.checklist import run_checklist
from composer.checklist.ledger import LedgerEntry
from composer.ledger import give_and_ask
from composer.model import Email
from composer.senders import record_send
from composer.storage import Paths

NOW = datetime(2026, 12, 9, tzinfo=UTC)
ASK_AGAIN = "Subject: One more thing\n\nHi Dana,\n\nCould you introduce me to your data team lead?\n\nBest,\nSam\n"
GIVE_AND_ASK = (
    "Subject: Our intake numbers\n\nHi Dana,\n\n"
    "Here are our intake numbers from last quarter: https://example.com/intake-notes\n"
    "Could you introduce me to your data team lead?\n\nBest,\nSam\n"
)
REVIEW = "Would you review my draft of the sourcing guide by Friday?"


def _asked(gave: tuple[str, ...] = ()) -> LedgerEntry:
    return LedgerEntry(
        when=datetime(2026, 12, 2, tzinfo=UTC),
        name="Dana Kim",
        subject="A review?",
        gave=gave,
        asked=(REVIEW,),
    )


def test_a_second_ask_with_nothing_given_since_warns():
    finding = run_checklist(ASK_AGAIN, ledger=[_asked()], now=NOW).finding("ledger")
    assert finding.status == "warn" and not finding.blocks
    assert finding.message == (
        "You asked Dana “Would you review my draft of the sourcing guide b…” on 2 Dec "
        "and have given nothing since: give first."
    )
    assert ASK_AGAIN[finding.spans[0].start : finding.spans[0].end].startswith("Could you")


@pytest.mark.parametrize(
    ("text", "ledger"),
    [
        (ASK_AGAIN, [_asked(gave=("Here is our write-up.",))]),  # the last email gave
        (GIVE_AND_ASK, [_asked()]),  # this one gives
        ("Subject: Thanks\n\nHi Dana,\n\nThank you for the intro to Ravi.\n\nSam\n", [_asked()]),
        (
            ASK_AGAIN,
            [
                _asked(),
                LedgerEntry(datetime(2026, 12, 5, tzinfo=UTC), "Dana", "Notes", gave=("x",)),
            ],
        ),
    ],
)
def test_a_gift_since_or_now_or_no_ask_passes(text, ledger):
    assert run_checklist(text, ledger=ledger, now=NOW).finding("ledger").status == "pass"


def test_without_earlier_emails_the_rule_is_skipped():
    finding = run_checklist(ASK_AGAIN, now=NOW).finding("ledger")
    assert (finding.status, finding.message) == ("skip", "No earlier email to this address.")


def test_a_ledger_not_read_yet_is_said_so_not_taken_for_no_emails():
    finding = run_checklist(ASK_AGAIN, ledger=None, now=NOW).finding("ledger")
    assert finding.status == "skip" and "not read yet" in finding.message


def test_its_severity_is_set_like_any_rule():
    blocking = run_checklist(
        ASK_AGAIN, ledger=[_asked()], overrides={"ledger": {"severity": "block"}}
    )
    assert blocking.finding("ledger").blocks and not blocking.sendable
    off = run_checklist(ASK_AGAIN, ledger=[_asked()], overrides={"ledger": {"severity": "off"}})
    assert off.finding("ledger").status == "skip"


def test_what_an_email_gave_and_asked_is_read_by_the_checklists_evidence():
    gave, links, asked = give_and_ask(GIVE_AND_ASK)
    assert gave == [
        "Here are our intake numbers from last quarter: https://example.com/intake-notes"
    ]
    assert links == ["https://example.com/intake-notes"]
    assert asked == ["Could you introduce me to your data team lead?"], "the subject is no ask"


def test_check_reads_the_recipients_ledger_from_the_database(run_cli, tmp_path):
    paths = Paths(config=tmp_path, data=tmp_path)
    body = f"Hi Dana,\n\n{REVIEW}\n\nBest,\nSam\n"
    record_send(paths, Email("A review?", body, "dana@example.com"), "Dana Kim", now=NOW)
    eml = tmp_path / "next.eml"
    eml.write_text("To: Dana@Example.com\nFrom: sam@example.com\n" + ASK_AGAIN)
    result = run_cli("check", str(eml), "--json", "--home", str(tmp_path))
    ledger = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "ledger")
    assert ledger["status"] == "warn" and "You asked Dana" in ledger["message"]
    (tmp_path / "config.toml").write_text('[rules.ledger]\nseverity = "block"\n')
    assert run_cli("check", str(eml), "--home", str(tmp_path)).code == 1
    other = tmp_path / "other.eml"
    other.write_text("To: bo@example.com\nFrom: sam@example.com\n" + ASK_AGAIN)
    result = run_cli("check", str(other), "--json", "--home", str(tmp_path))
    assert (
        next(f for f in json.loads(result.out)["findings"] if f["rule"] == "ledger")["status"]
        == "skip"
    )


SUBJECT_ASKS = (
    "Subject: Could you review my draft?\n\nHi Dana,\n\n"
    "I finished the sourcing guide we talked about.\n\nBest,\nSam\n"
)


def test_the_rule_and_the_stored_ledger_read_the_same_asks():
    """An ask in the subject line alone is no ask to either of them."""
    assert give_and_ask(SUBJECT_ASKS)[2] == []
    finding = run_checklist(SUBJECT_ASKS, ledger=[_asked()], now=NOW).finding("ledger")
    assert finding.status == "pass" and finding.message == "This email asks for nothing."


def test_stored_readings_are_redone_when_the_cue_data_or_phrases_change(tmp_path):
    import sqlite3

    from composer.ledger import contact_ledger
    from composer.store import open_store

    paths = Paths(config=tmp_path, data=tmp_path)
    body = f"Hi Dana,\n\n{REVIEW}\n\nBest,\nSam\n"
    record_send(paths, Email("A review?", body, "dana@example.com"), "Dana Kim", now=NOW)
    db = sqlite3.connect(paths.database)
    with open_store(paths) as store:
        store.save_ledger_rows(1, {1: (["a stale reading"], [], [])})
        (entry,) = contact_ledger(store, "dana@example.com")
        assert entry.gave == () and entry.asked == (REVIEW,), "a reading of other cues is redone"
        (default,) = db.execute("SELECT version FROM ledger").fetchone()
        contact_ledger(store, "dana@example.com", phrases={"vague": ["swap notes"]})
        (own,) = db.execute("SELECT version FROM ledger").fetchone()
    db.close()
    assert len({1, default, own}) == 3, "each set of cues has its own key"


def test_contacts_show_and_check_keep_one_reading_with_the_users_phrases(run_cli, tmp_path):
    import sqlite3

    paths = Paths(config=tmp_path, data=tmp_path)
    (tmp_path / "config.toml").write_text('[phrases]\nvague = ["swap notes"]\n')
    body = f"Hi Dana,\n\n{REVIEW}\n\nBest,\nSam\n"
    record_send(paths, Email("A review?", body, "dana@example.com"), "Dana Kim", now=NOW)
    eml = tmp_path / "next.eml"
    eml.write_text("To: Dana Kim <dana@example.com>\nFrom: sam@example.com\n" + ASK_AGAIN)
    home = ("--home", str(tmp_path))
    assert run_cli("contacts", "show", "dana@example.com", *home).code == 0
    db = sqlite3.connect(paths.database)
    (shown,) = db.execute("SELECT version FROM ledger").fetchone()
    db.close()
    run_cli("check", str(eml), "--json", *home)
    db = sqlite3.connect(paths.database)
    assert db.execute("SELECT version FROM ledger").fetchall() == [(shown,)]
    db.close()
    from composer.ledger import reading_key

    assert shown == reading_key({"vague": ["swap notes"]})
