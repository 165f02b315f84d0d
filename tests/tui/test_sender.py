"""An email says who it is from: the first-run profile, and the send gate
that asks for it when the email would go out unsigned."""

from __future__ import annotations

import json
from dataclasses import replace

from textual.widgets import Button, Input, Label

from composer.config import load_config
from composer.model import Draft, Recipient, Sender
from composer.templates_store import TemplateStore, parse_template

from .conftest import RecordingApp
from .test_composer import settle


def unsigned(example: Draft) -> Draft:
    return replace(example, sender=Sender())


async def skip_first_run(pilot) -> None:
    await settle(pilot)
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "ProfileScreen"
    await pilot.press("escape")
    await pilot.pause()


async def test_a_fresh_home_asks_who_you_are_and_the_welcome_fits_80_columns(paths):
    app = RecordingApp(Draft(), paths, first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert type(app.screen).__name__ == "ProfileScreen"
        welcome = app.screen.query_one("#profile-welcome", Label)
        assert "Welcome" in str(welcome.render())
        assert welcome.size.height == 1  # one line, not wrapped
        assert welcome.region.right <= 78
        assert app.screen.query_one("#profile-dialog").region.bottom <= 24
        assert app.screen.query_one("#profile-name", Input).placeholder.startswith("e.g.")


async def test_enter_moves_between_first_run_fields_and_only_the_last_saves(paths):
    app = RecordingApp(Draft(), paths, first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert app.focused.id == "profile-name"
        await pilot.press(*"Sam Ortiz", "enter")
        assert type(app.screen).__name__ == "ProfileScreen"
        assert app.focused.id == "profile-role"
        await pilot.press(*"Recruiter", "enter")
        assert app.focused.id == "profile-company"
        await pilot.press("enter")
        assert app.focused.id == "profile-bio"
        assert type(app.screen).__name__ == "ProfileScreen"
        assert not paths.config_file.exists()
        await pilot.press(*"I maintain acme-etl", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ != "ProfileScreen"
        await settle(pilot)
        assert app.email.body.endswith("Sam Ortiz\nRecruiter\nI maintain acme-etl\n")
    profile = load_config(paths)[0].profile
    assert (profile.name, profile.role) == ("Sam Ortiz", "Recruiter")


async def test_an_unsigned_email_asks_who_it_is_from_instead_of_sending(
    paths, example, system_clipboard
):
    app = RecordingApp(unsigned(example), paths, first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await skip_first_run(pilot)
        await settle(pilot)
        assert app.report.sendable and not app.query_one("#send", Button).disabled
        assert app.email.body.rstrip().endswith("Best,")
        # The checklist does not call it ready without saying what ctrl+j will ask.
        assert app.query_one("#checklist").border_subtitle == "ready, but unsigned"
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert type(app.screen).__name__ == "ProfileScreen"
        reason = str(app.screen.query_one("#profile-welcome", Label).render())
        assert reason == "Say who this is from before it goes out."
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert len(app.screen_stack) == 2  # asked once, however often ctrl+j is pressed
        assert app.clipboard == "" and system_clipboard == []
        assert not paths.history.exists()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ != "ProfileScreen"
        assert any("Not sent: the email does not say who it is from" in m for _, m in app.notes)
        # The note names what works: ctrl+j again only asks again, never sends unsigned.
        note = next(m for _, m in app.notes if "does not say who" in m)
        assert "under Signature" in note and "ctrl+j again" not in note
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert type(app.screen).__name__ == "ProfileScreen"
    assert app.clipboard == "" and system_clipboard == []
    assert not paths.history.exists()


async def test_after_saving_a_profile_the_email_is_signed_and_sent(
    paths, example, system_clipboard
):
    app = RecordingApp(unsigned(example), paths, first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await skip_first_run(pilot)
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert type(app.screen).__name__ == "ProfileScreen"
        await pilot.press(*"Sam Ortiz", "enter", "enter", "enter", "enter")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.email.body.endswith("Best,\nSam Ortiz\n")
        assert app.clipboard == app.email.text
        assert system_clipboard == [app.email.text]
    record = json.loads(paths.history.read_text().splitlines()[-1])
    assert record["text"].endswith("Sam Ortiz\n")
    assert load_config(paths)[0].profile.name == "Sam Ortiz"


async def test_a_draft_that_names_its_sender_sends_without_asking(paths, example, system_clipboard):
    app = RecordingApp(replace(example, sender=Sender(name="Dana Wu")), paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert app.clipboard.endswith("Dana Wu\n")
    assert paths.history.exists()


async def test_a_user_template_with_no_fallback_never_reaches_ready_to_send(
    paths, example, system_clipboard
):
    bare = parse_template(
        'subject = "{{ subject }}"\n'
        'body = "Hi {{ recipient.first_name }},\\n\\n{{ context }} {{ research }}\\n\\n'
        '{{ offer }}\\n\\n{{ point }} {{ wiift }}\\n\\nBest,\\n{{ sender.name }}\\n"\n',
        "bare.toml",
        "yours",
        "bare",
    )
    draft = replace(example, template="bare", recipient=Recipient(email="heather@example.com"))
    app = RecordingApp(draft, paths, store=TemplateStore(extra=[bare]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Hi ,\n" in app.email.body
        assert not app.report.sendable
        assert app.report.finding("placeholders").status == "fail"
        assert "names no one" in app.report.finding("greeting").message
        assert app.query_one("#send", Button).disabled
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert app.clipboard == "" and system_clipboard == []
    assert not paths.history.exists()


async def test_the_about_you_field_signs_this_email_and_a_saved_template_keeps_it_a_variable(
    paths, example
):
    app = RecordingApp(example, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bio = app.query_one("#sender-bio", Input)
        bio.value = "I maintain yamlette"
        await settle(pilot)
        assert app.email.body.rstrip().endswith("I maintain yamlette")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"signed", "enter")
        await settle(pilot)
    saved = (paths.templates / "signed.toml").read_text(encoding="utf-8")
    assert "{{ sender.bio }}" in saved and "I maintain yamlette" not in saved
