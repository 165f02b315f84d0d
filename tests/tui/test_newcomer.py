"""What a new user tripped on in the first hour: the help that did not say
how to close it, and ctrl+k in a long paragraph."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from .test_composer import settle
from .test_escapes import screen_text


@pytest.mark.parametrize("key", ["escape", "f1", "q"])
async def test_the_help_says_how_to_close_it_and_that_key_closes_it(make_app, key):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert "Escape, F1 or q closes the help" in screen_text(app)
        await pilot.press("pagedown", "pagedown")  # still in sight once scrolled
        await pilot.pause()
        assert "Escape, F1 or q closes the help" in screen_text(app)
        await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ != "HelpScreen"


LONG = (
    "I was at your talk on sourcing last week and wrote up the three questions the room "
    "asked most, with what each answer changed for us"
)


async def test_ctrl_k_deletes_to_the_end_of_the_paragraph_not_the_wrapped_row(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        area = app.query_one("#context", TextArea)
        area.focus()
        area.text = f"{LONG}\nSecond paragraph."
        await pilot.pause()
        assert area.wrapped_document.height > 2  # the first paragraph wraps here
        area.move_cursor((0, 5))
        await pilot.press("ctrl+k")
        assert area.text == "I was\nSecond paragraph."
        await pilot.press("ctrl+k")  # at a paragraph's end: joins the next
        assert area.text == "I wasSecond paragraph."
        await settle(pilot)
        assert app.draft.context == "I wasSecond paragraph."
