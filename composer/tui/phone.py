"""F5: the email as its recipient first sees it, on a phone.

A screen over the composer rather than a mode of the preview panel: at 80x24
the preview has 40 columns by 8 lines, no room for an inbox row and the
opened email at a phone's width; the screen has the whole height. Every
figure comes from composer/phone.py; this module only draws them.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from composer.phone import (
    PHONE_COLUMNS,
    READING_BUDGET_SECONDS,
    PhoneView,
    cut,
    phone_view,
    say_seconds,
    wrap,
)
from composer.safe_text import visible
from composer.tui.panels import PHONE_KEY, PREVIEW_LIMIT, Palette, palette_for

SHOWN_LINES = PREVIEW_LIMIT // PHONE_COLUMNS
"""Lines of the opened email drawn: as in the preview, a pasted job ad is not
laid out whole (its reading time still counts every word)."""


def reading_line(view: PhoneView, palette: Palette) -> Text:
    """The reading time against the short-attention budget."""
    budget = say_seconds(READING_BUDGET_SECONDS)
    took = f"{say_seconds(view.seconds)} to read ({view.words} words)"
    if view.within_budget:
        return Text(f"{took}; budget {budget}", style=palette.ok)
    return Text(f"{took}: over the {budget} budget", style=palette.not_ok)


class PhoneScreen(ModalScreen[None]):
    """The inbox row (sender, cut subject, first line), the reading time, and
    the opened email wrapped at a phone's width."""

    BINDINGS = [
        Binding(
            f"escape,{PHONE_KEY}",
            "dismiss",
            "Back",
            id="phone.close",
            tooltip="Back to the composer",
        ),
    ]

    def __init__(self, view: PhoneView) -> None:
        super().__init__()
        self._view = view

    def compose(self) -> ComposeResult:
        view = self._view
        palette = palette_for(self)
        inbox = Text(cut(view.sender, PHONE_COLUMNS) or "(no name)", style="bold")
        inbox.append("\n" + (view.subject or "(no subject)"), style="bold")
        inbox.append("\n" + (view.preview or "(no text)"), style=palette.quiet)
        opened = Text("\n".join(wrap(view.full_subject)) + "\n\n", style="bold")
        opened.append("\n".join(view.lines[:SHOWN_LINES]))
        if len(view.lines) > SHOWN_LINES:
            more = len(view.lines) - SHOWN_LINES
            opened.append(f"\n\n… and {more:,} more lines on the phone.", style="bold")
        with Vertical(id="phone") as phone:
            phone.border_title = "On a phone"
            phone.border_subtitle = f"{PHONE_KEY} or esc: back"
            yield Static(inbox, id="phone-inbox")
            yield Static(reading_line(view, palette), id="phone-reading")
            with VerticalScroll(id="phone-email"):
                yield Static(opened, id="phone-text")

    def action_dismiss(self) -> None:
        self.dismiss()


class PhonePreview:
    """The composer's part: open the phone view on the email as it is now."""

    def action_phone_view(self) -> None:
        if not self._email_is_current(self.action_phone_view):
            return
        if self.report is None:
            self.notify(
                "No email to show on a phone: fix the template error in the preview first.",
                severity="warning",
            )
            return
        view = phone_view(visible(self.report.text), visible(self.draft.sender.name))
        self.push_screen(PhoneScreen(view))
