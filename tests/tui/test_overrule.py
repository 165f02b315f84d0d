"""Overruling a wrong block in the composer (#14): `o` on a checklist item
marks a blocking tip or anti-pattern as met with a one-line reason, which is
saved with the draft, recorded with the email in history, and lapses when the
rule passes by itself."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Button, Input, OptionList, TextArea

from composer.drafts import load_draft
from composer.model import Email
from composer.render import render
from composer.senders import record_send
from composer.tui.commands import composer_commands
from composer.tui.panels import SHOWN_REASON
from composer.tui.screens import AskScreen, ConfirmScreen

from .conftest import RecordingApp
from .test_composer import settle

REASON = "the reply-rate data I offer is the gift"


@pytest.fixture
def no_gift(example):
    """The example draft without its offer: "Be a giver" is its only block."""
    example.offer = ""
    return example


def _prompt(app, rule: str) -> str:
    rules = app.query_one("#rules", OptionList)
    return str(rules.get_option(rule).prompt)


async def _press_o_on(pilot, rule: str) -> None:
    await pilot.press("f2")
    rules = pilot.app.query_one("#rules", OptionList)
    rules.highlighted = rules.get_option_index(rule)
    await pilot.press("o")
    await pilot.pause()


async def _overrule(pilot, rule: str, reason: str) -> None:
    await _press_o_on(pilot, rule)
    assert isinstance(pilot.app.screen, AskScreen)
    await pilot.press(*reason, "enter")
    await settle(pilot)


async def test_o_overrules_the_only_block_and_the_item_says_met_by_you(make_app, no_gift):
    app = make_app(no_gift)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert [f.rule for f in app.report.blockers] == ["giver"]
        assert app.query_one("#send", Button).disabled
        await _overrule(pilot, "giver", REASON)
        giver = app.report.finding("giver")
        assert (giver.status, giver.accepted) == ("pass", REASON)
        assert app.draft.accepted == {"giver": REASON}
        assert app.report.sendable and not app.query_one("#send", Button).disabled
        shown = _prompt(app, "giver")
        assert f"met by you: {REASON}" in shown
        assert not shown.startswith("✓"), "an overruled item is marked apart from a met one"


@pytest.mark.parametrize("rule", ["placeholders", "recycled"])
async def test_facts_about_the_text_cannot_be_overruled(make_app, example, paths, rule):
    if rule == "placeholders":
        example.point = "Would you tell me how you pick [TOPIC]?"
    else:
        to_dana = render(example)
        record_send(paths, Email(to_dana.subject, to_dana.body, "dana@example.org"), "Dana Wu")
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.report.finding(rule).blocks
        await _press_o_on(pilot, rule)
        assert not isinstance(app.screen, AskScreen)
        assert f"'{rule}' cannot be overruled" in app.notes[-1][1]
        assert app.draft.accepted == {} and app.report.finding(rule).blocks


@pytest.mark.parametrize(("rule", "says"), [("point", "met already"), ("length", "only advises")])
async def test_a_rule_that_passes_or_advises_says_why_not(make_app, no_gift, rule, says):
    no_gift.point += " " + "More words to go over the length. " * 10
    app = make_app(no_gift)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _press_o_on(pilot, rule)
        assert not isinstance(app.screen, AskScreen)
        assert says in app.notes[-1][1]
        assert app.draft.accepted == {}


async def test_an_empty_or_long_reason_is_refused_and_the_typing_kept(make_app, no_gift):
    app = make_app(no_gift)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _press_o_on(pilot, "giver")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        assert "say why 'giver' is met" in app.notes[-1][1]
        long = "y" * 201
        app.screen.query_one(Input).value = long
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        assert "200 characters at most" in app.notes[-1][1]
        assert app.screen.query_one(Input).value == long
        await pilot.press("escape")
        await settle(pilot)
        assert app.draft.accepted == {} and app.report.finding("giver").blocks
        # The longest reason is kept whole; the item shows its start.
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one(Input).value = "z" * 200
        await pilot.press("enter")
        await settle(pilot)
        assert app.draft.accepted == {"giver": "z" * 200}
        assert _prompt(app, "giver").endswith("met by you: " + "z" * (SHOWN_REASON - 1) + "…")


async def test_the_reason_is_saved_with_the_draft_and_back_on_reopening(make_app, no_gift, paths):
    app = make_app(no_gift)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _overrule(pilot, "giver", REASON)
        await app.workers.wait_for_complete()
        saved = app.draft_path
    assert load_draft(saved).accepted == {"giver": REASON}
    again = make_app(load_draft(saved))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.report.finding("giver").accepted == REASON
        assert f"met by you: {REASON}" in _prompt(again, "giver")


async def test_the_mark_is_dropped_when_the_rule_passes_by_itself(make_app, no_gift, example):
    app = make_app(no_gift)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _overrule(pilot, "giver", REASON)
        app.query_one("#offer", TextArea).focus()
        await pilot.press(*"I wrote up what worked: https://example.com/blog-sourcing-notes")
        await settle(pilot)
        giver = app.report.finding("giver")
        assert (giver.status, giver.accepted) == ("pass", "")
        assert app.draft.accepted == {}
        assert "met by you" not in _prompt(app, "giver")
        await app.workers.wait_for_complete()
        assert "[accepted]" not in app.draft_path.read_text()
        # A later failure asks again: the rule is judged by itself.
        await pilot.press(*["backspace"] * 80)
        await settle(pilot)
        assert app.report.finding("giver").blocks


async def test_a_mark_vouches_for_its_words_and_lapses_when_they_are_rewritten(make_app, example):
    # The point asks what a search answers; the user vouches for it, then asks another.
    example.point = "What is Kubernetes?"
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.report.finding("google-it").blocks
        await _overrule(pilot, "google-it", "they coined the term, so I ask them")
        assert app.report.finding("google-it").accepted
        # Another edit elsewhere keeps the mark: the words it vouched for are unchanged.
        app.query_one("#wiift", TextArea).focus()
        await pilot.press(*" Thanks.")
        await settle(pilot)
        assert app.report.finding("google-it").accepted
        app.query_one("#point", TextArea).load_text("What is Docker?")
        await settle(pilot)
        await settle(pilot)
        assert app.draft.accepted == {}
        assert app.report.finding("google-it").blocks
        assert any("vouched for" in message for _, message in app.notes)


async def test_o_on_a_met_by_you_item_withdraws_the_mark(make_app, no_gift):
    app = make_app(no_gift)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _overrule(pilot, "giver", REASON)
        await _press_o_on(pilot, "giver")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await settle(pilot)
        assert app.draft.accepted == {} and app.report.finding("giver").blocks
        assert app.query_one("#send", Button).disabled


async def test_the_palette_overrules_and_withdraws_by_name(make_app, no_gift):
    app = make_app(no_gift)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in composer_commands(app)}
        assert "Overrule: Be a giver" in commands
        commands["Overrule: Be a giver"].callback()
        await pilot.pause()
        await pilot.press(*REASON, "enter")
        await settle(pilot)
        assert app.draft.accepted == {"giver": REASON}
        commands = {c.title: c for c in composer_commands(app)}
        assert "Overrule: Be a giver" not in commands
        commands["Withdraw overrule: Be a giver"].callback()
        await pilot.pause()
        await pilot.click("#yes")
        await settle(pilot)
        assert app.draft.accepted == {}


async def test_help_lists_the_overrule_key(make_app):
    from textual.widgets import Markdown

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        help_text = app.screen.query_one(Markdown).source
        assert "| `o (on a checklist item)` | Overrule the highlighted" in help_text


async def test_a_send_records_the_reason_and_history_shows_it(
    no_gift, paths, system_clipboard, run_cli
):
    earlier = Email("Lunch", "Hi Ana,\n\nLunch on Friday?\n\nSam", "ana@example.org")
    record_send(paths, earlier, "Ana Lee")
    before = run_cli("history", "--home", str(paths.data)).out
    app = RecordingApp(no_gift, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _overrule(pilot, "giver", REASON)
        await pilot.press("ctrl+j")
        await app.workers.wait_for_complete()
        await pilot.pause()
    record = json.loads(paths.history.read_text().splitlines()[-1])
    assert record["accepted"] == {"giver": REASON}
    after = run_cli("history", "--home", str(paths.data)).out
    assert after.startswith(before), "a send without overrules lists as it did"
    added = after[len(before) :].splitlines()
    assert len(added) == 2 and "Heather Hamilton <heather@example.com>" in added[0]
    assert added[1] == f"  overruled giver: {REASON}"
