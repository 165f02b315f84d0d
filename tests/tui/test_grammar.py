"""Grammar in the composer: checked in the background, never holding up typing,
underlined in the preview and fixed with one key in the field it came from."""

from __future__ import annotations

import dataclasses
import time

import pytest
from ltserver import FakeLanguageTool
from textual.widgets import Input, OptionList, TextArea

from composer.config import Config, Grammar
from composer.tui.screens import ConfirmScreen, SlipsScreen

from .conftest import RecordingApp
from .test_composer import settle


@pytest.fixture
def server():
    with FakeLanguageTool() as fake:
        yield fake


def grammar_app(paths, draft, url: str | None = None, backend: str = "server") -> RecordingApp:
    config = Config(grammar=Grammar(backend=backend, server_url=url or ""))
    return RecordingApp(draft, paths, config=config)


async def checked(pilot, timeout: float = 10) -> None:
    """Ask for a grammar check now (no 0.7 s wait) and wait until it is shown."""
    await settle(pilot)
    pilot.app.check_grammar()
    deadline = time.monotonic() + timeout
    while pilot.app.grammar_pending:
        assert time.monotonic() < deadline, "the grammar check never came back"
        await pilot.pause(0.02)
    await pilot.pause()


def slip_words(app) -> list[str]:
    return [app.email.text[s.start : s.end] for s in app.grammar.slips]


async def test_slips_are_listed_underlined_and_fixed_in_their_field(
    paths, example, server, system_clipboard
):
    draft = dataclasses.replace(example, point="Would you recieve my notes?")
    app = grammar_app(paths, draft, server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        assert slip_words(app) == ["recieve"]
        finding = app.report.finding("grammar")
        assert finding.status == "warn" and "“recieve” → “receive”" in finding.message
        preview = app.query_one("#preview-text").render()
        start = app.email.text.index("recieve")
        assert any(
            span.start <= start < span.end and "underline" in str(span.style)
            for span in preview.spans
        )
        assert app.check_action("fix_slip", ()), "F4 shows in the footer while there are slips"
        await pilot.press("f4")
        await pilot.pause()
        assert app.query_one("#point", TextArea).text == "Would you receive my notes?"
        assert any("“recieve” → “receive” in The point" in m for _, m in app.notes)
        assert app.grammar.slips == ()
        assert not app.check_action("fix_slip", ())
        app.query_one("#point", TextArea).focus()
        await pilot.press("ctrl+z")  # the fix is an ordinary, undoable edit of the field
        assert app.query_one("#point", TextArea).text == "Would you recieve my notes?"


async def test_f4_fixes_the_slip_in_the_field_being_edited_first(paths, example, server):
    draft = dataclasses.replace(example, subject="Teh talk", point="Would you recieve my notes?")
    app = grammar_app(paths, draft, server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        assert slip_words(app) == ["Teh", "recieve"]
        app.query_one("#point", TextArea).focus()
        await pilot.press("f4")
        await pilot.pause()
        assert app.query_one("#point", TextArea).text == "Would you receive my notes?"
        assert app.query_one("#subject", Input).value == "Teh talk"
        app.query_one("#subject", Input).focus()
        await pilot.press("f4")
        await pilot.pause()
        assert app.query_one("#subject", Input).value == "The talk"


async def test_a_slip_in_the_templates_own_text_is_not_changed_but_explained(
    paths, example, server, tmp_path
):
    from composer.templates_store import Template, TemplateStore

    template = Template(
        name="typo",
        description="",
        subject="{{ subject }}",
        body="Hi {{ recipient.first_name }},\n\nTeh short version: {{ point }}\n\n{{ sender.name }}\n",
    )
    draft = dataclasses.replace(example, template="typo")
    app = RecordingApp(
        draft,
        paths,
        store=TemplateStore(extra=[template]),
        config=Config(grammar=Grammar(backend="server", server_url=server.url)),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        assert slip_words(app) == ["Teh"]
        before = app.draft
        await pilot.press("f4")
        await pilot.pause()
        assert app.draft == before
        assert any("template's own text (typo)" in m for _, m in app.notes)


async def test_typing_stays_responsive_while_a_slow_check_is_pending(paths, example, server):
    server.mode, server.delay = "slow", 3.0
    app = grammar_app(paths, example, server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.check_grammar()
        await pilot.pause(0.1)
        assert app.grammar_pending
        area = app.query_one("#point", TextArea)
        area.focus()
        started = time.monotonic()
        await pilot.press(*" Thanks!")
        await settle(pilot)
        assert time.monotonic() - started < 2.5, "typing waited for LanguageTool"
        assert area.text.endswith(" Thanks!")
        assert "Thanks!" in app.email.text
        assert app.report.finding("grammar").message == "Checking…"


async def test_a_stale_result_is_moved_onto_the_new_text_or_dropped(paths, example, server):
    server.mode, server.delay = "slow", 0.5
    draft = dataclasses.replace(example, subject="Teh talk", point="Would you recieve my notes?")
    app = grammar_app(paths, draft, server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.check_grammar()
        await pilot.pause(0.1)
        # While the check runs: the subject's typo is fixed by hand and text is
        # added before the point's, moving it.
        app.query_one("#subject", Input).value = "The talk"
        area = app.query_one("#context", TextArea)
        area.insert(" More context here.", area.document.end)
        await settle(pilot)
        deadline = time.monotonic() + 10
        while app._grammar_shown < 1:
            assert time.monotonic() < deadline
            await pilot.pause(0.02)
        await pilot.pause()
        assert app.grammar.text == app.email.text
        assert slip_words(app) == ["recieve"], "the fixed slip is gone, the other one moved"


async def test_an_overtaken_answer_is_not_shown(paths, example, server):
    app = grammar_app(paths, example, server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        shown = app.grammar
        from composer.slips import GrammarResult

        app._show_grammar(0, GrammarResult("old text", (), "x", True))
        assert app.grammar is shown


async def test_an_unreachable_server_says_so_in_the_checklist_and_spelling_still_works(
    paths, example
):
    with FakeLanguageTool() as fake:
        url = fake.url
    draft = dataclasses.replace(example, point="Would you recieve my notes?")
    app = grammar_app(paths, draft, url)
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        finding = app.report.finding("grammar")
        assert finding.status == "skip"
        assert finding.message.startswith("Grammar check unavailable:")
        assert "not reachable" in finding.message and "trying again in" in finding.message
        assert slip_words(app) == ["recieve"]
        assert app.report.sendable


async def test_names_are_not_flagged(paths, example, server):
    draft = dataclasses.replace(
        example,
        recipient=dataclasses.replace(example.recipient, name="Chidi Okonkwo"),
        point="Would Okonkwo's team share the Kubernetes notes?",
    )
    app = RecordingApp(
        draft,
        paths,
        config=Config(
            grammar=Grammar(backend="server", server_url=server.url, words=["Kubernetes"])
        ),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        assert slip_words(app) == []


async def test_the_slips_list_applies_a_chosen_suggestion_or_adds_a_word(paths, example, server):
    draft = dataclasses.replace(example, point="Would you recieve my Kubernetes notes?")
    app = grammar_app(paths, draft, server.url, backend="auto")
    async with app.run_test(size=(100, 30)) as pilot:
        await checked(pilot)
        assert {"recieve", "Kubernetes"} <= set(slip_words(app))
        app.action_list_slips()
        await pilot.pause()
        assert isinstance(app.screen, SlipsScreen)
        options = app.screen.query_one("#slips", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        add = next(i for i in ids if i and i.endswith("word:Kubernetes"))
        options.highlighted = ids.index(add)
        await pilot.press("enter")
        await checked(pilot)
        assert "Kubernetes" in paths.config_file.read_text()
        assert "Kubernetes" not in slip_words(app)
        app.action_list_slips()
        await pilot.pause()
        options = app.screen.query_one("#slips", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = next(i for i, v in enumerate(ids) if v and v.endswith("receive"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one("#point", TextArea).text == "Would you receive my Kubernetes notes?"


async def test_local_backend_asks_before_downloading_and_no_is_remembered(paths, example):
    app = grammar_app(paths, example, backend="local")
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await checked(pilot)
        assert app._grammar.checker.download_declined
        assert "download was declined" in app.report.finding("grammar").message
        assert not isinstance(app.screen, ConfirmScreen)


async def test_backend_off_says_so(paths, example):
    app = grammar_app(paths, example, backend="off")
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        finding = app.report.finding("grammar")
        assert finding.status == "skip" and 'backend = "off"' in finding.message


async def test_the_public_api_is_named_before_text_is_sent(paths, example, monkeypatch):
    monkeypatch.setattr("composer.grammar.PUBLIC_API", "http://127.0.0.1:9")
    app = grammar_app(paths, example, backend="public")
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        assert any("public API (languagetool.org)" in m for _, m in app.notes)
        assert "Grammar check unavailable" in app.report.finding("grammar").message


async def test_blocking_grammar_waits_for_the_check_before_sending(
    paths, example, server, system_clipboard
):
    draft = dataclasses.replace(example, point="Would you recieve my notes?")
    app = RecordingApp(
        draft,
        paths,
        config=Config(
            grammar=Grammar(backend="server", server_url=server.url),
            rules={"grammar": {"severity": "block"}},
        ),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        assert system_clipboard == []
        assert any("still being checked" in m for _, m in app.notes)
        await checked(pilot)
        await pilot.press("ctrl+j")
        assert system_clipboard == [] and app.report.finding("grammar").blocks


async def test_language_tool_is_tried_again_without_any_typing(paths, example, server, monkeypatch):
    monkeypatch.setattr("composer.grammar.RETRY_AFTER", (0.3,))
    server.mode = "error"
    app = grammar_app(paths, example, server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        assert not app.grammar.full
        server.mode = "ok"
        deadline = time.monotonic() + 10
        while not app.grammar.full:
            assert time.monotonic() < deadline, "LanguageTool was never tried again"
            await pilot.pause(0.05)


async def test_grammar_turned_off_in_rules_never_starts_a_check(paths, example):
    app = RecordingApp(
        example,
        paths,
        config=Config(grammar=Grammar(backend="local"), rules={"grammar": {"severity": "off"}}),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.check_grammar()
        await pilot.pause(0.2)
        assert app._grammar is None and not isinstance(app.screen, ConfirmScreen)
        assert app.report.finding("grammar").message == "Turned off in your settings."


async def test_an_enter_meant_for_a_field_does_not_accept_the_download(paths, example):
    app = grammar_app(paths, example, backend="local")
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app._grammar.checker.download_declined
        assert app.sub_title == "", "no download started"
        # Changed their mind: the palette asks again.
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Download LanguageTool" in titles


async def test_a_suggestion_with_brackets_is_shown_as_written(paths, example, server):
    from composer.slips import GrammarResult, Slip

    app = grammar_app(paths, example, server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await checked(pilot)
        at = app.email.text.index("sourcer's")
        app.grammar = GrammarResult(
            app.email.text, (Slip(at, at + 7, "Odd [b]markup[/]", ("[/]", "[red]x")),), "t", True
        )
        app.action_list_slips()
        await pilot.pause()
        assert isinstance(app.screen, SlipsScreen)
        options = app.screen.query_one("#slips", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Odd [b]markup[/]" in line for line in shown)
        assert "   → [/]" in shown and "   → [red]x" in shown
        app.notify("[Errno 28] No space left on device")
        await pilot.pause()
        assert app._notifications and "[Errno 28]" in str(list(app._notifications)[-1].message)


async def test_a_slip_in_the_signature_points_to_the_profile(paths, example, server):
    draft = dataclasses.replace(
        example, sender=dataclasses.replace(example.sender, signature="Recieve my thanks")
    )
    app = grammar_app(paths, draft, server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await checked(pilot)
        assert slip_words(app) == ["Recieve"]
        await pilot.press("f4")
        await pilot.pause()
        assert any("your signature" in m and "config.toml" in m for _, m in app.notes)


async def test_a_pick_from_a_stale_list_replaces_nothing(paths, example, server):
    draft = dataclasses.replace(example, point="Would you recieve my notes?")
    app = grammar_app(paths, draft, server.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await checked(pilot)
        app.action_list_slips()
        await pilot.pause()
        area = app.query_one("#point", TextArea)
        area.load_text("Would you take my notes?")  # changed while the list was open
        options = app.screen.query_one("#slips", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = next(i for i, v in enumerate(ids) if v and v.endswith("receive"))
        await pilot.press("enter")
        await pilot.pause()
        assert area.text == "Would you take my notes?"
        assert any("changed since it was checked" in m for _, m in app.notes)


async def test_blocking_grammar_does_not_wait_for_the_speller(paths, example, system_clipboard):
    """Only LanguageTool's answer can block, so without it sending never waits."""
    app = RecordingApp(example, paths, config=Config(rules={"grammar": {"severity": "block"}}))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        assert system_clipboard, "sent at once"
