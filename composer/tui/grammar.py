"""Spelling and grammar in the composer: the background check, the question
to download LanguageTool, the slips list and F4's one-key fixes.

A mixin on ComposerApp rather than a widget: a fix edits the form's fields
and re-checks the email, the checklist reads `app.grammar`, and the send gate
asks `grammar_pending`; tests drive `check_grammar`, `apply_fix` and
`action_list_slips` on the app, and F4's action resolves on it.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.widgets import TextArea

from composer.tui.form import field_value
from composer.tui.literal import literal
from composer.tui.screens import ConfirmScreen, SlipsScreen
from composer.tui.steps import FIELD_IDS, FIELD_LABELS

if TYPE_CHECKING:
    from composer.grammar import BackgroundChecker
    from composer.slips import GrammarResult, Slip


class GrammarChecks:
    """The grammar thread's answers on screen, and the ways to act on them."""

    def init_grammar(self) -> None:
        self.grammar: GrammarResult | None = None
        """The latest grammar check, moved onto the email as it is now."""
        self._grammar: BackgroundChecker | None = None
        self._grammar_timer: Timer | None = None
        self._grammar_sent = ""
        self._grammar_shown = 0
        self._asked_download = False
        self._had_slips = False
        self._grammar_retry: Timer | None = None

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
                    literal(
                        "Your email's text is sent to LanguageTool's public API "
                        '(languagetool.org) to check it: [grammar] backend = "public" in config.toml.'
                    ),
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
            self.call_from_thread(self.notify, literal(f"Grammar: {exc!r}"), severity="error")

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
            self.notify(
                literal(f"{problem}. Spelling only for now."), title="Grammar", severity="error"
            )
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
                    literal(f"“{self._slip_text(slip)}” is in {self._source_of(slip)}."),
                    title="Grammar",
                    severity="warning",
                )
            else:
                self.notify(
                    literal(f"“{self._slip_text(slip)}”: {slip.message} (no suggestion to apply)"),
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
            self.notify(
                literal(f"“{old}” changed since it was checked; nothing replaced."), title="Grammar"
            )
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
        self.notify(
            literal(f"“{old}” → “{replacement}” in {FIELD_LABELS[field]}.{undo}"), title="Fixed"
        )

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
            self.notify(literal(problem), severity="warning")
        else:
            self.notify(
                literal(f"“{word}” is in your word list ({self.paths.config_file})."),
                title="Grammar",
            )
        self._recheck_grammar()
