"""F5, the phone view: the email as its recipient first sees it."""

from __future__ import annotations

import dataclasses

from textual.widgets import Input, Static

from composer.phone import READING_BUDGET_SECONDS, say_seconds
from composer.tui.phone import PhoneScreen

from .test_composer import settle

LONG_SUBJECT = "Your ERE talk about reading candidates' blogs first"


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_f5_opens_the_phone_view_and_f5_or_escape_goes_back(make_app, example):
    draft = dataclasses.replace(example, subject=LONG_SUBJECT)
    app = make_app(draft)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, PhoneScreen)
        inbox = shown(app, "#phone-inbox").splitlines()
        assert inbox == [
            "Sam Ortiz",
            "Your ERE talk about reading…",
            "I'm a recruiter at Northwind, and I was…",
        ]
        words = app.report.stats.words
        reading = shown(app, "#phone-reading")
        assert f"({words} words)" in reading
        assert f"budget {say_seconds(READING_BUDGET_SECONDS)}" in reading
        opened = shown(app, "#phone-text").splitlines()
        assert opened[0] == "Your ERE talk about reading candidates'"
        assert "https://example.com/blog-sourcing-notes" in opened
        assert all(len(line) <= 40 for line in opened)
        await pilot.press("f5")
        await pilot.pause()
        assert not isinstance(app.screen, PhoneScreen)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, PhoneScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PhoneScreen)
        assert app.focused is not None and app.focused.id == "recipient-name"


async def test_the_phone_view_shows_the_email_as_it_is_now(make_app, example):
    """A key pressed right after typing shows what was typed, not the last render."""
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        subject = app.query_one("#subject", Input)
        subject.value += " today"
        app.action_phone_view()
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, PhoneScreen)
        assert "Your ERE talk: our numbers today" in shown(app, "#phone-inbox")


async def test_a_long_email_is_over_the_reading_budget(make_app, example):
    long_offer = " ".join(["We tried it for six months and kept notes."] * 30)
    app = make_app(dataclasses.replace(example, offer=long_offer))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert "over the 40 s budget" in shown(app, "#phone-reading")


async def test_the_palette_opens_the_phone_view(make_app, example):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Phone view")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PhoneScreen)


async def test_help_lists_the_phone_key(make_app, example):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        from textual.widgets import Markdown

        assert (
            "| `f5` | The email as a phone's inbox shows it"
            in app.screen.query_one(Markdown).source
        )


async def test_a_long_subject_and_length_point_at_the_phone_view(make_app, example):
    long_offer = " ".join(["We tried it for six months and kept notes."] * 30)
    draft = dataclasses.replace(example, subject=LONG_SUBJECT, offer=long_offer)
    app = make_app(draft)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rules = app.query_one("#rules")
        for rule in ("subject", "length"):
            assert app.report.finding(rule).status == "warn"
            prompt = str(rules.get_option(rule).prompt)
            assert prompt.endswith("See how it looks on a phone: f5."), prompt
        assert "phone" not in str(rules.get_option("questions").prompt)


async def test_a_template_error_leaves_nothing_to_show_and_says_so(paths, system_clipboard):
    from composer.model import Draft
    from composer.templates_store import TemplateStore, parse_template

    from .conftest import RecordingApp

    broken = parse_template('subject = "x"\nbody = "{{ nope }}"\n', "b.toml", "test", "broken")
    app = RecordingApp(Draft(template="broken"), paths, store=TemplateStore(extra=[broken]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert not isinstance(app.screen, PhoneScreen)
        assert (
            "warning",
            "No email to show on a phone: fix the template error in the preview first.",
        ) in app.notes
