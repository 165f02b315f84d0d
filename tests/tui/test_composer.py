"""The composer driven as a user would: typing, the gate, sending, focus."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Button, OptionList, Select, TextArea

from composer.render import render
from composer.tui import drafts as drafts_room
from composer.tui.panels import EmailPreview


async def settle(pilot) -> None:
    """Wait until the debounced update has run (the machine may be slow; no fixed sleep)."""
    await pilot.pause()
    for _ in range(200):
        if not pilot.app.refresh_pending:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the debounced update never ran")


async def test_opens_with_focus_on_the_recipients_name(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.focused is not None and app.focused.id == "recipient-name"


async def test_typing_updates_preview_and_checklist(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.report.finding("point").status == "fail"
        app.query_one("#point", TextArea).focus()
        await pilot.press(*"Would you share how you run intake meetings?")
        await settle(pilot)
        assert "Would you share how you run intake meetings?" in app.email.body
        assert app.report.finding("point").status == "pass"
        preview = str(app.query_one("#preview-text").render())
        assert "intake meetings" in preview


async def test_a_burst_of_edits_costs_one_update(make_app):
    """Edits only restart the one debounce timer; the work runs once they stop."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        calls = []
        real = app.refresh_panels
        app._refresh_timer._callback = lambda: (calls.append(1), real())
        for _ in range(20):
            app.schedule_refresh()
        assert calls == []  # nothing ran while "typing"
        await settle(pilot)
        assert len(calls) == 1


async def test_send_is_refused_while_a_tip_is_unmet(make_app, paths, system_clipboard):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.query_one("#send", Button).disabled
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert app.clipboard == ""
        assert system_clipboard == []
        errors = [m for s, m in app.notes if s == "error"]
        assert errors and "have a point" in errors[-1].lower()
        assert not paths.history.exists()


async def test_send_copies_exactly_the_rendered_email_and_records_it(
    make_app, example, paths, system_clipboard
):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.query_one("#send", Button).disabled
        await pilot.press("ctrl+j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = render(example).text
        assert app.clipboard == expected
        assert system_clipboard == [expected]
        record = json.loads(paths.history.read_text().splitlines()[-1])
        assert record["text"] == expected and record["email"] == "heather@example.com"
        assert any("clipboard" in m for _, m in app.notes)


async def test_checklist_item_moves_focus_to_the_field_that_fixes_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        rules = app.query_one("#rules", OptionList)
        assert app.focused is rules
        rules.highlighted = rules.get_option_index("giver")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "offer"


async def test_highlighting_a_rule_marks_its_words_in_the_preview(make_app, example):
    example.point = "I'd love to synch up sometime!"
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        rules = app.query_one("#rules", OptionList)
        rules.highlighted = rules.get_option_index("point")
        await pilot.pause()
        assert app.query_one(EmailPreview)._focus_rule == "point"


async def test_switching_template_re_renders(make_app, example):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = app.email.body
        app.query_one("#template", Select).value = "offer-intro"
        await settle(pilot)
        assert app.email.body == render(example, "offer-intro").body
        assert app.email.body != before


async def test_unsent_text_is_autosaved_and_quitting_keeps_it(make_app, paths):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#point", TextArea).focus()
        await pilot.press(*"One question")
        await settle(pilot)
        await app.workers.wait_for_complete()
        saved = list(paths.drafts.glob("*.toml"))
        assert len(saved) == 1 and 'point = "One question"' in saved[0].read_text()
        await pilot.press(*" more")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert 'point = "One question more"' in saved[0].read_text()
    assert app.return_value.startswith("Draft saved to")


async def test_a_sent_draft_is_marked_sent_and_editing_starts_a_new_one(make_app, example, paths):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#subject").focus()
        await pilot.press("!")
        await settle(pilot)
        await pilot.press("ctrl+j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [p.name.endswith(".sent.toml") for p in paths.drafts.glob("*.toml")] == [True]
        await pilot.press("?")
        await settle(pilot)
        await app.workers.wait_for_complete()
    names = sorted(p.name for p in paths.drafts.glob("*.toml"))
    assert len(names) == 2 and sum(n.endswith(".sent.toml") for n in names) == 1


async def test_ctrl_n_starts_fresh_and_keeps_the_old_draft(make_app, paths):
    from composer.drafts import list_drafts

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#point", TextArea).focus()
        await pilot.press(*"First idea")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.draft.point == ""
        first = [d for d in list_drafts(paths) if "First idea" in d.path.read_text()]
        assert first
        app.open_draft(first[0].path)
        await settle(pilot)
        assert app.draft.point == "First idea"


async def test_quitting_an_untouched_draft_does_not_ask(make_app, example):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value is None


async def test_warns_before_writing_to_someone_again(make_app, example, paths):
    from composer.senders import record_send

    record_send(paths, render(example), "Heather Hamilton")
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        warning = app.query_one("#recent-contact")
        assert warning.display
        assert "heather@example.com" in str(warning.render())


async def test_help_lists_keys_and_tips(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ != "HelpScreen"


async def test_a_broken_template_shows_the_error_and_blocks_sending(make_app, paths, tmp_path):
    from composer.templates_store import TemplateStore, parse_template
    from composer.tui.app import ComposerApp

    broken = parse_template('subject = "x"\nbody = "{{ nope }}"\n', "b.toml", "test", "broken")
    app = ComposerApp(
        __import__("composer.model").model.Draft(template="broken"),
        paths,
        store=TemplateStore(extra=[broken]),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert app.clipboard == ""
        assert "Template error" in str(app.query_one("#preview-text").render())


def test_every_binding_has_an_id_and_a_description():
    from composer.tui.app import ComposerApp
    from composer.tui.screens import AskScreen, HelpScreen, ProfileScreen, SaveTemplateScreen

    for cls in (ComposerApp, HelpScreen, AskScreen, ProfileScreen, SaveTemplateScreen):
        for binding in cls.BINDINGS:
            assert binding.id and binding.description and binding.tooltip, (cls, binding)


async def test_the_panels_keep_updating_after_the_first_pause(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#subject").focus()
        for expected in ("a", "ab", "abc"):
            await pilot.press(expected[-1])
            await settle(pilot)
            assert app.email.subject == expected


async def test_quitting_an_empty_composer_does_not_ask(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value is None


async def test_every_way_out_is_gated_while_blocked(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for action in (
            lambda: app.copy_part("body"),
            lambda: app.copy_part("subject"),
            app.save_eml,
            app.open_mail_client,
        ):
            action()
            await pilot.pause()
            assert app.clipboard == ""
            assert len(app.screen_stack) == 1  # no save dialog opened
        blocked = [m for s, m in app.notes if s == "error"]
        assert len(blocked) == 4 and all("still to do" in m for m in blocked)


async def test_sending_twice_records_once(make_app, example, paths):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        await pilot.press("ctrl+j")
        await app.workers.wait_for_complete()
    assert len(paths.history.read_text().splitlines()) == 1


async def test_resizing_switches_the_layout_at_once(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.has_class("-wide")
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        assert app.screen.has_class("-wide")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.screen.has_class("-wide")


async def test_the_signature_comes_from_the_form(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#sender-name").focus()
        await pilot.press(*"Sam Ortiz")
        await settle(pilot)
        assert app.email.body.endswith("Best,\nSam Ortiz\n")


async def test_tabbing_into_a_filled_field_does_not_arm_replace_all(make_app, example):
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")  # to the email field
        await pilot.press("x")
        await settle(pilot)
        assert app.draft.recipient.email != "x"
        assert "x" in app.draft.recipient.email


async def test_no_color_marks_with_underline_and_bold_only(make_app, monkeypatch, example):
    monkeypatch.setenv("NO_COLOR", "1")
    example.point = "I'd love to synch up sometime!"
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        palette = app.query_one(EmailPreview)._palette
        assert palette.span == {"fail": "underline", "warn": "underline"}
        assert palette.mark["fail"] == "bold"


async def test_a_theme_picked_in_the_palette_is_remembered(make_app, paths):
    from composer.config import load_config

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "outreach-dark"
        app.theme = "outreach-contrast"
        await pilot.pause()
        await pilot.pause()
    assert load_config(paths)[0].theme == "outreach-contrast"


async def test_a_broken_user_theme_is_reported_and_the_default_used(paths, system_clipboard):
    from composer.config import Config
    from composer.model import Draft

    from .conftest import RecordingApp

    paths.themes.mkdir(parents=True)
    (paths.themes / "mine.toml").write_text('name = "mine"\nprimary = "not-a-colour"\n')
    app = RecordingApp(Draft(), paths, config=Config(theme="mine"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "outreach-dark"
    warnings = " ".join(m for s, m in app.notes if s == "warning")
    assert (
        "mine.toml" in warnings
        and "not a colour" in warnings
        and "No theme named 'mine'" in warnings
    )


async def test_the_profile_signs_a_draft_without_a_sender(paths, system_clipboard):
    from composer.config import Config, Profile
    from composer.model import Draft

    from .conftest import RecordingApp

    app = RecordingApp(
        Draft(), paths, config=Config(profile=Profile(name="Sam Ortiz", role="Recruiter"))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.email.body.endswith("Sam Ortiz\nRecruiter\n")


async def test_rule_settings_from_config_apply_in_the_composer(paths, system_clipboard, example):
    from composer.config import Config

    from .conftest import RecordingApp

    example.offer = ""
    app = RecordingApp(example, paths, config=Config(rules={"giver": {"severity": "warn"}}))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.report.finding("giver").status == "warn"
        assert app.report.sendable


async def test_save_as_template_then_pick_it(make_app, example, paths):
    from textual.widgets import Input

    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert type(app.screen).__name__ == "SaveTemplateScreen"
        app.screen.query_one("#template-name", Input).value = "ere-follow-up"
        await pilot.click("#ok")
        await pilot.pause()
        saved = paths.templates / "ere-follow-up.toml"
        assert saved.exists() and "{{ point }}" in saved.read_text()
        app.query_one("#template", Select).value = "ere-follow-up"
        await settle(pilot)
        assert app.email.text == render(example).text


async def test_save_as_template_refuses_a_hostile_name(make_app, example, paths):
    from textual.widgets import Input

    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#template-name", Input).value = "../../etc/x"
        await pilot.click("#ok")
        await pilot.pause()
    assert not paths.templates.exists() or not any(paths.templates.iterdir())
    assert any("Not saved" in m for s, m in app.notes if s == "error")


async def test_first_run_asks_for_the_profile_and_keeps_it(paths, system_clipboard):
    from textual.widgets import Input

    from composer.config import load_config
    from composer.model import Draft

    from .conftest import RecordingApp

    app = RecordingApp(Draft(), paths, first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert type(app.screen).__name__ == "ProfileScreen"
        app.screen.query_one("#profile-name", Input).value = "Sam Ortiz"
        app.screen.query_one("#profile-role", Input).value = "Recruiter"
        await pilot.click("#ok")
        await settle(pilot)
        await pilot.pause()
        await settle(pilot)
        assert app.email.body.endswith("Sam Ortiz\nRecruiter\n")
    assert load_config(paths)[0].profile.name == "Sam Ortiz"


async def test_first_run_can_be_skipped_and_is_not_asked_again(paths, system_clipboard):
    from composer.model import Draft

    from .conftest import RecordingApp

    app = RecordingApp(Draft(), paths, first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ != "ProfileScreen"
    assert paths.config_file.exists()


async def test_copy_rename_and_delete_a_template_from_the_palette(make_app, paths):
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.manage_template("Copy", "offer-intro")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = "my-intro"
        await pilot.click("#ok")
        await pilot.pause()
        assert (paths.templates / "my-intro.toml").exists()
        app.manage_template("Rename", "my-intro")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = "warm-intro"
        await pilot.click("#ok")
        await pilot.pause()
        assert not (paths.templates / "my-intro.toml").exists()
        assert (paths.templates / "warm-intro.toml").exists()
        app.manage_template("Delete", "warm-intro")
        await pilot.pause()
        assert not (paths.templates / "warm-intro.toml").exists()
        assert "warm-intro" not in app.store.names()


BAD_FILES = {
    "empty": b"",
    "binary": b"\x00\x01\x02\xff",
    "truncated": b'point = "half a str',
    "invalid": b"= nope",
    "wrong types": b"point = 3\n[recipient]\nname = 4\n",
    "huge": b"#" * (5 * 1024 * 1024),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
async def test_every_file_the_app_reads_may_be_bad_and_it_still_starts(
    paths, system_clipboard, case
):
    """A bad config, theme, template, history and last draft at once: reported, untouched, app usable."""
    from composer.config import load_config
    from composer.drafts import latest_unsent
    from composer.model import Draft
    from composer.templates_store import user_store

    from .conftest import RecordingApp

    data = BAD_FILES[case]
    for folder in (paths.templates, paths.themes, paths.drafts):
        folder.mkdir(parents=True, exist_ok=True)
    targets = [
        paths.config_file,
        paths.templates / "bad.toml",
        paths.themes / "bad.toml",
        paths.drafts / "20260101-000000.toml",
        paths.history,
    ]
    for target in targets:
        target.write_bytes(data)
    config, notices = load_config(paths)
    store = user_store(paths, config.template_dirs)
    notices += store.problems
    assert latest_unsent(paths) is not None
    app = RecordingApp(Draft(), paths, config=config, store=store, notices=notices)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#point", TextArea).focus()
        await pilot.press(*"Still works?")
        await settle(pilot)
        assert "Still works?" in app.email.body
    if case != "empty":  # an empty file is a valid, empty config
        reported = " ".join(m for _, m in app.notes)
        assert str(paths.config_file) in reported and "bad.toml" in reported
    for target in targets:
        assert target.read_bytes() == data  # never overwritten


async def test_an_unknown_theme_falls_back_without_rewriting_config(paths, system_clipboard):
    from composer.config import Config
    from composer.model import Draft

    from .conftest import RecordingApp

    paths.config.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text('# mine\ntheme = "outreach-lite"\n')
    app = RecordingApp(Draft(), paths, config=Config(theme="outreach-lite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert app.theme == "outreach-dark"
    assert paths.config_file.read_text() == '# mine\ntheme = "outreach-lite"\n'


async def test_undoing_an_edit_updates_the_autosaved_file(make_app, example, paths):
    from composer.drafts import load_draft

    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#subject").focus()
        await pilot.press("end", *" SECRET")
        await settle(pilot)
        await app.workers.wait_for_complete()
        for _ in range(7):
            await pilot.press("backspace")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+q")
    (saved,) = list(paths.drafts.glob("*.toml"))
    assert load_draft(saved).subject == example.subject


async def test_the_preview_follows_the_field_being_edited(make_app, example):
    from composer.tui.panels import EmailPreview

    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        preview = app.query_one(EmailPreview)
        assert preview.scroll_y == 0
        app.query_one("#point", TextArea).focus()
        await pilot.press("end", "!")
        await settle(pilot)
        await pilot.pause()
        assert preview.scroll_y > 0


async def test_a_pasted_100_kb_job_ad_is_checked_off_the_ui_thread(make_app, example, monkeypatch):
    """A huge paste: the debounced checklist runs in a worker, the preview lays
    out only the start, and job-dump still flags it."""
    import threading

    from composer import checklist
    from composer.tui.panels import PREVIEW_LIMIT

    threads = []
    real = checklist.run_checklist

    def recording(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(checklist, "run_checklist", recording)
    ad = (
        "We are hiring a Senior Backend Engineer. Requirements: 5+ years of Python, "
        "Kubernetes, PostgreSQL. Responsibilities: own services end to end. Benefits: equity.\n"
    )
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        threads.clear()
        app.query_one("#point", TextArea).load_text(ad * (100_000 // len(ad)))
        await settle(pilot)
        for _ in range(200):
            if app.report is not None and app.report.text == app.email.text:
                break
            await pilot.pause(0.05)
        assert threads and not any(threads), "checked on the UI thread"
        assert app.report.finding("job-dump").status == "fail"
        preview = str(app.query_one("#preview-text").render())
        assert "more characters, not shown here" in preview
        assert len(preview) < PREVIEW_LIMIT + 500


async def test_resizing_while_typing_loses_no_keystroke(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        area = app.query_one("#point", TextArea)
        area.focus()
        for size, words in (
            ((120, 40), "Would you "),
            ((80, 24), "share how "),
            ((100, 30), "you do it?"),
        ):
            await pilot.press(*words)
            await pilot.resize_terminal(*size)
        await settle(pilot)
        assert area.text == "Would you share how you do it?"
        assert "Would you share how you do it?" in app.email.body
        assert app.screen.has_class("-wide") is False


async def test_without_any_clipboard_the_notice_says_where_to_look(make_app, example, monkeypatch):
    """No system clipboard (SSH, no xclip): OSC 52 is still sent, and the notice
    says what to do if the paste comes up empty."""
    from composer.tui import send

    monkeypatch.setattr(send, "copy_to_system_clipboard", lambda text: "no clipboard program found")
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard.startswith("Subject:")
        told = " ".join(m for _, m in app.notes)
        assert "terminal clipboard (OSC 52)" in told
        assert "no clipboard program found" in told and "docs/troubleshooting.md" in told


class DiskFull:
    """The composer's save_draft, failing (No space left on device) while `full`."""

    def __init__(self) -> None:
        self.full = False

    def __call__(self, path, draft) -> None:
        from composer.drafts import save_draft

        if self.full:
            raise OSError(28, "No space left on device")
        save_draft(path, draft)


@pytest.fixture
def disk(monkeypatch) -> DiskFull:
    fake = DiskFull()
    monkeypatch.setattr(drafts_room, "save_draft", fake)
    return fake


async def test_quitting_while_the_save_fails_asks_before_losing_text(make_app, paths, disk):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#point", TextArea).focus()
        await pilot.press(*"One question")
        await settle(pilot)
        await app.workers.wait_for_complete()
        saved = list(paths.drafts.glob("*.toml"))
        assert len(saved) == 1
        disk.full = True
        await pilot.press(*" more")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running, "the first ctrl+q does not quit while the text is unsaved"
        assert any("not saved" in message for _, message in app.notes)
        assert app.draft.point == "One question more"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value == "Quit without saving the latest changes."
    assert 'point = "One question"' in saved[0].read_text()


async def test_quitting_after_the_save_recovers_saves_and_says_so(make_app, paths, disk):
    app = make_app()
    disk.full = True
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#point", TextArea).focus()
        await pilot.press(*"Kept")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        disk.full = False
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value.startswith("Draft saved to")
    assert 'point = "Kept"' in next(paths.drafts.glob("*.toml")).read_text()


async def test_a_new_failure_after_a_warning_warns_again(make_app, disk):
    """Warned once, the disk recovered, more typed, the save fails again:
    one ctrl+q must not lose the new text."""
    app = make_app()
    disk.full = True
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one("#point", TextArea).focus()
        await pilot.press(*"First")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        disk.full = False
        await pilot.press(*" and")
        await settle(pilot)
        await app.workers.wait_for_complete()
        disk.full = True
        await pilot.press(*" more")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running, "a new unsaved text is warned about again"
        assert app.draft.point == "First and more"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value == "Quit without saving the latest changes."
