"""The composer shows a user's text, never sends it to the terminal as commands.

Textual writes a widget's text to the terminal as it is: an OSC 52 sequence
in a recipient's name set the clipboard, another set the pane title
(tests/test_terminal.py shows it in tmux). Here the check is on what the
screen would send: the text of every segment on it (the app's own colours
and cursor moves are not text), with hostile text in every place a file or
a paste can put it.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.strip import Strip
from textual.widgets import Input, TextArea

from composer.model import Draft, Recipient
from composer.safe_text import has_controls

from .conftest import RecordingApp
from .test_composer import settle

CLIPBOARD_HIJACK = "\x1b]52;c;" + base64.b64encode(b"rm -rf ~/*").decode() + "\x07"
TITLE = "\x1b]2;PWNED\x07"
C1 = "\x9b2J\x85"
HOSTILE = CLIPBOARD_HIJACK + TITLE + C1 + "\x7f\x00\r"

TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def screen_text(app) -> str:
    """The text of every segment the terminal would be sent for the screen now."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    texts = []
    for line in update.strips:
        for strip in [line] if isinstance(line, Strip) else line:
            texts += [segment.text for segment in strip if not segment.control]
    return "".join(texts)


def assert_nothing_obeyed(app) -> None:
    text = screen_text(app)
    found = TERMINAL_CONTROL.search(text)
    assert found is None, f"{found.group()!r} reaches the terminal: {text!r}"


def hostile_draft(text: str = HOSTILE) -> Draft:
    return Draft(
        subject=f"Notes {text}",
        point=f"Would you share how you pick blogs? {text}",
        context=f"I read your post {text}",
        recipient=Recipient(name=f"Bob {text}", email="bob@example.com", company=text),
    )


async def test_a_hostile_draft_loads_without_its_control_characters(paths, system_clipboard):
    app = RecordingApp(hostile_draft(), paths)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert_nothing_obeyed(app)
        for field in ("recipient-name", "recipient-company", "subject"):
            assert not has_controls(app.query_one(f"#{field}", Input).value)
        assert (
            app.query_one("#recipient-name", Input).value == "Bob ]52;c;cm0gLXJmIH4vKg==]2;PWNED2J"
        )
        assert not has_controls(app.query_one("#point", TextArea).text)
        assert not has_controls(app.email.text)
        warnings = [m for s, m in app.notes if s == "warning"]
        assert any(
            m.startswith("Removed control characters from Recipient: Name, Recipient: Company")
            for m in warnings
        ), warnings
        await pilot.press("ctrl+j")  # blocked or sent, no escape reaches a clipboard
        await pilot.pause()
        assert not has_controls(app.clipboard)
        assert not any(has_controls(text) for text in system_clipboard)


@pytest.mark.parametrize("field", ["recipient-name", "point"])
async def test_a_paste_loses_its_control_characters_with_a_notice(make_app, field):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        widget = app.query_one(f"#{field}")
        widget.focus()
        await pilot.pause()
        widget.post_message(events.Paste(f"Ana{CLIPBOARD_HIJACK} Ruiz"))
        await settle(pilot)
        value = widget.value if isinstance(widget, Input) else widget.text
        assert "Ana]52;c;cm0gLXJmIH4vKg== Ruiz" in value
        assert not has_controls(value)
        assert not has_controls(app.draft.to_toml())
        assert any("Removed control characters" in m for _, m in app.notes)
        assert_nothing_obeyed(app)


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (control characters as \\u escapes)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def hostile_template_store(text: str = HOSTILE):
    from composer.templates_store import TemplateStore, parse_template

    body = "Hi {{ recipient.first_name }},\n\n{{ point }}\n\n" + text + "\n\nBest,\nSam\n"
    source = (
        f'name = "evil"\ndescription = {toml_string(text)}\n'
        f'subject = "{{{{ subject }}}}"\nbody = {toml_string(body)}\n'
    )
    return TemplateStore(extra=[parse_template(source, "evil.toml", "team", "evil")])


async def test_a_hostile_template_is_shown_and_its_email_not_sent(paths, example, system_clipboard):
    example.template = "evil"
    app = RecordingApp(example, paths, store=hostile_template_store())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert has_controls(app.email.text)  # the template's own text holds them
        assert "␛]52;c;" in str(app.query_one("#preview-text").render())
        assert_nothing_obeyed(app)
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert app.clipboard == ""
        assert system_clipboard == []
        errors = [m for s, m in app.notes if s == "error"]
        assert errors and "control character, ESC (U+001B) at line" in errors[-1]
        assert_nothing_obeyed(app)  # the notification quotes nothing raw either


async def test_the_command_palette_shows_hostile_names(paths, example, system_clipboard):
    app = RecordingApp(example, paths, store=hostile_template_store("[b]x[/b]" + HOSTILE))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Template: evil")
        await pilot.pause(0.5)
        assert "[b]x[/b]" in screen_text(app) or "evil" in screen_text(app)
        assert_nothing_obeyed(app)


async def test_the_recent_contact_warning_shows_a_hostile_subject(paths, example, system_clipboard):
    from composer.model import Email
    from composer.senders import record_send

    record_send(
        paths,
        Email(subject=f"[b]Notes[/b] {HOSTILE}", body="Hi", to=example.recipient.email),
        "Heather",
    )
    app = RecordingApp(example, paths)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        warning = str(app.query_one("#recent-contact").content)
        assert "“[b]Notes[/b] ␛]52;c;" in warning
        assert_nothing_obeyed(app)


async def test_dialogs_and_the_slips_list_show_hostile_text(make_app):
    from composer.slips import Slip
    from composer.tui.screens import AskScreen, ConfirmScreen, SlipsScreen

    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        slip = Slip(0, 3, f"Possible typo {HOSTILE}", (f"fix{HOSTILE}",), spelling=True)
        for screen in (
            SlipsScreen([(f"Bob{HOSTILE}", slip, f"in {HOSTILE}", True)]),
            ConfirmScreen(f"Delete {HOSTILE}?"),
            AskScreen(f"Rename template '[b]{HOSTILE}' as:", f"evil{HOSTILE}"),
        ):
            app.push_screen(screen)
            await pilot.pause()
            assert_nothing_obeyed(app)
            app.pop_screen()
            await pilot.pause()


async def test_the_terminal_clipboard_never_gets_a_control_character(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.copy_to_clipboard(f"Hi Bob{CLIPBOARD_HIJACK}\r\nBest,\tSam")
        assert app.clipboard == "Hi Bob]52;c;cm0gLXJmIH4vKg==\nBest,\tSam"


async def test_notifications_show_hostile_file_names(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.notify(f"Could not save /tmp/{HOSTILE}.eml", title=f"Saved {TITLE}")
        await pilot.pause(0.3)
        assert "PWNED␇" in screen_text(app)
        assert_nothing_obeyed(app)


async def test_keys_typed_while_the_app_starts_reach_the_first_field(paths, system_clipboard):
    """The terminal delivers keys typed during start-up before any widget has
    the focus; they used to be dropped (seen in tmux, tests/test_terminal.py)."""

    class TypedEarly(RecordingApp):
        def on_mount(self) -> None:
            # Runs before the composer's own on_mount gives the first field the focus.
            for key in "Zelda":
                self.post_message(events.Key(key, key))

    app = TypedEarly(Draft(), paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        await settle(pilot)
        assert app.query_one("#recipient-name", Input).value == "Zelda"
        assert app.draft.recipient.name == "Zelda"
        assert app.unsent  # typed, so autosaved and kept on quit


# ----- the property: random control characters in every field -----

CONTROLS = st.sampled_from(
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n"]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [CLIPBOARD_HIJACK, TITLE, "\x1b[2J", "\x1bP"]
)
PIECES = st.lists(
    st.one_of(CONTROLS, st.text(st.characters(codec="utf-8"), max_size=6)), max_size=8
).map("".join)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=PIECES, point=PIECES, subject=PIECES, company=PIECES)
async def test_no_control_character_from_a_draft_reaches_the_screen(
    paths, system_clipboard, name, point, subject, company
):
    draft = Draft(
        subject=subject,
        point=point,
        recipient=Recipient(name=name, email="bob@example.com", company=company),
    )
    app = RecordingApp(draft, paths)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert_nothing_obeyed(app)
        assert app.email is None or not has_controls(app.email.text)
