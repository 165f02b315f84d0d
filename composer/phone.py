"""The email as a phone shows it to its recipient.

Most cold mail is first read on a phone: the inbox cuts the subject, shows
one line of the body under it, and the opened email wraps at about 40
columns. These pure functions work that out from the email's text, so the
composer's phone view (composer/tui/phone.py) stays a picture of them and
the tests need no screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from composer.checklist.doc import Doc

PHONE_COLUMNS = 40
"""Characters on a line of a phone's mail app in portrait (about 40 at the default text size)."""

SUBJECT_CHARS = 35
"""Where a phone's inbox cuts the subject (the `subject` rule's max_chars is the same figure)."""

WORDS_PER_MINUTE = 200
"""A common figure for reading on a screen."""

READING_BUDGET_SECONDS = 40
"""The short-attention budget: 125 words, the top of the `length` rule's range
(Boomerang's best-replied bodies), take about 38 seconds at 200 words a
minute; a stranger's email read on a phone gets about that much."""


def cut(text: str, limit: int) -> str:
    """`text` on one line in at most `limit` characters, cut at a space where
    one is near the end, with "…" when anything was left out."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    # The ellipsis takes the last place; a space up to it ends a whole word.
    space = line.rfind(" ", 0, limit)
    # A space in the last third keeps whole words; further back it would waste the line.
    room = line[:space] if space >= limit * 2 // 3 else line[: limit - 1]
    return room.rstrip(" ,;:-–—") + "…"


def inbox_preview(text: str, width: int = PHONE_COLUMNS) -> str:
    """The inbox's line under the subject: the body's first words after the
    greeting ("Hi Heather," says nothing the recipient does not know)."""
    doc = Doc(text)
    return cut(text[doc.content_start :], width)


def wrap(text: str, width: int = PHONE_COLUMNS) -> list[str]:
    """Lines of at most `width` characters, broken at spaces. A word that fits
    on a line (a link, most often) is never split; only one longer than a
    whole line is, as the phone does. Blank lines stay."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            while len(word) > width:
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:width])
                word = word[width:]
            if not word:
                continue
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = ""
            line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


def reading_seconds(words: int) -> int:
    """Seconds to read `words` at WORDS_PER_MINUTE, rounded up."""
    return math.ceil(words * 60 / WORDS_PER_MINUTE)


def say_seconds(seconds: int) -> str:
    """ "38 s", "1 min 12 s": a reading time as a phone user thinks of it."""
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


@dataclass(frozen=True)
class PhoneView:
    """What the recipient sees: the inbox row, then the opened email."""

    sender: str
    subject: str
    """The subject as the inbox shows it (cut)."""
    preview: str
    full_subject: str
    lines: list[str]
    """The body wrapped at PHONE_COLUMNS."""
    words: int
    """The body's words, counted as the `length` rule counts them."""

    @property
    def seconds(self) -> int:
        return reading_seconds(self.words)

    @property
    def within_budget(self) -> bool:
        return self.seconds <= READING_BUDGET_SECONDS


def phone_view(text: str, sender: str) -> PhoneView:
    """The phone's view of an email (`Subject:` line, blank line, body) from `sender`."""
    doc = Doc(text)
    return PhoneView(
        sender=" ".join(sender.split()),
        subject=cut(doc.subject, SUBJECT_CHARS),
        preview=inbox_preview(text),
        full_subject=" ".join(doc.subject.split()),
        lines=wrap(text[doc.body_start :].strip("\n")),
        words=len(doc.word_spans),
    )
