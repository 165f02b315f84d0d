"""The drafts folder: every composition autosaves here, so nothing typed is lost.

Each composition has one file, `drafts/<started>.toml`, rewritten atomically
as you type; when it is sent it is renamed `<started>.sent.toml`. The newest
file that is not sent is the one the composer reopens.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from composer.model import Draft, InputError, decode_text, parse_draft, read_bytes
from composer.storage import Paths, atomic_write

SENT_SUFFIX = ".sent.toml"


@dataclass(frozen=True)
class DraftFile:
    """One saved composition."""

    path: Path
    modified: datetime

    @property
    def sent(self) -> bool:
        return self.path.name.endswith(SENT_SUFFIX)


def list_drafts(paths: Paths) -> list[DraftFile]:
    """Saved compositions, newest first (temp files of interrupted writes are not drafts)."""
    try:
        entries = list(paths.drafts.iterdir())
    except OSError:
        return []
    found = []
    for path in entries:
        if path.suffix != ".toml" or path.name.startswith("."):
            continue
        try:
            stamp = path.stat().st_mtime
        except OSError:
            continue
        found.append(DraftFile(path, datetime.fromtimestamp(stamp, UTC)))
    return sorted(found, key=lambda d: d.modified, reverse=True)


def latest_unsent(paths: Paths) -> DraftFile | None:
    """The composition to reopen on start, if any."""
    return next((d for d in list_drafts(paths) if not d.sent), None)


def new_draft_path(paths: Paths, now: datetime | None = None) -> Path:
    """A fresh file name for a new composition (never an existing one)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    path = paths.drafts / f"{stamp}.toml"
    counter = 1
    while path.exists() or path.with_name(path.stem + SENT_SUFFIX).exists():
        path = paths.drafts / f"{stamp}-{counter}.toml"
        counter += 1
    return path


def save_draft(path: Path, draft: Draft) -> None:
    """Write the draft atomically (0600): a crash leaves the old or the new file."""
    atomic_write(path, draft.to_toml())


def load_draft(path: Path) -> Draft:
    """Read a saved draft; InputError names the file and line of any problem."""
    return parse_draft(decode_text(read_bytes(path), str(path)), str(path))


def mark_sent(path: Path) -> Path:
    """Rename a composition's file as sent; returns the new path."""
    if path.name.endswith(SENT_SUFFIX) or not path.exists():
        return path
    target = path.with_name(path.name.removesuffix(".toml") + SENT_SUFFIX)
    os.replace(path, target)
    return target


@lru_cache(maxsize=256)
def describe(draft_file: DraftFile) -> str:
    """One line for the drafts list: who, what, when, and whether it was sent.

    Cached by file and modification time: the palette asks again on every key.
    """
    try:
        draft = load_draft(draft_file.path)
    except InputError as exc:
        return f"{draft_file.path.name} — unreadable: {exc.message}"
    who = draft.recipient.name or draft.recipient.email or "no recipient"
    what = draft.subject or draft.point[:40] or "no subject"
    when = draft_file.modified.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{who} — {what} ({when}{', sent' if draft_file.sent else ''})"
