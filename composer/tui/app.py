"""The composer: a guided form, a live preview and a live checklist that gates
sending to the clipboard."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import CancelledError
from dataclasses import replace
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Button, Footer, Header, Input, OptionList, Select, Static, TextArea

from composer.config import Config, set_theme
from composer.drafts import (
    DraftLock,
    claim_new_draft,
    describe,
    list_drafts,
    load_draft,
    lock_draft,
    mark_sent,
    save_draft,
)
from composer.model import Draft, Email
from composer.safe_text import describe_control, one_line, strip_controls, visible
from composer.senders import (
    HistoryEntry,
    copy_to_system_clipboard,
    mailto_url,
    read_history,
    recent_contact,
    record_send,
    save_eml,
)
from composer.storage import Paths
from composer.templates_store import DEFAULT_TEMPLATE, TemplateError, TemplateStore
from composer.tui.form import RULE_FIELDS, STEPS, GuidedForm, field_value
from composer.tui.panels import PREVIEW_LIMIT, ChecklistPanel, EmailPreview
from composer.tui.screens import (
    AskScreen,
    ConfirmScreen,
    HelpScreen,
    ProfileScreen,
    SaveTemplateScreen,
    SlipsScreen,
)
from composer.tui.themes import DEFAULT_THEME, builtin_themes, user_themes

if TYPE_CHECKING:
    from composer.checklist import Report
    from composer.checklist.data.compiled import CueCache
    from composer.grammar import BackgroundChecker
    from composer.render import Renderer
    from composer.slips import GrammarResult, Slip

DEBOUNCE_SECONDS = 0.075
"""The debounce timer's period: panels update 75–150 ms after the last key."""

LARGE_EMAIL = 30_000
"""Characters from which the debounced checklist runs in a worker thread
(~30 ms of checking: more would show in the typing)."""

GRAMMAR_PAUSE = 0.7
"""Seconds without typing before grammar is checked: LanguageTool is slow, so
it waits for a real pause, and never holds up the checklist."""

FIELD_IDS = frozenset(field.id for step in STEPS for field in step.fields)
FIELD_LABELS = {
    field.id: (
        step.title.split("· ")[-1]
        if len(step.fields) == 1
        else f"{step.title.split('· ')[-1]}: {field.label}"
    )
    for step in STEPS
    for field in step.fields
}
"""How a notification names a field: "The point", "Recipient: Name"."""


def _shown(text: str) -> str:
    """Text from a file for the command palette, which reads its entries as markup."""
    from textual.markup import escape

    return escape(one_line(text))


WIDE_COLUMNS = 120
"""From this width the form, preview and checklist stand side by side."""


def _start_template_worker() -> None:
    from composer.render_worker import start_worker

    start_worker()


class ComposerApp(App[str | None]):
    """Write the email step by step; send it only when every tip is met.

    The app's return value is a message for the terminal after it closes
    (e.g. where an unsent draft was saved), or None.
    """

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "Outreach Composer"
    BINDINGS = [
        Binding(
            "ctrl+j",
            "send",
            "Send",
            id="send",
            priority=True,
            tooltip="Copy the email to the clipboard — only when every tip is met",
        ),
        Binding("f1", "help", "Help", id="help", tooltip="Keys and the tips behind the checklist"),
        Binding(
            "f2",
            "focus_checklist",
            "Checks",
            id="focus-checklist",
            tooltip="Go to the checklist",
        ),
        # Kept out of the footer so the main keys fit 80 columns; F1 and the palette list it.
        Binding(
            "f3", "focus_form", "Form", id="focus-form", tooltip="Back to the form", show=False
        ),
        Binding(
            "f4",
            "fix_slip",
            "Fix",
            id="fix-slip",
            tooltip="Fix the spelling or grammar slip nearest the cursor with its first suggestion",
        ),
        Binding(
            "ctrl+t",
            "save_template",
            "Template",
            id="save-template",
            tooltip="Save this email as a reusable template",
        ),
        Binding(
            "ctrl+n",
            "new_draft",
            "New",
            id="new-draft",
            tooltip="Start a fresh draft; the current one stays in the drafts list",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="quit",
            priority=True,
            tooltip="Quit; your draft is saved and comes back next time",
        ),
    ]

    def __init__(
        self,
        draft: Draft,
        paths: Paths,
        template: str | None = None,
        store: TemplateStore | None = None,
        draft_lock: DraftLock | None = None,
        restored: bool = False,
        notices: list[str] | None = None,
        config: Config | None = None,
        first_run: bool = False,
    ) -> None:
        super().__init__()
        self.paths = paths
        # Where this composition autosaves: a file of the drafts folder (never
        # the file given with --draft, which stays as the user wrote it),
        # held so that no other composer writes it too.
        self._draft_lock = draft_lock or claim_new_draft(paths)
        self.draft_path = self._draft_lock.path
        self._restored = restored
        self._notices = notices or []
        self.config = config or Config()
        self._first_run = first_run
        if not any((draft.sender.name, draft.sender.role, draft.sender.company)):
            # Your profile signs every draft that does not say who it is from.
            draft.sender = replace(self.config.profile)
        self._save_lock = threading.Lock()
        self._saved_toml: str | None = None
        self.store = store or TemplateStore()
        self.draft = draft
        names = [t.name for t in self.store.listed()]
        chosen = template or draft.template or DEFAULT_TEMPLATE
        self.template = chosen if chosen in names else DEFAULT_TEMPLATE
        self._unknown_template = None if chosen in names else chosen
        self.report: Report | None = None
        self.email: Email | None = None
        self.history: list[HistoryEntry] = []
        # The draft as it was loaded or sent; until it differs there is nothing
        # to autosave. Taken from the form (at mount, and at the first refresh
        # after another draft opens), so the picker's own choice of template
        # does not count as an edit.
        self._persisted: str | None = None
        self._refresh_timer: Timer | None = None
        self._compiled_cues: CueCache | None = None  # read at the first check
        # The draft, as TOML, that ctrl+q last warned could not be saved.
        self._quit_warned: str | None = None
        self._told_clipboard_problem = False
        self.refresh_pending = False
        """An edit is waiting for the debounce timer or its render (tests and
        benchmarks wait on it)."""
        self._rendered: tuple[tuple, Email | TemplateError] | None = None
        """The last render's inputs (draft, template, the store's templates) and outcome."""
        self._rendering: tuple | None = None
        """The inputs of the render under way, if any (asking again does not restart it)."""
        self._render_lock = threading.Lock()
        self._after_render: Callable[[], None] | None = None
        """An action that needs the email as it is now, run again once its render is back."""
        self.grammar: GrammarResult | None = None
        """The latest grammar check, moved onto the email as it is now."""
        self._grammar: BackgroundChecker | None = None
        self._grammar_timer: Timer | None = None
        self._grammar_sent = ""
        self._grammar_shown = 0
        self._asked_download = False
        self._had_slips = False
        self._grammar_retry: Timer | None = None
        self._early_keys: list[events.Key] | None = []
        """Keys typed before the first frame, held for the field that gets the focus."""

    async def on_event(self, event: events.Event) -> None:
        # Keys typed as the app starts arrive before any widget has the focus,
        # and Textual drops them: they wait for the first frame instead.
        early = self._early_keys is not None and isinstance(event, events.Key)
        if early and not event.is_forwarded:
            self._early_keys.append(event)
            return
        await super().on_event(event)

    def on_ready(self) -> None:
        keys, self._early_keys = self._early_keys or [], None
        for key in keys:
            self.post_message(events.Key(key.key, key.character))

    def notify(self, message: str, *, markup: bool = False, title: str = "", **options) -> None:
        """Notifications are plain text: a path or "[Errno 28]" shows as written,
        and a control character in a file name or a quoted email is shown, not obeyed."""
        super().notify(visible(message), markup=False, title=visible(title), **options)

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52 carries plain text only: whatever asks, no control character
        reaches the clipboard (a pasted ESC could drive the next terminal)."""
        super().copy_to_clipboard(strip_controls(text))

    # ----- layout -----

    def compose(self) -> ComposeResult:
        yield Header()
        # Where each comes from: yours and your team's are marked, built-ins are not.
        templates = [
            (t.name if t.origin == "built-in" else f"{t.name} ({t.origin})", t.name)
            for t in self.store.listed()
        ]
        with Horizontal(id="main"):
            yield GuidedForm(self.draft, templates, self.template)
            with Vertical(id="side"):
                with Horizontal(id="panels"):
                    yield EmailPreview()
                    yield ChecklistPanel()
                yield Button("Send  ctrl+j", id="send", variant="success", disabled=True)
        yield Footer()

    def _load_themes(self) -> None:
        """Ours and yours, then the configured one (or the default, with a note)."""
        for theme in builtin_themes():
            self.register_theme(theme)
        themes, problems = user_themes(self.paths.themes)
        for theme in themes:
            self.register_theme(theme)
        self._notices += problems
        wanted = self.config.theme
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            self.theme = DEFAULT_THEME
            self._notices.append(f"No theme named '{wanted}'; using {DEFAULT_THEME}.")
        # The theme set here (even a fallback) is not a choice to remember.
        self._startup_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        """A theme picked in the palette is the theme next time too."""
        if theme.name in (self.config.theme, self._startup_theme):
            self._startup_theme = ""
            return
        self.config.theme = theme.name
        problem = set_theme(self.paths, theme.name)
        if problem:
            self.notify(problem, severity="warning")
        self.query_one(EmailPreview).restyle()
        self.query_one(ChecklistPanel).restyle()
        if self.report is not None:
            self.query_one(ChecklistPanel).show(self.report)

    def on_mount(self) -> None:
        # One repeating timer for the app's life, paused while idle: each edit
        # restarts its period, so the work runs once typing pauses.
        self._load_themes()
        self._refresh_timer = self.set_interval(
            DEBOUNCE_SECONDS, lambda: self.refresh_panels(background=True), pause=True
        )
        self._grammar_timer = self.set_interval(GRAMMAR_PAUSE, self.check_grammar, pause=True)
        self.query_one("#recipient-name").focus()
        # The draft as loaded, before any key is handled: keys typed before the
        # first check (which runs a frame later) are edits, to be autosaved.
        self._persisted = self.query_one(GuidedForm).read_draft(self.draft).to_toml()
        self._apply_width(self.size.width)
        self.history, problems = read_history(self.paths)
        for problem in problems:
            self.notify(problem, severity="warning")
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=10)
        if self._first_run:
            self.call_after_refresh(self.push_screen, ProfileScreen(), self._profile_answered)
        if self._restored:
            self.notify(
                f"Your unsent draft is back ({self.draft_path.name}). ctrl+n starts a fresh one; "
                "this one stays in the drafts list.",
                title="Restored",
            )
        loop = asyncio.get_running_loop()
        # SIGHUP is a closed terminal; Windows has neither signal.
        for name in ("SIGTERM", "SIGHUP"):
            with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(getattr(signal, name), self._terminated)
        self.app_suspend_signal.subscribe(self, lambda _app: self.save_now())
        if self._unknown_template:
            self.notify(
                f"No template named '{self._unknown_template}'; using {self.template}.",
                severity="warning",
            )
        # The form is usable at the first paint; the preview and checklist fill
        # in one frame later, so the rules load after the screen shows, and
        # the template worker starts meanwhile.
        self.refresh_pending = True
        self.run_worker(_start_template_worker, thread=True, group="render-start")
        self.call_after_refresh(self.refresh_panels)

    def on_unmount(self) -> None:
        self._draft_lock.release()
        if self._compiled_cues is not None:
            self._compiled_cues.save()
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        if self._grammar is not None:
            self._grammar.stop()
        from composer.render_worker import abandon_render

        # A render thread waiting out a slow template would hold up Python's exit.
        abandon_render()

    @cached_property
    def renderer(self) -> Renderer:
        from composer.render import Renderer

        return Renderer(self.store)

    def on_resize(self, event: events.Resize) -> None:
        # The event carries the new size; self.size may still be the old one.
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.screen.set_class(width >= WIDE_COLUMNS, "-wide")

    # ----- the live update -----

    @on(GuidedForm.Edited)
    def schedule_refresh(self) -> None:
        """Restart the one debounce timer: typing never waits on a render."""
        self.refresh_pending = True
        if self._refresh_timer is not None:
            self._refresh_timer.reset()

    def refresh_panels(self, background: bool = False) -> None:
        """Render the draft, run the checklist, repaint preview, checklist and gate.

        With `background` (the debounce timer), a very long email is checked
        in a worker thread and the panels update when it is done, so typing
        into a pasted 100 KB job ad never waits on the checklist. Everything
        else (send, save, quit) calls it without, and gets a fresh report now.
        """
        self.refresh_pending = False
        if self._refresh_timer is not None:
            self._refresh_timer.pause()
        try:
            preview = self.query_one(EmailPreview)
        except NoMatches:
            return  # a change handled while the app closes: its panels are gone
        form = self.query_one(GuidedForm)
        self.draft = form.read_draft(self.draft)
        if self._persisted is None:
            self._persisted = self.draft.to_toml()
        elif self.unsent:
            self._autosave()
        self.template = self.query_one("#template", Select).value or self.template
        inputs = (self.draft, self.template, [self.store.get(n) for n in self.store.names()])
        if self._rendered is None or self._rendered[0] != inputs:
            # The render runs in a worker process, waited on by a thread: the
            # last good preview stays until it is back (at most about a second).
            self.refresh_pending = True
            if inputs != self._rendering:
                self._rendering = inputs
                self._render_in_background(inputs, background)
            return
        outcome = self._rendered[1]
        if isinstance(outcome, TemplateError):
            self.email, self.report = None, None
            preview.show(None, f"Template error: {outcome}")
            self._set_gate(False)
            return
        self.email = outcome
        text = self.email.text
        if self.grammar is not None:
            self.grammar = self.grammar.follow(text)
        if text != self._grammar_sent and self._grammar_timer is not None:
            self._grammar_timer.reset()
        if background and len(text) > LARGE_EMAIL:
            self._check_in_background(text, self.draft, self.grammar)
            return
        self._show_report(self._run_checklist(text, self.draft, self.grammar))

    @work(thread=True, exclusive=True, group="render")
    def _render_in_background(self, inputs: tuple, background: bool) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        draft, template, _ = inputs
        with self._render_lock:  # one at a time; one superseded while it waited is skipped
            if worker.is_cancelled:
                return
            try:
                outcome: Email | TemplateError = self.renderer.render(draft, template)
            except TemplateError as exc:
                outcome = exc
        if not worker.is_cancelled:
            with contextlib.suppress(RuntimeError, CancelledError):  # the app closed meanwhile
                self.call_from_thread(self._render_done, inputs, outcome, background)

    def _render_done(self, inputs: tuple, outcome: Email | TemplateError, background: bool) -> None:
        self._rendered, self._rendering = (inputs, outcome), None
        self.refresh_panels(background)  # shows it, or renders again if the form changed since
        if not self.refresh_pending and self._after_render is not None:
            action, self._after_render = self._after_render, None
            action()

    def _email_is_current(self, action: Callable[[], None]) -> bool:
        """Whether the panels show the draft as it is now; if not, `action` runs
        again once its render is back (the screen never waits on a render)."""
        self.refresh_panels()
        if self.refresh_pending:
            self._after_render = action
            return False
        return True

    def _run_checklist(self, text: str, draft: Draft, grammar: GrammarResult | None) -> Report:
        from composer.checklist import run_checklist
        from composer.checklist.data.compiled import CueCache

        if self._compiled_cues is None:
            self._compiled_cues = CueCache(self.paths.compiled_cues)
        return run_checklist(
            text,
            draft,
            overrides=self.config.rules,
            phrases=vars(self.config.phrases),
            grammar=grammar,
            grammar_note="Checking…",
            compiled=self._compiled_cues,
        )

    @work(thread=True, exclusive=True, group="checklist")
    def _check_in_background(self, text: str, draft: Draft, grammar: GrammarResult | None) -> None:
        from textual.worker import get_current_worker

        report = self._run_checklist(text, draft, grammar)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._background_report, report)

    def _background_report(self, report: Report) -> None:
        # Typing since may have changed the email: such a report is dropped
        # (the newer text's own check is on its way).
        if self.email is not None and report.text == self.email.text:
            self._show_report(report)

    def _show_report(self, report: Report) -> None:
        self.report = report
        slips = bool(self.grammar and self.grammar.slips)
        if slips != self._had_slips:
            self._had_slips = slips
            self.refresh_bindings()
        preview = self.query_one(EmailPreview)
        preview.show(report)
        self._follow_focused_field(preview)
        self.query_one(ChecklistPanel).show(report)
        self._set_gate(report.sendable)
        self._warn_recent_contact()

    def _follow_focused_field(self, preview: EmailPreview) -> None:
        """Keep the words being typed in view: on a small screen the preview
        shows a few lines, and the field being edited may be far down the email."""
        focused = self.focused
        if focused is None or self.email is None or focused.id not in FIELD_IDS:
            return
        value = field_value(self.draft, focused.id).strip()
        at = self.email.text.find(value[:60]) if value else -1
        if at < 0:
            return
        share = min(1.0, at / max(1, min(len(self.email.text), PREVIEW_LIMIT)))
        self.call_after_refresh(
            lambda: preview.scroll_to(y=share * preview.max_scroll_y, animate=False)
        )

    # ----- grammar: checked in the background, fixed with one key -----

    @property
    def _grammar_severity(self) -> str:
        from composer.checklist import rule_severity

        return rule_severity("grammar", self.config.rules)

    @property
    def _grammar_blocks(self) -> bool:
        """Whether a grammar answer can block at all: only LanguageTool's can."""
        from composer.grammar import GrammarChecker

        checker = (
            self._grammar.checker
            if self._grammar
            else GrammarChecker(self.config.grammar, cache=self.paths.cache_folder)
        )
        return checker.plan() not in ("spelling", "off")

    @property
    def grammar_pending(self) -> bool:
        """A grammar check is due or running (tests and benchmarks wait on it)."""
        if self.email is None or self._grammar_severity == "off":
            return False
        running = self._grammar is not None and self._grammar_shown < self._grammar.latest
        return running or self._grammar_sent != self.email.text

    def check_grammar(self) -> None:
        """Hand the email to the grammar thread (once typing has paused)."""
        if self._grammar_timer is not None:
            self._grammar_timer.pause()
        if self.email is None or self.email.text == self._grammar_sent:
            return
        if self._grammar_severity == "off":
            return  # turned off in [rules.grammar]: no LanguageTool, no download question
        if self._grammar is None:
            from composer.grammar import BackgroundChecker, GrammarChecker

            self._grammar = BackgroundChecker(
                GrammarChecker(self.config.grammar, cache=self.paths.cache_folder),
                self._grammar_arrived,
            )
            if self._grammar.checker.plan() == "public":
                self.notify(
                    "Your email's text is sent to LanguageTool's public API (languagetool.org) "
                    'to check it: [grammar] backend = "public" in config.toml.',
                    title="Grammar",
                    timeout=10,
                )
        self._grammar_sent = self.email.text
        draft, profile = self.draft, self.config.profile
        names = (draft.recipient.name, draft.recipient.company, draft.sender.name)
        names += (draft.sender.company, profile.name, profile.company)
        self._grammar.submit(self.email.text, names)

    def _grammar_arrived(self, number: int, result: GrammarResult) -> None:
        """On the grammar thread: hand the result to the UI thread."""
        try:
            self.call_from_thread(self._show_grammar, number, result)
        except RuntimeError:
            pass  # the app closed meanwhile
        except Exception as exc:  # shown, not raised into the grammar thread
            self.call_from_thread(self.notify, f"Grammar: {exc!r}", severity="error")

    def _show_grammar(self, number: int, result: GrammarResult) -> None:
        # An answer older than the one shown is dropped; a newer one for text
        # edited since is moved onto the text as it is now (GrammarResult.follow).
        if number <= self._grammar_shown:
            return
        self._grammar_shown = number
        self.grammar = result
        if result.needs_download and not self._asked_download:
            self._ask_download()
        if result.retry_in:
            # LanguageTool is tried again when the wait is over, typing or not
            # (one timer: checks during the wait must not each add a retry).
            if self._grammar_retry is not None:
                self._grammar_retry.stop()
            self._grammar_retry = self.set_timer(result.retry_in + 0.1, self._recheck_grammar)
        self.refresh_panels()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # F4 shows in the footer only when there is a slip to fix: at 80
        # columns the footer has no room for a key that does nothing.
        if action == "fix_slip":
            return bool(self.grammar and self.grammar.slips)
        return True

    def _ask_download(self) -> None:
        from composer.grammar_server import DOWNLOAD_SIZE_MB, language_tool_dir

        self._asked_download = True
        self.push_screen(
            ConfirmScreen(
                "Grammar: LanguageTool is not installed. Download it now?\n\n"
                f"About {DOWNLOAD_SIZE_MB} MB from language-tool-python's releases on GitHub "
                f"into {language_tool_dir()}. It runs on this machine with Java 17 or newer; "
                "your text does not leave it.",
                yes="Download",
                no="Not now",
            ),
            self._download_answered,
        )

    def _download_answered(self, yes: bool | None) -> None:
        if self._grammar is None:
            return
        checker = self._grammar.checker
        checker.download_declined = False
        if not yes:
            checker.download_declined = True
            self.notify(
                "Not downloaded: spelling only for now. docs/grammar.md shows other ways to "
                "check grammar.",
                title="Grammar",
            )
            self._recheck_grammar()
            return
        # A daemon thread: quitting mid-download must not wait for it.
        threading.Thread(
            target=self._download, args=(checker,), name="languagetool-download", daemon=True
        ).start()

    def _download(self, checker) -> None:
        from composer.grammar_server import Unavailable

        shown = [-1]

        def progress(done: int, total: int | None) -> None:
            megabytes = done // 1_000_000
            if megabytes == shown[0]:
                return
            shown[0] = megabytes
            of = f" of {total // 1_000_000}" if total else ""
            with contextlib.suppress(RuntimeError):
                self.call_from_thread(
                    setattr, self, "sub_title", f"Downloading LanguageTool: {megabytes}{of} MB"
                )

        try:
            checker.download(progress)
            problem = ""
        except Unavailable as exc:
            problem = str(exc)
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self._downloaded, problem)

    def _downloaded(self, problem: str) -> None:
        self.sub_title = ""
        if problem:
            self.notify(f"{problem}. Spelling only for now.", title="Grammar", severity="error")
        else:
            self.notify(
                "LanguageTool is installed; it starts in the background (a few seconds).",
                title="Grammar",
            )
        self._recheck_grammar()

    def _recheck_grammar(self) -> None:
        self._grammar_sent = ""
        self.check_grammar()

    def _field_values(self) -> dict[str, str]:
        return {field_id: field_value(self.draft, field_id) for field_id in FIELD_IDS}

    def _fixable(self) -> list[tuple[Slip, str | None, int]]:
        """Every slip in the email now, with the field it lies in and where."""
        from composer.grammar import locate

        self.refresh_panels()
        if self.grammar is None or self.email is None:
            return []
        values, text = self._field_values(), self.email.text
        found = []
        for slip in self.grammar.slips:
            where = locate(text, values, slip.start, slip.end)
            found.append((slip, *where) if where else (slip, None, -1))
        return found

    def action_fix_slip(self) -> None:
        """F4: the slip nearest the cursor gets its first suggestion."""
        found = self._fixable()
        if not found:
            self.notify("No spelling or grammar slips to fix.", title="Grammar")
            return
        focused = self.focused.id if self.focused is not None else None
        cursor = self._cursor_index(focused)
        fixable = [f for f in found if f[1] is not None and f[0].replacements]
        # In the field being edited, the first slip at or after the cursor,
        # else the last before it; elsewhere, the first in the email.
        here = [f for f in fixable if f[1] == focused]
        after = [f for f in here if f[2] + (f[0].end - f[0].start) >= cursor]
        choice = (after or here[-1:] or fixable or [None])[0]
        if choice is None:
            slip, field, _ = found[0]
            if field is None:
                self.notify(
                    f"“{self._slip_text(slip)}” is in {self._source_of(slip)}.",
                    title="Grammar",
                    severity="warning",
                )
            else:
                self.notify(
                    f"“{self._slip_text(slip)}”: {slip.message} (no suggestion to apply)",
                    title="Grammar",
                )
            return
        slip, field, offset = choice
        self.apply_fix(slip, field, offset, slip.replacements[0])

    def _slip_text(self, slip: Slip) -> str:
        return self.email.text[slip.start : slip.end] if self.email else ""

    def _source_of(self, slip: Slip) -> str:
        """Where a slip outside the form's fields comes from, and where to fix it."""
        words = self._slip_text(slip)
        sender = self.draft.sender
        if words and words in f"{sender.signature}\n{sender.bio}":
            return "your signature: fix it in [profile] in config.toml (`outreach config edit`)"
        template = self.store.get(self.template)
        if words and words in f"{template.subject}\n{template.body}":
            return (
                f"the template's own text ({self.template}): fix it in the template "
                "(docs/templates.md)"
            )
        return "text the template changes on the way (a filter): fix it in its field"

    def _cursor_index(self, field_id: str | None) -> int:
        if field_id not in FIELD_IDS:
            return 0
        widget = self.query_one(f"#{field_id}")
        if isinstance(widget, TextArea):
            return widget.document.get_index_from_location(widget.cursor_location)
        return widget.cursor_position

    def apply_fix(
        self, slip: Slip, field: str, offset: int, replacement: str, old: str | None = None
    ) -> None:
        """Replace the slip's words (`old`, else as they are now) in their field."""
        old = self._slip_text(slip) if old is None else old
        end = offset + len(old)
        if field_value(self.draft, field)[offset:end] != old:
            self.notify(f"“{old}” changed since it was checked; nothing replaced.", title="Grammar")
            return
        widget = self.query_one(f"#{field}")
        if isinstance(widget, TextArea):
            document = widget.document
            widget.replace(
                replacement,
                document.get_location_from_index(offset),
                document.get_location_from_index(end),
            )
            undo = " ctrl+z in the field undoes it."
        else:
            widget.replace(replacement, offset, end)
            undo = ""
        self.refresh_panels()
        self.notify(f"“{old}” → “{replacement}” in {FIELD_LABELS[field]}.{undo}", title="Fixed")

    def action_list_slips(self) -> None:
        """Every slip with every suggestion; Enter applies the one picked."""
        found = self._fixable()
        if not found:
            self.notify("No spelling or grammar slips to fix.", title="Grammar")
            return
        rows = [
            (
                self._slip_text(slip),
                slip,
                f"in {FIELD_LABELS[field]}" if field else f"in {self._source_of(slip)}",
                field is not None,
            )
            for slip, field, _ in found
        ]
        words = [row[0] for row in rows]
        self.push_screen(SlipsScreen(rows), lambda picked: self._slip_picked(found, words, picked))

    def _slip_picked(self, found, words: list[str], picked: tuple[int, str] | None) -> None:
        if picked is None:
            return
        index, action = picked
        slip, field, offset = found[index]
        if action.startswith("word:"):
            self._add_word(action.removeprefix("word:"))
        elif field is not None:
            # The list was made for the text as it was: apply_fix checks it still is.
            self.refresh_panels()
            self.apply_fix(slip, field, offset, action, old=words[index])

    def _add_word(self, word: str) -> None:
        """Never flag this word again: it joins [grammar] words in config.toml."""
        from composer.config import add_words

        self.config.grammar.words = [*self.config.grammar.words, word]
        problem = add_words(self.paths, self.config.grammar.words)
        if problem:
            self.notify(problem, severity="warning")
        else:
            self.notify(
                f"“{word}” is in your word list ({self.paths.config_file}).", title="Grammar"
            )
        self._recheck_grammar()

    @on(Button.Pressed, "#send")
    def _send_pressed(self) -> None:
        self.action_send()

    def _set_gate(self, open_: bool) -> None:
        button = self.query_one("#send", Button)
        button.disabled = not open_
        button.label = "Send  ctrl+j" if open_ else "Blocked: fix the ✗ items"

    def _warn_recent_contact(self) -> None:
        label = self.query_one("#recent-contact", Static)
        entry = recent_contact(self.history, self.draft.recipient.email)
        if entry is None:
            label.update("")
            label.display = False
            return
        label.update(
            Text(
                one_line(f"You wrote to {entry.email} on {entry.when:%Y-%m-%d}: “{entry.subject}”")
            )
        )
        label.display = True

    # ----- checklist → form -----

    @on(OptionList.OptionSelected, "#rules")
    def focus_fix(self, event: OptionList.OptionSelected) -> None:
        """Enter on a checklist item moves focus to the field that fixes it
        (on the grammar item: the list of slips to fix)."""
        if event.option.id == "grammar" and self.grammar is not None and self.grammar.slips:
            self.action_list_slips()
            return
        field = RULE_FIELDS.get(event.option.id or "", "point")
        self.query_one(GuidedForm).focus_field(field)

    @on(OptionList.OptionHighlighted, "#rules")
    def highlight_rule(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(EmailPreview).focus_rule(event.option.id)

    def action_focus_checklist(self) -> None:
        self.query_one("#rules", OptionList).focus()

    def action_focus_form(self) -> None:
        self.query_one("#recipient-name").focus()

    # ----- sending -----

    def _sendable(self, what: str, action: Callable[[], None]) -> Email | None:
        """The email as it is now (a pending update is flushed first), or None
        with a notification saying why it may not leave yet. While the email
        is still rendering, None without one: `action` runs again once it is back.

        Every way out — ctrl+j, the body or subject alone, a .eml, a mailto:
        link — passes this gate: a part pasted into a web form is still a send.
        """
        if not self._email_is_current(action):
            return None
        if self.email is None or self.report is None:
            self.notify(f"{what}: the template has an error (see the preview).", severity="error")
            return None
        if self._grammar_severity == "block" and self.grammar_pending and self._grammar_blocks:
            # Grammar blocks sending in these settings: the check of this very
            # text must come back first.
            self.check_grammar()
            self.notify(
                f"{what}: grammar is still being checked (it blocks sending in your settings); "
                "try again in a moment.",
                title="Blocked",
                severity="warning",
            )
            return None
        if problem := describe_control(self.email.text):
            # The fields never hold one (the form removes them); a template or
            # a profile can: the email leaves exactly as shown, or not at all.
            self.notify(
                f"{what}: the email holds a control character, {problem}, from the template "
                "or your profile; remove it there.",
                title="Blocked",
                severity="error",
            )
            return None
        if not self.report.sendable:
            unmet = ", ".join(f.title.lower() for f in self.report.blockers)
            self.notify(f"{what}: still to do — {unmet}.", title="Blocked", severity="error")
            self.bell()
            return None
        return self.email

    def action_send(self) -> None:
        """Copy the email — only when no blocking rule fails."""
        email = self._sendable("Not sent", self.action_send)
        if email is None:
            return
        self.copy_to_clipboard(email.text)
        self._copy_to_system(email.text, "The email")
        self._record(email)

    def _record(self, email: Email) -> None:
        """Add a send to the history, once: sending the same text again only copies it."""
        last = self.history[-1] if self.history else None
        if last is not None and last.text == email.text and last.email == email.to:
            return
        try:
            entry = record_send(self.paths, email, self.draft.recipient.name)
        except OSError as exc:
            self.notify(f"Sent, but the history could not be written: {exc}", severity="warning")
            return
        self.history.append(entry)
        self._persisted = self.draft.to_toml()
        self.save_now()
        with contextlib.suppress(OSError):
            mark_sent(self.draft_path)
        # Editing after a send starts a new composition; the sent one is kept.
        self._hold(claim_new_draft(self.paths))
        self._saved_toml = None

    @work(thread=True, exclusive=True, group="clipboard")
    def _copy_to_system(self, text: str, what: str) -> None:
        """pyperclip shells out (xclip, pbcopy): never on the UI thread."""
        problem = copy_to_system_clipboard(strip_controls(text))
        if problem is None:
            message = f"{what} is on your clipboard (terminal and system)."
        elif self._told_clipboard_problem:
            message = f"{what} went to the terminal clipboard (OSC 52)."
        else:
            self._told_clipboard_problem = True
            message = (
                f"{what} went to the terminal clipboard (OSC 52); "
                f"system clipboard: {problem}. Paste empty? See docs/troubleshooting.md."
            )
        self.call_from_thread(self.notify, message, title="Copied")

    def copy_part(self, part: str) -> None:
        """Copy only the subject or only the body, e.g. for a web mail form."""
        email = self._sendable("Not copied", lambda: self.copy_part(part))
        if email is None:
            return
        text = email.subject if part == "subject" else email.body
        self.copy_to_clipboard(text)
        self._copy_to_system(text, f"The {part}")

    def save_eml(self) -> None:
        email = self._sendable("Not saved", self.save_eml)
        if email is None:
            return
        slug = "".join(
            c if c.isalnum() else "-" for c in (self.draft.recipient.name or "email")
        ).strip("-")
        default = str(Path.cwd() / f"{slug.lower() or 'email'}-{datetime.now(UTC):%Y%m%d}.eml")

        def write(path: str | None) -> None:
            from composer.model import InputError

            if not path:
                return
            target = Path(path).expanduser()
            try:
                save_eml(email, target)
            except OSError as exc:
                self.notify(f"Could not save {target}: {exc.strerror or exc}", severity="error")
                return
            except InputError as exc:  # a header the email cannot carry, e.g. a line break
                self.notify(f"Not saved: {exc}", severity="error")
                return
            self._record(email)
            self.notify(str(target), title="Saved as .eml")

        self.push_screen(
            AskScreen("Save the email as .eml (opens as a draft in most mail apps):", default),
            write,
        )

    def open_mail_client(self) -> None:
        email = self._sendable("Not opened", self.open_mail_client)
        if email is None:
            return
        url = mailto_url(email)
        import webbrowser

        try:
            opened = webbrowser.open(url)
        except Exception:
            opened = False
        if opened:
            self._record(email)
        else:
            self.copy_to_clipboard(url)
            self.notify("No mail app could be opened here; the mailto: link is on your clipboard.")

    def action_save_template(self) -> None:
        """Save the email as a template: its parts become {{ fields }} again."""
        if not self._email_is_current(self.action_save_template):
            return
        if self.email is None:
            self.notify("Fix the template error first (see the preview).", severity="error")
            return
        fields = [
            ("How you know them (context)", "context"),
            ("Your gift (offer)", "offer"),
            ("What's in it for them (wiift)", "wiift"),
            ("Your research", "research"),
            ("The point", "point"),
            ("Subject", "subject"),
        ]
        self.push_screen(SaveTemplateScreen(fields), self._save_template)

    def _save_template(self, answer: tuple[str, str, set[str]] | None) -> None:
        from composer.checklist import run_checklist
        from composer.model import InputError
        from composer.render import Renderer
        from composer.template_saving import store_user_template
        from composer.templates_store import template_from_email

        if answer is None or self.email is None:
            return
        name, description, keep = answer
        draft = self.draft
        values = {
            field: getattr(draft, field)
            for field in ("subject", "context", "research", "point", "wiift", "offer")
        }
        values |= {
            f"recipient.{key}": getattr(draft.recipient, key)
            for key in ("name", "email", "company", "role")
        }
        values["recipient.first_name"] = draft.recipient.first_name
        values |= {
            f"sender.{key}": getattr(draft.sender, key) for key in ("name", "role", "company")
        }
        template = template_from_email(
            name, description, self.email.subject, self.email.body, values, keep
        )
        try:
            target, _ = store_user_template(self.store, self.paths.templates, template)
        except (InputError, TemplateError) as exc:
            self.notify(f"Not saved: {exc}", severity="error")
            return
        except OSError as exc:
            self.notify(f"Not saved: {exc.strerror or exc}", severity="error")
            return
        fixed = Renderer(self.store).render(Draft(), name)
        self.query_one(GuidedForm).add_template(name)
        # What the template's own words trip, whoever it is sent to.
        report = run_checklist(fixed.text, overrides=self.config.rules)
        tripped = [f for f in report.findings if f.family == "anti-patterns" and f.status == "fail"]
        if tripped:
            details = "; ".join(f"{f.rule}: {f.message}" for f in tripped)
            self.notify(
                f"Saved to {target}, but its fixed text trips {details}",
                severity="warning",
                timeout=12,
            )
        else:
            self.notify(
                f"Saved to {target}. Pick it in the template list next time.",
                title="Template saved",
            )

    def _profile_answered(self, profile: dict[str, str] | None) -> None:
        """First run: keep the profile in config.toml, and sign this draft with it."""
        from composer.config import Profile, set_profile, start_config

        try:
            start_config(self.paths)
            problem = set_profile(self.paths, profile) if profile else None
        except OSError as exc:
            problem = f"Could not write {self.paths.config_file}: {exc.strerror or exc}"
        if problem:
            self.notify(problem, severity="warning")
        if not profile:
            self.notify("Skipped. `outreach config edit` sets your profile any time.")
            return
        self.config.profile = Profile(**{**vars(self.config.profile), **profile})
        for key in ("name", "role", "company"):
            if profile.get(key):
                self.query_one(f"#sender-{key}", Input).value = profile[key]

    # ----- your templates: copy, rename, duplicate, delete -----

    def _template_commands(self) -> Iterable[SystemCommand]:
        for template in self.store.listed():
            if template.origin == "yours":
                for verb, help_text in (
                    ("Rename", "Give your template another name"),
                    ("Duplicate", "Make a copy of your template to change"),
                    ("Delete", "Delete your template file"),
                ):
                    yield SystemCommand(
                        _shown(f"{verb} template: {template.name}"),
                        help_text,
                        lambda verb=verb, name=template.name: self.manage_template(verb, name),
                        discover=False,
                    )
            else:
                yield SystemCommand(
                    _shown(f"Copy template to yours: {template.name}"),
                    _shown(
                        f"Customise a copy of this {template.origin} template (the original never changes)"
                    ),
                    lambda name=template.name: self.manage_template("Copy", name),
                    discover=False,
                )

    def manage_template(self, verb: str, name: str) -> None:
        """Copy, duplicate, rename or delete a template; only your own files change."""
        from composer.model import InputError
        from composer.template_saving import store_user_template
        from composer.templates_store import delete_user_template

        form = self.query_one(GuidedForm)
        if verb == "Delete":
            try:
                path = delete_user_template(self.store, name)
            except (InputError, OSError) as exc:
                self.notify(f"Not deleted: {exc}", severity="error")
                return
            form.remove_template(name)
            self.notify(f"Deleted {path}")
            return

        def answered(new_name: str | None) -> None:
            if not new_name:
                return
            try:
                store_user_template(
                    self.store, self.paths.templates, replace(self.store.get(name), name=new_name)
                )
                if verb == "Rename":
                    delete_user_template(self.store, name)
            except (InputError, TemplateError, OSError) as exc:
                self.notify(f"Not saved: {exc}", severity="error")
                return
            form.add_template(new_name)
            if verb == "Rename":
                form.remove_template(name)
            self.notify(f"{verb}: {new_name} is in your templates ({self.paths.templates}).")

        default = f"{name}-copy" if verb != "Rename" else name
        self.push_screen(AskScreen(f"{verb} template '{name}' as:", default, action=verb), answered)

    def switch_template(self, name: str) -> None:
        self.query_one("#template", Select).value = name

    # ----- palette, help, quit -----

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.report is not None and not self.report.sendable:
            unmet = ", ".join(f.rule for f in self.report.blockers)
            yield SystemCommand(
                "Send (blocked)", f"Copy the email — blocked until: {unmet}", self.action_send
            )
        else:
            yield SystemCommand("Send", "Copy the email to the clipboard", self.action_send)
        yield SystemCommand(
            "Copy body only",
            "Copy the email's body, without the subject",
            lambda: self.copy_part("body"),
        )
        yield SystemCommand(
            "Copy subject only", "Copy the subject line's text", lambda: self.copy_part("subject")
        )
        yield SystemCommand(
            "Save as .eml", "Write the email to a .eml file for your mail app", self.save_eml
        )
        yield SystemCommand(
            "Open in mail app",
            "Open a mailto: link with the email filled in",
            self.open_mail_client,
        )
        for template in self.store.listed():
            yield SystemCommand(
                _shown(f"Template: {template.name}"),
                _shown(template.description),
                lambda name=template.name: self.switch_template(name),
                discover=False,
            )
        yield from self._template_commands()
        yield SystemCommand(
            "Spelling and grammar",
            "Every slip with its suggestions; pick one to apply it",
            self.action_list_slips,
        )
        if self._grammar is not None and self._grammar.checker.can_download:
            yield SystemCommand(
                "Download LanguageTool",
                "Full grammar checks on this machine (about 250 MB; asks first)",
                self._ask_download,
            )
        yield SystemCommand(
            "Save as template", "Save this email as a reusable template", self.action_save_template
        )
        yield SystemCommand(
            "New draft", "Start a fresh draft (the current one is kept)", self.action_new_draft
        )
        for saved in list_drafts(self.paths)[:20]:
            if saved.path == self.draft_path:
                continue
            yield SystemCommand(
                _shown(f"Open draft: {describe(saved)}"),
                _shown(str(saved.path)),
                lambda path=saved.path: self.open_draft(path),
                discover=False,
            )
        yield SystemCommand("Help", "Keys and the tips behind the checklist", self.action_help)

    def action_help(self) -> None:
        keys = [
            (b.key, b.tooltip or b.description) for b in self.BINDINGS if isinstance(b, Binding)
        ]
        keys += [
            ("tab / shift+tab", "Next / previous field"),
            ("ctrl+p", "Command palette: every action"),
        ]
        self.push_screen(HelpScreen(keys))

    @property
    def unsent(self) -> bool:
        """Text typed since the draft was loaded or sent."""
        return self._persisted is not None and self.draft.to_toml() != self._persisted

    # ----- autosave: nothing typed is ever lost -----

    @work(thread=True, group="autosave")
    def _autosave(self) -> None:
        """Write the latest draft off the UI thread (fsync can take a while)."""
        self.save_now()

    def save_now(self) -> Path | None:
        """Write the draft as it is now, if it changed since the last write.

        Safe from any thread: the lock makes writes follow one another, and each
        writes the newest text, so a slow older write can never land last.
        """
        with self._save_lock:
            text = self.draft.to_toml()
            if not self._needs_saving(text):
                return None
            try:
                save_draft(self.draft_path, self.draft)
            except OSError as exc:
                message = f"Could not autosave to {self.draft_path}: {exc.strerror or exc}"
                if threading.current_thread() is threading.main_thread():
                    self.notify(message, severity="error")
                else:
                    self.call_from_thread(self.notify, message, severity="error")
                return None
            self._saved_toml = text
            return self.draft_path

    def _needs_saving(self, text: str) -> bool:
        # Before this session's first write, only unsent text is worth a file;
        # after it, the file must follow every change (an undo included).
        return text != self._saved_toml and (self._saved_toml is not None or self.unsent)

    def _terminated(self) -> None:
        """SIGTERM or SIGHUP (a closed terminal, a logout): save what is typed, then leave."""
        self.refresh_panels()  # keys typed since the last pause are in the form, not yet in the draft
        self.save_now()
        if self._needs_saving(self.draft.to_toml()):
            self.exit(f"The latest changes could not be saved to {self.draft_path}.")
        else:
            self.exit(f"Draft saved to {self.draft_path}" if self.draft_path.exists() else None)

    async def action_quit(self) -> None:
        """Quit; unsent text is saved first and comes back next time."""
        self.refresh_panels()
        saved = self.save_now()
        unsaved = self.draft.to_toml()
        if self._needs_saving(unsaved) and unsaved != self._quit_warned:
            # The save just failed (its error is on screen): quitting now would
            # lose what was typed since the last good save, so ask once for
            # this very text (typing more, or a new failure later, asks again).
            self._quit_warned = unsaved
            self.notify(
                "Your latest changes are not saved. Fix the problem above, or copy the body "
                "(ctrl+p, Copy body only); ctrl+q again quits without them.",
                severity="error",
                timeout=15,
            )
            return
        if self._needs_saving(unsaved):
            self.exit("Quit without saving the latest changes.")
        elif saved is not None or (self.unsent and self.draft_path.exists()):
            self.exit(f"Draft saved to {self.draft_path}; `outreach` reopens it next time.")
        else:
            self.exit()

    def action_new_draft(self) -> None:
        """Start a fresh composition; the current one stays in the drafts list."""
        self.refresh_panels()
        self.save_now()
        fresh = Draft(sender=self.draft.sender, template=self.template)
        self._switch_to(fresh, claim_new_draft(self.paths))
        self.notify("A fresh draft. The previous one is in the drafts list (ctrl+p, “Open draft”).")

    def open_draft(self, path: Path) -> None:
        """Reopen a saved composition from the drafts list."""
        from composer.model import InputError

        self.refresh_panels()
        self.save_now()
        try:
            draft = load_draft(path)
        except InputError as exc:
            self.notify(str(exc), title="Not opened", severity="error")
            return
        if path.name.endswith(".sent.toml"):
            lock = claim_new_draft(self.paths)
        elif (lock := lock_draft(path)) is None:
            self.notify(f"{path.name} is open in another composer.", title="Not opened")
            return
        self._switch_to(draft, lock)

    def _hold(self, lock: DraftLock) -> None:
        """Autosave to `lock`'s draft from now on, letting go of the previous one."""
        previous, self._draft_lock = self._draft_lock, lock
        self.draft_path = lock.path
        previous.release()

    def _switch_to(self, draft: Draft, lock: DraftLock) -> None:
        with self._save_lock:  # an autosave in flight must not write one draft to the other's file
            self.draft = draft
            self._hold(lock)
            self._saved_toml = None
            self._persisted = None
        self.query_one(GuidedForm).load_draft(draft)
        self.refresh_pending = True
        self.call_after_refresh(self.refresh_panels)
        self.action_focus_form()
