"""Recycled research (issue #14): research or a point already sent to someone
else blocks the email, even with the name changed; the same person, a short
stock sentence, or no history at all do not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from composer.checklist import overrule_reason, run_checklist
from composer.model import Draft, Recipient
from composer.senders import HistoryEntry

NOW = datetime(2026, 12, 9, tzinfo=UTC)

TO_DANA = """Subject: Your PyCon talk on parser recovery

Hi Dana,

I watched your PyCon talk on error recovery in hand-written parsers, and
the trick of resynchronising on closing brackets fixed our config linter.
Would you look at my write-up of where it still loses its place?

Best,
Sam
"""


def _sent(text: str = TO_DANA, recipient: str = "Dana Wu", email: str = "dana@example.com"):
    return HistoryEntry(
        timestamp="2026-12-02T10:00:00+00:00",
        recipient=recipient,
        email=email,
        subject="Your PyCon talk",
        text=text,
    )


def _to_marcus(text: str) -> str:
    return text.replace("Hi Dana,", "Hi Marcus,")


def test_research_sent_to_dana_blocks_the_email_to_marcus():
    report = run_checklist(_to_marcus(TO_DANA), history=[_sent()], now=NOW)
    finding = report.finding("recycled")
    assert finding.blocks
    assert finding.message == (
        "You wrote this research to Dana Wu on 2 Dec: research must be about Marcus."
    )
    quoted = report.text[finding.spans[0].start : finding.spans[0].end]
    assert "PyCon talk on error recovery" in quoted


@pytest.mark.parametrize("greeting", ["Hi there,", "Hello,"])
def test_a_greeting_that_names_no_one_is_not_taken_for_a_name(greeting):
    report = run_checklist(TO_DANA.replace("Hi Dana,", greeting), history=[_sent()], now=NOW)
    assert report.finding("recycled").message.endswith(
        "research must be about the person you are writing to."
    )


def test_a_greeting_that_is_only_the_name_still_names_them():
    report = run_checklist(TO_DANA.replace("Hi Dana,", "Marcus,"), history=[_sent()], now=NOW)
    assert report.finding("recycled").message.endswith("research must be about Marcus.")


def test_a_changed_name_inside_the_research_still_matches():
    mentions = TO_DANA.replace("I watched your PyCon talk", "Dana, I watched your PyCon talk")
    to_marcus = _to_marcus(mentions).replace("Dana, I watched", "Marcus, I watched")
    report = run_checklist(to_marcus, history=[_sent(mentions)], now=NOW)
    assert report.finding("recycled").blocks


def test_a_reworded_copy_is_still_a_copy():
    reworded = _to_marcus(TO_DANA).replace("fixed our config linter", "fixed our linter")
    assert run_checklist(reworded, history=[_sent()], now=NOW).finding("recycled").blocks


def test_the_draft_names_the_recipient_and_the_point_is_compared_too():
    point = "Could you review the error recovery chapter of my parsing book draft?"
    draft = Draft(point=point, recipient=Recipient(name="Marcus Lee", email="m@example.com"))
    text = f"Subject: A chapter\n\nHi Marcus,\n\n{point}\n\nBest,\nSam\n"
    past = _sent(text.replace("Marcus", "Dana"))
    finding = run_checklist(text, draft, history=[past], now=NOW).finding("recycled")
    assert finding.message.startswith("You wrote this point to Dana Wu on 2 Dec")


@pytest.mark.parametrize(
    ("text", "history"),
    [
        # The same person again, by address or by name: a follow-up, not a copy.
        (TO_DANA, [_sent(email="")]),
        (TO_DANA.replace("Hi Dana,", "Hi Dana Wu,"), [_sent()]),
        # Different research to someone else.
        (
            _to_marcus(TO_DANA).replace(
                "I watched your PyCon talk on error recovery in hand-written parsers, and\n"
                "the trick of resynchronising on closing brackets fixed our config linter.",
                "Your 2025 paper on incremental lexing made our editor plugin twice as fast.",
            ),
            [_sent()],
        ),
    ],
)
def test_what_is_not_recycled(text, history):
    assert run_checklist(text, history=history, now=NOW).finding("recycled").status == "pass"


def test_a_stock_short_ask_sent_to_everyone_is_not_recycled():
    text = "Subject: Hello\n\nHi Marcus,\n\nWould you have 15 minutes?\n\nSam\n"
    past = _sent(text.replace("Marcus", "Dana"))
    assert run_checklist(text, history=[past], now=NOW).finding("recycled").status == "pass"


def test_without_history_the_rule_is_skipped():
    finding = run_checklist(TO_DANA).finding("recycled")
    assert (finding.status, finding.message) == ("skip", "No sent emails to compare with yet.")


def test_an_older_year_is_named_and_recycled_research_cannot_be_overruled():
    report = run_checklist(_to_marcus(TO_DANA), history=[_sent()], now=datetime(2027, 3, 1))
    assert "on 2 Dec 2026:" in report.finding("recycled").message
    with pytest.raises(ValueError, match="'recycled' cannot be overruled"):
        overrule_reason("recycled", "same talk")
    accepted = run_checklist(
        _to_marcus(TO_DANA), history=[_sent()], now=NOW, accepted={"recycled": "x"}
    )
    assert accepted.finding("recycled").blocks
