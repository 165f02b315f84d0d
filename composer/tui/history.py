"""F6: the emails you sent, inside the composer: newest first, filtered by
name or address; the one highlighted shown with the blocks you overruled
and your ledger with that person; marked replied, copied again, or followed
up (a fresh draft to the same person, made by the drafts room).

The screen uses the database (composer/store.py) in worker threads: the
list when it opens, the ledger of each person it shows (once per address),
a reply marked; so a database another composer holds never stops the keys,
and "Loading…" shows meanwhile. It never writes history.jsonl.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from composer.safe_text import one_line, strip_controls, visible
from composer.storage import Paths
from composer.store import Sent, StoreError, open_store
from composer.tui.literal import literal


def _row(send: Sent) -> Text:
    entry = send.entry
    who = entry.recipient or entry.email or "(no address)"
    replied = "  ✓ replied" if send.replied else ""
    return Text(one_line(f"{entry.when.astimezone():%Y-%m-%d}  {who}  {entry.subject}{replied}"))


def describe_send(send: Sent, ledger: tuple) -> str:
    """The email as the detail pane shows it: to whom and when, the blocks
    overruled with their reasons, the text, then the ledger with that person."""
    entry = send.entry
    lines = [
        f"To: {entry.recipient} <{entry.email}>" if entry.recipient else f"To: {entry.email}",
        f"Sent: {entry.when.astimezone():%Y-%m-%d %H:%M}  (#{send.id})",
    ]
    if send.replied:
        lines.append(f"Replied: {send.replied_when.astimezone():%Y-%m-%d}")
    lines += [f"Overruled {rule}: {reason}" for rule, reason in entry.accepted.items()]
    lines += ["", entry.text.rstrip("\n"), ""]
    if ledger:
        lines.append(f"What you gave and asked ({len(ledger)} emails):")
        for item in ledger:
            lines.append(f"  {item.when.astimezone():%Y-%m-%d}  {item.subject}")
            lines += [f"    gave: {gift}" for gift in item.gave or ("nothing",)]
            lines += [f"    asked: {ask}" for ask in item.asked]
    return visible("\n".join(lines))


class HistoryScreen(ModalScreen[Sent | None]):
    """The sent emails, newest first, with the highlighted one in full;
    dismissed with the email to follow up, if that was asked for."""

    BINDINGS = [
        Binding("escape,f6", "close", "Close", id="history.close", tooltip="Back to the draft"),
        Binding("r", "mark_replied", "Replied", id="history.replied", tooltip="They answered"),
        Binding("c", "copy_again", "Copy", id="history.copy", tooltip="Copy this email again"),
        Binding(
            "f", "follow_up", "Follow up", id="history.follow-up", tooltip="Write to them again"
        ),
    ]

    def __init__(self, paths: Paths) -> None:
        super().__init__()
        self._paths = paths
        self._sends: list[Sent] | None = None
        """Newest first; None until the worker has read them."""
        self._shown: list[Sent] = []
        self._ledgers: dict[str, tuple] = {}
        """Each address's ledger, read once while the screen is open."""

    def compose(self) -> ComposeResult:
        with Vertical(id="history-dialog"):
            yield Input(placeholder="filter by name or address", id="history-filter")
            yield OptionList(id="history-list")
            with VerticalScroll(id="history-detail"):
                yield Static("Loading…", id="history-text", markup=False)
            with Horizontal(id="history-buttons"):
                yield Button("Follow up  f", id="history-follow-up")
                yield Button("Mark replied  r", id="history-replied")
                yield Button("Copy again  c", id="history-copy")
                yield Button("Close  esc", id="history-close")

    def on_mount(self) -> None:
        # The filter first, like a search box: "f6, dana, tab, r" must mark
        # Dana's email, and with the list focused "dana" did nothing and r
        # then marked the newest email, someone else's.
        self.query_one("#history-filter", Input).focus()
        self._read_sends()

    @on(Input.Submitted, "#history-filter")
    def _to_the_list(self) -> None:
        self.query_one("#history-list", OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.focused is self.query_one("#history-filter", Input):
            event.stop()
            self._to_the_list()

    @work(thread=True, group="history")
    def _read_sends(self) -> None:
        try:
            with open_store(self._paths) as store:
                sends = list(reversed(store.sends()))
        except StoreError as exc:
            self._from_thread(self.app.notify, literal(str(exc)), title="History", severity="error")
            sends = []
        self._from_thread(self._sends_read, sends)

    def _from_thread(self, callback, *args, **kwargs) -> None:
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(callback, *args, **kwargs)

    def _sends_read(self, sends: list[Sent]) -> None:
        if self.is_attached:
            self._sends = sends
            self._show_list(self.query_one("#history-filter", Input).value)

    def _show_list(self, query: str) -> None:
        wanted = query.strip().lower()
        self._shown = [
            send
            for send in self._sends or ()
            if wanted in f"{send.entry.recipient} {send.entry.email}".lower()
        ]
        options = self.query_one("#history-list", OptionList)
        options.clear_options()
        options.add_options([Option(_row(send), id=str(send.id)) for send in self._shown])
        if self._shown:
            options.highlighted = 0
        else:
            if self._sends is None:
                message = "Loading…"
            elif self._sends:
                message = "No email to that name or address."
            else:
                message = "No emails sent yet."
            self.query_one("#history-text", Static).update(message)

    @on(Input.Changed, "#history-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show_list(event.value)

    @on(OptionList.OptionHighlighted, "#history-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        send = self.current
        if send is None:
            return
        key = send.entry.email.strip().lower()
        if key in self._ledgers:
            self._show_send(send)
        else:
            self.query_one("#history-text", Static).update("Loading…")
            self._read_ledger(send)

    @work(thread=True, group="history-ledger")
    def _read_ledger(self, send: Sent) -> None:
        from composer.ledger import contact_ledger

        try:
            with open_store(self._paths) as store:
                ledger = contact_ledger(store, send.entry.email)
        except StoreError:
            ledger = ()  # said when the list was read
        self._from_thread(self._ledger_read, send, ledger)

    def _ledger_read(self, send: Sent, ledger: tuple) -> None:
        self._ledgers[send.entry.email.strip().lower()] = ledger
        if self.is_attached and self.current is not None and self.current.id == send.id:
            self._show_send(self.current)

    def _show_send(self, send: Sent) -> None:
        ledger = self._ledgers[send.entry.email.strip().lower()]
        self.query_one("#history-text", Static).update(describe_send(send, ledger))

    @property
    def current(self) -> Sent | None:
        """The highlighted email, if any."""
        index = self.query_one("#history-list", OptionList).highlighted
        return self._shown[index] if index is not None and index < len(self._shown) else None

    @on(Button.Pressed, "#history-replied")
    def action_mark_replied(self) -> None:
        if self.current is not None:
            self._mark_replied(self.current)

    @work(thread=True, group="history")
    def _mark_replied(self, send: Sent) -> None:
        try:
            with open_store(self._paths) as store:
                store.mark_replied(send.id, datetime.now(UTC))
                updated = store.send(send.id)
        except StoreError as exc:
            self._from_thread(
                self.app.notify, literal(str(exc)), title="Not marked", severity="error"
            )
            return
        if updated is not None:
            self._from_thread(self._replied, updated)

    def _replied(self, updated: Sent) -> None:
        self.app.notify(
            literal(one_line(f"#{updated.id} to {updated.entry.email}: replied")), title="History"
        )
        if not self.is_attached or self._sends is None:
            return
        self._sends = [updated if s.id == updated.id else s for s in self._sends]
        index = self.query_one("#history-list", OptionList).highlighted
        self._show_list(self.query_one("#history-filter", Input).value)
        self.query_one("#history-list", OptionList).highlighted = index

    @on(Button.Pressed, "#history-copy")
    def action_copy_again(self) -> None:
        send = self.current
        if send is not None:
            # Sent before, so it passed the gate then; it goes out exactly as it went.
            self.app.copy_text_again(strip_controls(send.entry.text))

    @on(Button.Pressed, "#history-follow-up")
    def action_follow_up(self) -> None:
        if self.current is not None:
            self.dismiss(self.current)

    @on(Button.Pressed, "#history-close")
    def action_close(self) -> None:
        self.dismiss(None)
