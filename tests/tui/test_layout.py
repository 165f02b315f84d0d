"""The screen's shares: the email gets the width it needs at 80x24 and 120x40."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Static

from .test_composer import settle

LINK = "https://example.com/blog/2026/sourcing"


def preview_lines(app) -> list[str]:
    """The preview's lines as drawn on the screen."""
    text = app.query_one("#preview-text", Static)
    return [text.render_line(y).text.rstrip() for y in range(text.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_a_link_that_fits_on_a_line_is_not_broken(make_app, example, size):
    assert len(LINK) <= 40
    draft = dataclasses.replace(
        example, offer=f"We tried it for six months, and I wrote up what worked: {LINK}"
    )
    app = make_app(draft)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        lines = preview_lines(app)
        assert any(LINK in line for line in lines), lines
        assert all(len(line) <= app.query_one("#preview-text").size.width for line in lines)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_a_met_rule_takes_one_line(make_app, example, size):
    """Rule ids do not take a second line: they are in the tooltip and in F1's help."""
    app = make_app(example)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        rules = app.query_one("#rules")
        lines = [rules.render_line(y).text.strip() for y in range(rules.size.height)]
        titles = {f"✓ {f.title}" for f in app.report.findings if f.status == "pass"}
        shown = [index for index, line in enumerate(lines) if line in titles]
        assert len(shown) >= 5, lines
        for index in shown:
            following = lines[index + 1] if index + 1 < len(lines) else ""
            assert following[:1] in ("", "✓", "✗", "!", "–"), lines


async def test_the_highlighted_rules_id_is_in_the_checklists_tooltip(make_app, example):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        rules = app.query_one("#rules")
        rules.highlighted = rules.get_option_index("giver")
        await pilot.pause()
        assert "Be a giver (giver): " in str(rules.tooltip)


async def test_a_failing_rules_message_keeps_its_last_line_when_the_list_scrolls(make_app, example):
    """Items laid out before the list's scrollbar appeared lost their last line to it."""
    from .test_snapshots import _steady

    draft = dataclasses.replace(example, point="I'd love to synch up sometime!", offer="")
    app = make_app(draft)
    async with app.run_test(size=(120, 40)) as pilot:
        await _steady(pilot)
        rules = app.query_one("#rules")
        assert rules.max_scroll_y > 0
        lines = [rules.render_line(y).text.strip() for y in range(rules.size.height)]
        message = app.report.finding("point").message
        assert " ".join(message.split()) in " ".join(" ".join(lines).split()), lines
