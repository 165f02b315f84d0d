"""The live update: every edit re-renders the draft, re-runs the checklist and
repaints the preview, the checklist and the send gate.

A mixin on ComposerApp rather than a widget: the render and checklist results
(`app.email`, `app.report`, `app.refresh_pending`) are what every other room
and the tests and benchmarks read, and the @work groups must stay the app's.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError
from typing import TYPE_CHECKING

from textual import work
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Select

from composer.model import Draft, Email
from composer.templates_store import TemplateError
from composer.tui.form import GuidedForm, field_value
from composer.tui.panels import PREVIEW_LIMIT, ChecklistPanel, EmailPreview
from composer.tui.steps import FIELD_IDS

if TYPE_CHECKING:
    from composer.checklist import Report
    from composer.checklist.data.compiled import CueCache
    from composer.slips import GrammarResult

LARGE_EMAIL = 30_000
"""Characters from which the debounced checklist runs in a worker thread
(~30 ms of checking: more would show in the typing)."""


class LiveUpdate:
    """Render, check and repaint, debounced; the render runs in a worker."""

    def init_live_update(self) -> None:
        self.report: Report | None = None
        self.email: Email | None = None
        self._refresh_timer: Timer | None = None
        self._compiled_cues: CueCache | None = None  # read at the first check
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
        ledger = self.ledger_for(self.draft.recipient.email)
        if background and len(text) > LARGE_EMAIL:
            self._check_in_background(text, self.draft, self.grammar, ledger)
            return
        self._show_report(self._run_checklist(text, self.draft, self.grammar, ledger))

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

    def _run_checklist(
        self, text: str, draft: Draft, grammar: GrammarResult | None, ledger: tuple | None
    ) -> Report:
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
            accepted=draft.accepted,
            history=tuple(self.history),
            ledger=ledger,
        )

    @work(thread=True, exclusive=True, group="checklist")
    def _check_in_background(
        self, text: str, draft: Draft, grammar: GrammarResult | None, ledger: tuple | None
    ) -> None:
        from textual.worker import get_current_worker

        report = self._run_checklist(text, draft, grammar, ledger)
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
        self.drop_lapsed_marks(report)
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
