"""Drafts in the composer: autosave, new and open, the lock on each draft
file, the quit guard and the signals (SIGTERM, SIGHUP) that save before leaving.

A mixin on ComposerApp rather than a controller object: quit must override
App.action_quit, and tests, benchmarks and the other rooms call `save_now`,
`unsent` and `draft_path` on the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from pathlib import Path

from textual import work

from composer.drafts import (
    DraftLock,
    claim_new_draft,
    load_draft,
    lock_draft,
    save_draft,
)
from composer.model import Draft, Recipient
from composer.tui.form import GuidedForm
from composer.tui.hangup import POLL, HangupGuard
from composer.tui.literal import literal


class DraftKeeping:
    """Nothing typed is ever lost: every edit is saved, on quit and on a hang-up too."""

    def init_drafts(self, draft_lock: DraftLock) -> None:
        # Where this composition autosaves: a file of the drafts folder (never
        # the file given with --draft, which stays as the user wrote it),
        # held so that no other composer writes it too.
        self._draft_lock = draft_lock
        self.draft_path = self._draft_lock.path
        self._save_lock = threading.Lock()
        self._saved_toml: str | None = None
        # The draft as it was loaded or sent; until it differs there is nothing
        # to autosave. Taken from the form (at mount, and at the first refresh
        # after another draft opens), so the picker's own choice of template
        # does not count as an edit.
        self._persisted: str | None = None
        # The draft, as TOML, that ctrl+q last warned could not be saved.
        self._quit_warned: str | None = None
        self._leaving = False

    def save_on_signals(self) -> None:
        """SIGTERM, SIGHUP (a closed terminal) and a suspend save the draft first;
        a terminal that goes away ends the composer even if its UI thread is stuck."""
        loop = asyncio.get_running_loop()
        # Windows has neither signal.
        for name in ("SIGTERM", "SIGHUP"):
            with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(getattr(signal, name), self._terminated)
        self.app_suspend_signal.subscribe(self, lambda _app: self.save_now())
        terminal = sys.__stdin__  # what Textual reads keys from
        # Windows has no poll(), and its console has no hang-up to watch for.
        if self.is_headless or terminal is None or not terminal.isatty() or not POLL:
            return

        def hung_up() -> None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: the app is leaving
                loop.call_soon_threadsafe(self._terminated)

        HangupGuard(terminal.fileno(), hung_up, self._save_from_another_thread)

    @property
    def unsent(self) -> bool:
        """Text typed since the draft was loaded or sent."""
        return self._persisted is not None and self.draft.to_toml() != self._persisted

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
                    self.notify(literal(message), severity="error")
                else:
                    self.call_from_thread(self.notify, literal(message), severity="error")
                return None
            self._saved_toml = text
            return self.draft_path

    def _needs_saving(self, text: str) -> bool:
        # Before this session's first write, only unsent text is worth a file;
        # after it, the file must follow every change (an undo included).
        return text != self._saved_toml and (self._saved_toml is not None or self.unsent)

    def _terminated(self) -> None:
        """SIGTERM or SIGHUP (a closed terminal, a logout): save what is typed, then leave."""
        if self._leaving:
            return  # the hang-up is both a SIGHUP and the HangupGuard's call
        self._leaving = True
        self.refresh_panels()  # keys typed since the last pause are in the form, not yet in the draft
        self.save_now()
        if self._needs_saving(self.draft.to_toml()):
            self.exit(f"The latest changes could not be saved to {self.draft_path}.")
        else:
            self.exit(f"Draft saved to {self.draft_path}" if self.draft_path.exists() else None)

    def _save_from_another_thread(self) -> None:
        """The HangupGuard's last save, made while the UI thread is stuck: what
        the form holds is read from here (nothing changes it any more), and
        the save lock is not waited on for long, as its holder may be stuck too."""
        # A form half torn down raises anything: then the draft as the last pause read it is saved.
        with contextlib.suppress(Exception):
            self.draft = self.query_one(GuidedForm).read_draft(self.draft)
        locked = self._save_lock.acquire(timeout=1)
        try:
            if self._needs_saving(self.draft.to_toml()):
                with contextlib.suppress(OSError):  # nowhere left to say so
                    save_draft(self.draft_path, self.draft)
        finally:
            if locked:
                self._save_lock.release()

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

    def follow_up(self, recipient: Recipient, subject: str) -> None:
        """A fresh draft to someone written to before: "Re: <subject>", the
        earlier email named above the form (the recent-contact line), never
        pasted into the body."""
        self.refresh_panels()
        self.save_now()
        again = subject if subject.lower().startswith("re:") else f"Re: {subject}"
        fresh = Draft(
            subject=again, recipient=recipient, sender=self.draft.sender, template=self.template
        )
        self._switch_to(fresh, claim_new_draft(self.paths))
        self.notify(
            "A follow-up should give something new (a link, a result, an intro), "
            "not just “bumping this”. f6 shows your earlier email.",
            title="Follow up",
        )

    def open_draft(self, path: Path) -> None:
        """Reopen a saved composition from the drafts list."""
        from composer.model import InputError

        self.refresh_panels()
        self.save_now()
        try:
            draft = load_draft(path)
        except InputError as exc:
            self.notify(literal(str(exc)), title="Not opened", severity="error")
            return
        if path.name.endswith(".sent.toml"):
            lock = claim_new_draft(self.paths)
        elif (lock := lock_draft(path)) is None:
            self.notify(f"{literal(path.name)} is open in another composer.", title="Not opened")
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
        self.forget_contact_fill()
        self.query_one(GuidedForm).load_draft(draft)
        self.refresh_pending = True
        self.call_after_refresh(self.refresh_panels)
        self.action_focus_form()
