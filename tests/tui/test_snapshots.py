"""The main screen as pictures (SVG), at the smallest supported terminal and a big one.

Regenerate after an intended visual change with:
    .venv/bin/python -P -m pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Input, TextArea

from composer.tui.app import ComposerApp


async def _steady(pilot) -> None:
    """No blinking cursor and no pending update, so the picture is the same every run."""
    for widget in pilot.app.query(Input):
        widget.cursor_blink = False
    for widget in pilot.app.query(TextArea):
        widget.cursor_blink = False
    from composer.tui.form import GuidedForm

    while not pilot.app.query_one(GuidedForm).complete:
        await pilot.pause()
    pilot.app.refresh_panels()
    pilot.app.check_grammar()
    for _ in range(200):
        if not pilot.app.grammar_pending:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    await pilot.pause()


@pytest.fixture
def blocked(example):
    return dataclasses.replace(example, point="I'd love to synch up sometime!", offer="")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_sendable_draft(snap_compare, example, paths, system_clipboard, size):
    assert snap_compare(ComposerApp(example, paths), terminal_size=size, run_before=_steady)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_blocked_draft(snap_compare, blocked, paths, system_clipboard, size):
    assert snap_compare(ComposerApp(blocked, paths), terminal_size=size, run_before=_steady)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_phone_view(snap_compare, example, paths, system_clipboard, size):
    """F5 on a subject a phone cuts: the inbox row, the reading time, the email at 40 columns."""
    draft = dataclasses.replace(
        example, subject="Your ERE talk about reading candidates' blogs first"
    )

    async def open_phone(pilot) -> None:
        await _steady(pilot)
        await pilot.press("f5")
        await pilot.pause()

    assert snap_compare(ComposerApp(draft, paths), terminal_size=size, run_before=open_phone)


@pytest.mark.parametrize("theme", ["outreach-dark", "outreach-light", "outreach-contrast"])
def test_each_shipped_theme(snap_compare, blocked, paths, system_clipboard, theme):
    from composer.config import Config

    app = ComposerApp(blocked, paths, config=Config(theme=theme))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_steady)


# Pictures for the docs (README.md, docs/composer.md, docs/grammar.md link to
# these files): regenerated with the rest, so they never show an old screen.


def test_docs_a_typo_and_the_slips_list(snap_compare, example, paths, system_clipboard):
    """An offline-spelling slip, underlined, with its suggestions open."""
    draft = dataclasses.replace(example, point=example.point.replace("which blogs", "wich blogs"))

    async def open_slips(pilot) -> None:
        await _steady(pilot)
        pilot.app.action_list_slips()
        await pilot.pause()

    app = ComposerApp(draft, paths)
    assert snap_compare(app, terminal_size=(100, 30), run_before=open_slips)


def test_docs_the_help_screen(snap_compare, example, paths, system_clipboard):
    async def open_help(pilot) -> None:
        await _steady(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(ComposerApp(example, paths), terminal_size=(100, 30), run_before=open_help)
