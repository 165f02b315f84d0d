"""Notifications read markup: Textual's own use it ("Press [b]ctrl+q[/b]"),
and a user's or a file's text in one is shown exactly as written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets._toast import Toast

from composer.model import Draft
from composer.safe_text import visible
from composer.tui.literal import literal

from .test_composer import settle

MARKUP = "[b]x[/b] [link=https://evil.example]y[/link] [$accent]z [@click=app.quit]w[/]"


def shown_toasts(app) -> list[str]:
    """The text of every notification on screen, as the terminal shows it."""
    return [toast.render().plain for toast in app.screen.query(Toast)]


async def test_ctrl_c_says_how_to_quit_without_raw_markup(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.query_one("#rules", OptionList).focus()  # a field takes ctrl+c as copy
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert any("Press ctrl+q to quit the app" in text for text in shown_toasts(app))
        assert not any("[b]" in text for text in shown_toasts(app))


async def test_a_template_name_with_markup_is_shown_as_written(make_app):
    app = make_app(Draft(), template=MARKUP)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert any(f"No template named '{MARKUP}'" in text for text in shown_toasts(app))


async def test_a_draft_file_named_with_markup_is_shown_as_written(make_app, paths):
    paths.drafts.mkdir(parents=True, exist_ok=True)
    broken = paths.drafts / "[$accent]Bo [on red]x [b]y.toml"  # a file name holds no "/"
    broken.write_text("recipient = [", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.open_draft(broken)
        await pilot.pause()
        assert any(broken.name in text for text in shown_toasts(app))


@given(st.text())
def test_literal_markup_shows_any_text_as_written(text):
    assert Content.from_markup(literal(text)).plain == visible(text)
