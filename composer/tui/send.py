"""The send gate and the senders' UI: ctrl+j to the clipboard, the subject or
body alone, a .eml file, a mailto: link, and the history each send records.

A mixin on ComposerApp rather than a widget: every sender passes the one
gate (`_sendable`), which needs the app's freshly rendered email, report and
grammar state; tests and the palette call `action_send`, `copy_part`,
`save_eml` and `open_mail_client` on the app.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual import work
from textual.widgets import Button, Static

from composer.drafts import claim_new_draft, mark_sent
from composer.model import Email
from composer.safe_text import describe_control, one_line, strip_controls
from composer.senders import (
    HistoryEntry,
    copy_to_system_clipboard,
    mailto_url,
    recent_contact,
    record_send,
    save_eml,
)
from composer.store import StoreError, open_store, take_in_log
from composer.tui.literal import literal
from composer.tui.screens import AskScreen


class SendGate:
    """Let the email leave only when the checklist allows it, and say how it went."""

    def init_send_gate(self) -> None:
        self.history: list[HistoryEntry] = []
        self.ledgers: dict[str, tuple] = {}
        """Each recipient's ledger (composer/ledger.py), read once per address and send."""
        self._ledgers_asked: dict[str, object] = {}
        """Addresses whose ledger a worker is reading now, each with its read's token."""
        self._told_clipboard_problem = False

    def ledger_for(self, address: str) -> tuple | None:
        """What each email sent to `address` gave and asked, for the `ledger`
        rule, as far as it is known now: only an address the history holds
        has one, read from the database in a worker (SQLite may wait on
        another composer's lock), and the checklist runs again when it is in.
        Until then it is None, and the rule says it is not read yet."""
        key = address.strip().lower()
        if not any(entry.email.strip().lower() == key for entry in self.history):
            return ()
        if key not in self.ledgers and key not in self._ledgers_asked:
            self._ledgers_asked[key] = token = object()
            self._read_ledger(key, token)
        return self.ledgers.get(key)  # None until read: the rule says so

    @work(thread=True, group="ledger")
    def _read_ledger(self, key: str, token: object) -> None:
        from composer.ledger import contact_ledger

        try:
            with open_store(self.paths) as store:
                ledger = contact_ledger(store, key)
        except StoreError:
            ledger = ()  # said when a send cannot reach the database; the rule is then skipped
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.call_from_thread(self._ledger_read, key, token, ledger)

    def _ledger_read(self, key: str, token: object, ledger: tuple) -> None:
        if self._ledgers_asked.get(key) is not token:
            return  # a send since made this read stale; the next check reads it again
        del self._ledgers_asked[key]
        self.ledgers[key] = ledger
        if self.draft.recipient.email.strip().lower() == key:
            self.refresh_panels(background=True)

    def _ledger_blocks_unread(self) -> bool:
        """Whether the `ledger` rule blocks in these settings and has not yet
        judged this recipient: skipped until then, it must not let the email out."""
        from composer.checklist import rule_severity

        key = self.draft.recipient.email.strip().lower()
        return key in self._ledgers_asked and rule_severity("ledger", self.config.rules) == "block"

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
                one_line(
                    f"You wrote to {entry.email} on {entry.when.astimezone():%Y-%m-%d}: “{entry.subject}”"
                )
            )
        )
        label.display = True

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
            self.notify(
                f"{literal(what)}: the template has an error (see the preview).", severity="error"
            )
            return None
        if self._grammar_severity == "block" and self.grammar_pending and self._grammar_blocks:
            # Grammar blocks sending in these settings: the check of this very
            # text must come back first.
            self.check_grammar()
            self.notify(
                f"{literal(what)}: grammar is still being checked (it blocks sending in your settings); "
                "try again in a moment.",
                title="Blocked",
                severity="warning",
            )
            return None
        if self._ledger_blocks_unread():
            self.notify(
                f"{literal(what)}: your ledger with this person is still being read (it blocks "
                "sending in your settings); try again in a moment.",
                title="Blocked",
                severity="warning",
            )
            return None
        if problem := describe_control(self.email.text):
            # The fields never hold one (the form removes them); a template or
            # a profile can: the email leaves exactly as shown, or not at all.
            self.notify(
                f"{literal(what)}: the email holds a control character, {literal(problem)}, from the "
                "template or your profile; remove it there.",
                title="Blocked",
                severity="error",
            )
            return None
        if not self.report.sendable:
            unmet = ", ".join(f.title.lower() for f in self.report.blockers)
            self.notify(
                literal(f"{what}: still to do — {unmet}."), title="Blocked", severity="error"
            )
            self.bell()
            return None
        if not self.draft.sender.name.strip() and not self.report.signed:
            # "Best," and no name: asked here, not by a blocking rule, because
            # the composer can fix it in one step (the profile signs the draft).
            self.ask_sender(what, action)
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
            accepted = self.report.accepted if self.report is not None else {}
            to = self.draft.recipient
            entry = record_send(
                self.paths, email, to.name, accepted=accepted, company=to.company, role=to.role
            )
        except OSError as exc:
            self.notify(
                literal(f"Sent, but the history could not be written: {exc}"), severity="warning"
            )
            return
        self.history.append(entry)
        self.ledgers.clear()
        self._ledgers_asked.clear()
        self._take_in_send()
        self._persisted = self.draft.to_toml()
        self.save_now()
        with contextlib.suppress(OSError):
            mark_sent(self.draft_path)
        # Editing after a send starts a new composition; the sent one is kept.
        self._hold(claim_new_draft(self.paths))
        self._saved_toml = None

    @work(thread=True, group="store")
    def _take_in_send(self) -> None:
        """The database takes the send in off the UI thread (a long history is
        read whole); it is safe in history.jsonl already, and a database that
        cannot take it now takes it when it next opens."""
        try:
            take_in_log(self.paths)
        except StoreError as exc:
            self.call_from_thread(
                self.notify, literal(f"Sent and kept in the history, but {exc}"), severity="warning"
            )

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
        self.call_from_thread(self.notify, literal(message), title="Copied")

    def copy_text_again(self, text: str) -> None:
        """Copy an email sent before (the history screen): it passed the gate when it left."""
        self.copy_to_clipboard(text)
        self._copy_to_system(text, "The email")

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
                self.notify(
                    literal(f"Could not save {target}: {exc.strerror or exc}"), severity="error"
                )
                return
            except InputError as exc:  # a header the email cannot carry, e.g. a line break
                self.notify(literal(f"Not saved: {exc}"), severity="error")
                return
            self._record(email)
            self.notify(literal(str(target)), title="Saved as .eml")

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
