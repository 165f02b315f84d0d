"""Text from files, made safe to show in a terminal or put on a clipboard.

A terminal obeys the control characters it is sent, whoever wrote them: an
email or a template holding ``ESC ] 52 ; c ; …`` sets the clipboard, ``ESC ] 0 ;``
the window title, ``ESC [ 2 J`` clears the screen. So every piece of a user's
text that the app shows goes through `visible`, and what leaves for a
clipboard goes through `strip_controls`.

The notation: each control character becomes ONE visible character, so the
text keeps its length and the checklist's spans still line up with it:

- C0 characters other than tab and newline (U+0000–U+001F) become their
  Unicode control pictures: ESC shows as ␛, BEL as ␇, CR as ␍, NUL as ␀;
- DEL (U+007F) shows as ␡;
- C1 characters (U+0080–U+009F), which have no pictures, and lone surrogates
  (which no terminal can be sent) show as � (U+FFFD).

Pure: no I/O, no third-party imports (the CLI and the composer both use it).
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Every character a terminal may act on rather than show (tab and newline
are the two it may be given), and lone surrogates, which cannot be encoded."""

_PICTURES = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n"}
_PICTURES[0x7F] = 0x2421
_PICTURES.update({code: 0xFFFD for code in range(0x80, 0xA0)})

_NAMES = {0x1B: "ESC", 0x07: "BEL", 0x0D: "CR", 0x00: "NUL", 0x08: "BS", 0x7F: "DEL"}


def visible(text: str) -> str:
    """`text` with every control character shown as one visible character."""
    if not CONTROL.search(text):
        return text
    text = text.translate(_PICTURES)
    return CONTROL.sub("\ufffd", text)  # the lone surrogates translate() cannot map


def has_controls(text: str) -> bool:
    """Whether `text` holds a character `visible` would change."""
    return CONTROL.search(text) is not None


def strip_controls(text: str) -> str:
    """`text` as plain text: CRLF made a newline, every other control removed.

    For what goes into the composer's fields and onto a clipboard: an email
    holds words, tabs and newlines, never a terminal command.
    """
    if not CONTROL.search(text):
        return text
    return CONTROL.sub("", text.replace("\r\n", "\n"))


def describe_control(text: str) -> str:
    """Where the first control character of `text` is, for a message:
    "ESC (U+001B) at line 3, column 7". Empty when there is none."""
    found = CONTROL.search(text)
    if found is None:
        return ""
    code = ord(found.group())
    name = _NAMES.get(code)
    label = f"{name} (U+{code:04X})" if name else f"U+{code:04X}"
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return f"{label} at line {line}, column {column}"


def one_line(text: str) -> str:
    """`visible`, for a place that has one line: a newline shows as ␤ (a
    recipient's name with a newline must not break a listing)."""
    return visible(text).replace("\n", "\u2424")
