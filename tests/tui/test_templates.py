"""Templates in the composer: what saving one keeps, what a draft started from
one holds, and the picker's description and example text for each kind of email."""

from __future__ import annotations

import tomllib

from textual.widgets import Input, Select, Static, TextArea

from composer.model import Draft
from composer.templates_store import TemplateStore

from .test_composer import settle

SHARE_ARTICLE_WIIFT = "No reply needed: I just thought you'd find it useful."


def _text(app, field_id: str) -> str:
    widget = app.query_one(f"#{field_id}")
    return widget.text if isinstance(widget, TextArea) else widget.value


async def test_saving_a_template_leaves_the_person_out(make_app, example, paths):
    from composer.tui.ticklist import TickList

    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        keep = app.screen.query_one("#template-keep", TickList)
        assert set(keep.selected) == {"context", "offer"}
        why = str(app.screen.query_one("#template-why", Static).render())
        assert "about one person" in why
        # Ticked and unticked differ by glyph, not only by colour.
        boxes = {
            keep.get_option_at_index(row).value: keep.render_line(row).text[:3]
            for row in range(keep.option_count)
        }
        assert boxes["context"] == "[x]" and boxes["offer"] == "[x]"
        assert boxes["research"] == boxes["point"] == boxes["recipient"] == "[ ]"
        app.screen.query_one("#template-name", Input).value = "ere-follow-up"
        await pilot.click("#ok")
        await pilot.pause()
    saved = tomllib.loads((paths.templates / "ere-follow-up.toml").read_text())
    assert saved["defaults"] == {"context": example.context, "offer": example.offer}
    assert example.research not in saved["body"] and example.point not in saved["body"]
    assert example.recipient.name not in saved["body"]


async def test_a_new_draft_from_a_saved_template_shows_what_it_kept(make_app, example, paths):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#template-name", Input).value = "ere-follow-up"
        await pilot.click("#ok")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await settle(pilot)
        app.query_one("#template", Select).value = "ere-follow-up"
        await settle(pilot)
        assert _text(app, "context") == example.context
        assert _text(app, "offer") == example.offer
        for field_id in ("research", "point", "recipient-name", "recipient-company"):
            assert _text(app, field_id) == "", field_id
        assert example.research not in app.email.body
        assert example.offer in app.email.body
        # A fresh draft while the template is picked starts the same way.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert _text(app, "offer") == example.offer and _text(app, "research") == ""


async def test_switching_templates_keeps_typed_text_and_takes_back_untouched_defaults(make_app):
    app = make_app(Draft(point="Would you try it?"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        picker = app.query_one("#template", Select)
        picker.value = "share-article"
        await settle(pilot)
        assert _text(app, "wiift") == SHARE_ARTICLE_WIIFT
        assert SHARE_ARTICLE_WIIFT in app.email.body
        picker.value = "share-and-ask"
        await settle(pilot)
        assert _text(app, "wiift") == "" and _text(app, "point") == "Would you try it?"
        picker.value = "share-article"
        await settle(pilot)
        app.query_one("#wiift", TextArea).load_text("Mine, changed.")
        picker.value = "talk-follow-up"
        await settle(pilot)
        assert _text(app, "wiift") == "Mine, changed."


async def test_a_draft_that_relied_on_a_default_opens_with_it_as_a_value(make_app):
    app = make_app(Draft(template="share-article", point="Would you try it?"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _text(app, "wiift") == SHARE_ARTICLE_WIIFT
        assert SHARE_ARTICLE_WIIFT in app.email.body
        # Cleared, it is gone from the email too: the form and the email agree.
        app.query_one("#wiift", TextArea).load_text("")
        await settle(pilot)
        assert SHARE_ARTICLE_WIIFT not in app.email.body


async def test_the_example_text_follows_the_template(make_app):
    examples = {spec.name: spec.examples for spec in TemplateStore().listed()}
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        research = app.query_one("#research", TextArea)
        assert research.placeholder == "e.g. " + examples["share-and-ask"]["research"]
        app.query_one("#template", Select).value = "maintainer-patch"
        await settle(pilot)
        assert research.placeholder == "e.g. " + examples["maintainer-patch"]["research"]
        name = app.query_one("#recipient-name", Input)
        assert name.placeholder == "e.g. " + examples["maintainer-patch"]["recipient.name"]
        assert (
            app.query_one("#subject", Input).placeholder
            == "e.g. " + examples["maintainer-patch"]["subject"]
        )
        assert "Lena" not in app.email.text  # example text never reaches the email
        # An empty signature must not look signed: its grey text says it is an example.
        assert app.query_one("#sender-name", Input).placeholder.startswith("e.g. ")


async def test_the_picker_shows_the_templates_description(make_app):
    store = TemplateStore()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        about = app.query_one("#template-about", Static)
        assert str(about.render()) == store.get("share-and-ask").description
        app.query_one("#template", Select).value = "student-to-author"
        await settle(pilot)
        assert str(about.render()) == store.get("student-to-author").description


async def test_saving_checks_the_text_every_email_from_the_template_starts_with(make_app, example):
    from dataclasses import replace

    app = make_app(
        replace(example, context="You are brilliant and your work is amazing.", offer="")
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#template-name", Input).value = "fan"
        await pilot.click("#ok")
        await pilot.pause()
    warnings = [m for s, m in app.notes if s == "warning"]
    assert any("fixed text trips flattery" in m for m in warnings), app.notes


async def test_a_templates_description_is_shown_as_text_never_obeyed(paths, system_clipboard):
    from composer.templates_store import user_store

    from .conftest import RecordingApp

    paths.templates.mkdir(parents=True)
    (paths.templates / "odd.toml").write_text(
        'description = "[b]bold?[/b] \\u001b[31mred\\nsecond line"\n'
        'subject = "{{ subject }}"\nbody = "{{ point }}"\n'
    )
    app = RecordingApp(Draft(), paths, template="odd", store=user_store(paths, []))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = str(app.query_one("#template-about", Static).render())
        assert "[b]bold?[/b]" in shown and "\x1b" not in shown and "\n" not in shown


async def test_a_templates_description_tooltip_and_examples_are_shown_never_obeyed(
    paths, system_clipboard
):
    from textual.visual import visualize

    from composer.templates_store import user_store

    from .conftest import RecordingApp

    paths.templates.mkdir(parents=True)
    (paths.templates / "odd.toml").write_text(
        'description = "closes [/b] what it never opened"\n'
        'subject = "{{ subject }}"\nbody = "{{ point }}"\n'
        '[examples]\nsubject = "\\u001b]0;pwned\\u001b\\\\ hi"\n'
    )
    app = RecordingApp(Draft(), paths, template="odd", store=user_store(paths, []))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        about = app.query_one("#template-about", Static)
        # What hovering shows: a str tooltip is read as markup, and "[/b]" crashed the app.
        tip = visualize(about, about.tooltip)
        assert "closes [/b] what it never opened" in str(tip)
        placeholder = str(app.query_one("#subject", Input).placeholder)
        assert "\x1b" not in placeholder and "]0;pwned" in placeholder
