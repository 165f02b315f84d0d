"""What a new user tripped on in the first hour: the help that did not say
how to close it, ctrl+k in a long paragraph, and a burst of keys from a
text expander landing in the wrong fields."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import TextArea

from composer.model import Draft
from composer.tui.form import GuidedForm, field_value

from .conftest import RecordingApp
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


# In Tab order, every field of the form, from the first step to the last.
BURST = {
    "recipient-name": "Ada Lovelace",
    "recipient-email": "ada",
    "recipient-company": "Analytical Engines",
    "recipient-role": "Countess",
    "context": "I read your notes",
    "research": "Your note G computes Bernoulli numbers",
    "point": "Would you show me how note G loops",
    "wiift": "A port of note G",
    "offer": "The port is attached",
    "subject": "Note G in Python",
    "sender-name": "Charles Babbage",
    "sender-role": "Engineer",
    "sender-company": "Difference Ltd",
}


async def test_a_burst_typed_as_the_app_starts_fills_each_field_in_order(paths, system_clipboard):
    """A text expander fired as the composer opens: the Tabs among the keys
    reach the steps the form builds after the first frame, each in turn."""

    class TypedEarly(RecordingApp):
        def on_mount(self) -> None:
            # Runs before the composer's own on_mount builds the form's first frame.
            for text in BURST.values():
                for char in text:
                    self.post_message(events.Key("space" if char == " " else char, char))
                self.post_message(events.Key("tab", None))

    app = TypedEarly(Draft(), paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        await settle(pilot)
        form = app.query_one(GuidedForm)
        typed = form.read_draft(app.draft)
        assert {field: field_value(typed, field) for field in BURST} == BURST


async def test_f3_goes_back_to_the_field_you_left_not_the_first_one(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#research", TextArea).focus()
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert app.focused.id == "research"


async def test_f6_opens_the_history_from_a_multi_line_field(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#point", TextArea).focus()
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"
