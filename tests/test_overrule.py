"""Overruling a wrong block, on the record (issue #14): the user marks a
blocking tip or anti-pattern as met with a one-line reason; the checklist shows
it as met by them, and the mark lapses when the rule passes by itself."""

from __future__ import annotations

import json
import re

import pytest

from composer.checklist import overrule_reason, run_checklist
from composer.model import Draft, parse_draft

# Specific and polite, but it gives nothing first: the giver tip blocks it.
TAKER = """Subject: Review of the parser fix

Hi Ana,

I read your post on the 2.3 parser rewrite and hit the slow path it
describes with nested quotes. Could you look at my fix in pull request 812
this week? It cuts the parse of our 40 MB fixture from 9 s to 2 s.

Thanks,
Sam
"""


def test_a_blocking_rule_overruled_passes_with_the_users_reason():
    before = run_checklist(TAKER)
    assert before.finding("giver").blocks, before.finding("giver").message

    report = run_checklist(TAKER, accepted={"giver": "the fix itself is the gift"})

    giver = report.finding("giver")
    assert (giver.status, giver.accepted) == ("pass", "the fix itself is the gift")
    assert giver.message == "Met by you: the fix itself is the gift"
    assert report.accepted == {"giver": "the fix itself is the gift"}
    assert {"rule": "giver", "status": "pass", "accepted": True}.items() <= giver.to_json().items()
    assert giver.to_json()["reason"] == "the fix itself is the gift"
    assert not any(f.accepted for f in report.findings if f.rule != "giver")
    assert report.finding("point").to_json()["accepted"] is False


def test_a_mark_on_a_rule_that_passes_by_itself_lapses():
    report = run_checklist(TAKER, accepted={"point": "asked clearly"})
    point = report.finding("point")
    assert point.status == "pass" and not point.accepted
    assert "point" not in report.accepted


def test_placeholders_are_never_overruled_even_by_a_hand_edited_draft():
    text = TAKER.replace("Hi Ana,", "Hi [NAME],")
    report = run_checklist(text, accepted={"placeholders": "fine", "giver": "the fix"})
    assert report.finding("placeholders").blocks
    assert report.accepted == {"giver": "the fix"}


@pytest.mark.parametrize(
    ("rule", "reason", "says"),
    [
        ("givr", "x", "no rule 'givr' (did you mean 'giver'?)"),
        ("placeholders", "x", "'placeholders' cannot be overruled"),
        ("length", "x", "'length' only advises"),
        ("grammar", "x", "'grammar' only advises"),
        ("giver", "  \n ", "say why 'giver' is met"),
        ("giver", "y" * 201, "one line (200 characters at most)"),
    ],
)
def test_what_cannot_be_overruled_says_why(rule, reason, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        overrule_reason(rule, reason)


def test_a_reason_is_one_line_of_plain_text():
    assert overrule_reason("giver", "the fix\n\x1b]52;c;cm0=\x07 is the gift") == (
        "the fix ]52;c;cm0= is the gift"
    )


def test_a_draft_keeps_its_marks():
    draft = Draft(point="Review PR 812", accepted={"giver": "the fix is the gift"})
    assert parse_draft(draft.to_toml()).accepted == {"giver": "the fix is the gift"}
    assert "[accepted]" in draft.to_toml()


def test_check_accept_on_the_command_line(run_cli, tmp_path):
    email = tmp_path / "email.txt"
    email.write_text(TAKER)
    blocked = run_cli("check", str(email))
    assert blocked.code == 1
    accept = (
        "--accept",
        "giver=the fix is the gift",
        "--accept",
        "wiift=it speeds up their parser",
    )
    result = run_cli("check", str(email), "--json", *accept)
    assert result.code == 0
    giver = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "giver")
    assert (giver["status"], giver["accepted"], giver["reason"]) == (
        "pass",
        True,
        "the fix is the gift",
    )
    refused = run_cli("check", str(email), "--accept", "placeholders=fine")
    assert refused.code == 2 and "'placeholders' cannot be overruled" in refused.err
    bare = run_cli("check", str(email), "--accept", "giver")
    assert bare.code == 2 and "needs a reason" in bare.err


def test_check_compares_with_the_users_history(run_cli, tmp_path):
    from composer.model import Email
    from composer.senders import record_send
    from composer.storage import resolve_paths

    to_dana = TAKER.replace("Hi Ana,", "Hi Dana,")
    body = to_dana.split("\n\n", 1)[1]
    record_send(resolve_paths(str(tmp_path)), Email("x", body, "d@x.com"), "Dana Wu")
    result = run_cli("check", "-", "--json", "--home", str(tmp_path), stdin=TAKER)
    recycled = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "recycled")
    assert recycled["status"] == "fail" and "to Dana Wu on" in recycled["message"]
