"""Getting the email out: the system clipboard, .eml files, mailto: links, and
the history of what was sent.

The terminal's own clipboard (OSC 52) belongs to the UI (Textual's
`App.copy_to_clipboard`); everything here works without a terminal.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from composer.model import Email, InputError
from composer.storage import (
    FileTooLarge,
    NotARegularFile,
    Paths,
    append_line,
    atomic_write,
    read_file,
)

RECENT_CONTACT_DAYS = 30
"""Writing to someone again within this many days gets a warning."""

HISTORY_LIMIT = 64 * 1024 * 1024
"""About 30,000 emails; a history larger than this is not read (it is never cut)."""

_ONE_LINE_FIELDS = ("recipient", "email", "subject")


def copy_to_system_clipboard(text: str) -> str | None:
    """Copy through pyperclip; None on success, else why it could not.

    pyperclip is imported here, not at start-up: it probes for xclip, xsel,
    wl-copy or pbcopy, which costs time and fails on headless machines (SSH).
    """
    try:
        import pyperclip
    except ImportError:
        return "pyperclip is not installed"
    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        # Its own message is a paragraph with a URL; what the user needs is the fix.
        return "no clipboard tool found (install xclip, xsel or wl-clipboard)"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def eml_bytes(email: Email, sender: str = "") -> bytes:
    """The email as an RFC 822 message a mail client opens as an unsent draft."""
    from email.message import EmailMessage

    for header, value in (
        ("recipient's address", email.to),
        ("sender", sender),
        ("subject", email.subject),
    ):
        if any(c in value for c in "\r\n"):
            # The email package refuses it with a ValueError; a header that
            # could hold a line break could also smuggle in a Bcc: line.
            raise InputError(
                f"the {header}", "has a line break in it, which an email header cannot hold"
            )
    message = EmailMessage()
    if email.to:
        message["To"] = email.to
    if sender:
        message["From"] = sender
    message["Subject"] = email.subject
    # Outlook and Thunderbird open a message with this header as a draft to send.
    message["X-Unsent"] = "1"
    message.set_content(email.body)
    return bytes(message)


def save_eml(email: Email, path: Path, sender: str = "") -> Path:
    """Write the .eml atomically; returns the path written."""
    atomic_write(path, eml_bytes(email, sender), private=False)
    return path


def mailto_url(email: Email) -> str:
    """A mailto: link with the recipient, subject and body filled in."""
    query = f"subject={quote(email.subject)}&body={quote(email.body)}"
    return f"mailto:{quote(email.to, safe='@')}?{query}"


@dataclass(frozen=True)
class HistoryEntry:
    """One sent email, as recorded in history.jsonl."""

    timestamp: str
    recipient: str
    email: str
    subject: str
    text: str
    accepted: dict[str, str] = field(default_factory=dict)
    """Checklist blocks the sender overruled for this email: rule id -> reason."""
    company: str = ""
    role: str = ""
    """The recipient's company and role as the form had them: their contact keeps them."""

    @property
    def when(self) -> datetime:
        """When it was sent, in UTC; show it with `.astimezone()` (local time)."""
        return utc(datetime.fromisoformat(self.timestamp))


def utc(when: datetime) -> datetime:
    """`when` made comparable: a time written without a zone (by hand, or by
    an old version) is taken as UTC, which is what the composer writes."""
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


_TEXT_FIELDS = ("timestamp", "recipient", "email", "subject", "text")


def record_send(
    paths: Paths,
    email: Email,
    recipient_name: str,
    now: datetime | None = None,
    accepted: dict[str, str] | None = None,
    company: str = "",
    role: str = "",
) -> HistoryEntry:
    """Append a sent email to the history file, with any block its sender
    overruled. The log is written first and alone: the database
    (composer/store.py) takes the line in when it next opens, so a locked or
    broken database loses no send."""
    entry = HistoryEntry(
        timestamp=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
        recipient=recipient_name,
        email=email.to,
        subject=email.subject,
        text=email.text,
        accepted=dict(accepted or {}),
        company=company,
        role=role,
    )
    # Optional keys are left out when empty: a line has only what it needs.
    data = {key: value for key, value in asdict(entry).items() if value or key in _TEXT_FIELDS}
    append_line(paths.history, json.dumps(data, ensure_ascii=False))
    return entry


def read_history(paths: Paths) -> tuple[list[HistoryEntry], list[str]]:
    """Every readable entry, oldest first, and what could not be read.

    A line torn by a crash, or edited by hand into something else, is skipped
    and reported, never fatal, and the file is never rewritten. A file that
    cannot be read at all is reported the same way: the history is then empty.
    """
    raw, problems = read_log(paths)
    if raw is None:
        return [], problems
    keyed, bad = parse_log(raw)
    return [tidied(entry) for _, entry in keyed], skipped_lines(paths, bad)


def read_log(paths: Paths) -> tuple[bytes | None, list[str]]:
    """history.jsonl's bytes (empty when there is none yet), or None and why
    it could not be read."""
    try:
        return read_file(paths.history, HISTORY_LIMIT), []
    except FileNotFoundError:
        if paths.history.is_symlink():
            return None, [
                f"{paths.history}: a link to {os.readlink(paths.history)}, which does not exist"
            ]
        return b"", []
    except (FileTooLarge, NotARegularFile) as exc:
        return None, [f"{paths.history}: {exc.strerror}; history not shown"]
    except OSError as exc:
        return None, [f"{paths.history}: cannot read ({exc.strerror or exc}); history not shown"]


def parse_log(raw: bytes) -> tuple[list[tuple[str, HistoryEntry]], list[int]]:
    """The readable entries of history.jsonl's bytes, each with its line's
    digest (how the store knows a line it has already taken in), and the
    numbers of the lines skipped."""
    import hashlib

    entries, bad = [], []
    # Lines end at "\n" only: json.dumps leaves U+0085, U+2028 and the like in
    # a subject as they are, and splitlines() would cut the entry there.
    for number, line in enumerate(raw.decode("utf-8", "replace").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = checked_entry(json.loads(line))
        except (ValueError, KeyError, TypeError, OverflowError):
            bad.append(number)
            continue
        entries.append((hashlib.sha256(line.encode("utf-8", "replace")).hexdigest(), entry))
    return entries, bad


def skipped_lines(paths: Paths, bad: list[int]) -> list[str]:
    """The message naming the lines of history.jsonl that could not be read, if any."""
    if not bad:
        return []
    shown = ", ".join(map(str, bad[:10])) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
    return [f"{paths.history}: skipped unreadable lines {shown}"]


def checked_entry(data: dict) -> HistoryEntry:
    """One line's entry (or one database row's), exactly as written;
    ValueError, KeyError, TypeError or OverflowError when it is not one."""
    values = {k: data[k] for k in _TEXT_FIELDS}
    if not all(isinstance(v, str) for v in values.values()):
        raise TypeError("every field is text")
    accepted = data.get("accepted", {})
    if not isinstance(accepted, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in accepted.items()
    ):
        raise TypeError("accepted maps rule ids to reasons")
    extra = {key: data.get(key, "") for key in ("company", "role")}
    if not all(isinstance(v, str) for v in extra.values()):
        raise TypeError("company and role are text")
    entry = HistoryEntry(**values, accepted=accepted, **extra)
    _check_when(datetime.fromisoformat(entry.timestamp))
    return entry


def tidied(entry: HistoryEntry) -> HistoryEntry:
    """The entry as a listing shows it: a line break in a name (typed, pasted
    or edited in) must not start a new entry there, so the name, address and
    subject are each made one line. The email's text is left as it is."""
    return replace(
        entry, **{key: " ".join(getattr(entry, key).split()) for key in _ONE_LINE_FIELDS}
    )


def _check_when(when: datetime) -> None:
    """Refuse a time that cannot be shown in every time zone: year 1 at +14:00
    is valid, but moving it to UTC or to local time leaves the calendar."""
    if not 1 < (when.astimezone(UTC) if when.tzinfo else when).year < 9999:
        raise ValueError("the time is out of range")


def recent_contact(
    entries: list[HistoryEntry],
    address: str,
    now: datetime | None = None,
    days: int = RECENT_CONTACT_DAYS,
) -> HistoryEntry | None:
    """The latest email to `address` within `days`, if any."""
    address = address.strip().lower()
    if not address:
        return None
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    for entry in reversed(entries):
        if entry.email.strip().lower() == address:
            return entry if entry.when >= cutoff else None
    return None
