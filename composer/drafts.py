"""The drafts folder: every composition autosaves here, so nothing typed is lost.

Each composition has one file, `drafts/<started>.toml`, rewritten atomically
as you type; when it is sent it is renamed `<started>.sent.toml`. The newest
file that is not sent is the one the composer reopens.

A composer holds an OS lock (flock) on `.<name>.lock` beside the draft it has
open, so a second composer on the same home never writes the same file: it
opens a new draft instead. The kernel drops the lock when the process ends,
however it ends, so a kill -9 leaves no lock behind (only an unlocked lock
file, removed at the next start with the temp files of interrupted writes).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from composer.model import (
    MAX_INPUT_BYTES,
    Draft,
    InputError,
    decode_text,
    parse_draft,
    read_bytes,
)
from composer.storage import FileTooLarge, Paths, atomic_write, ensure_private_dir

try:
    import fcntl
except ImportError:  # Windows: no flock; drafts are then not locked
    fcntl = None

SENT_SUFFIX = ".sent.toml"

STALE_SECONDS = 60
"""A temp or lock file this old is left over from a composer that was killed:
a live one writes a draft in milliseconds, and keeps its lock file locked."""

_TEMP_NAME = re.compile(r"\.[^/]+\.toml\.[A-Za-z0-9_]{6,}\.tmp")
"""The names atomic_write gives a draft's temp files (mkstemp's random part)."""
_LOCK_NAME = re.compile(r"\.[^/]+\.toml\.lock")


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


class DraftLock:
    """A composer's hold on one draft file, `path`, until `release()` or its
    process ends. `held` is False only where no lock could be taken at all
    (a system without flock, a drafts folder that cannot be written)."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Let another composer open the draft; the lock file goes (while still locked)."""
        if self._fd is None:
            return
        # An unlocked lock file left behind is harmless; the next start removes it.
        with contextlib.suppress(OSError):
            _lock_path(self.path).unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None


def _lock_path(draft: Path) -> Path:
    return draft.with_name(f".{draft.name}.lock")


_MOVED = -1


def _take(lock_file: Path, new: bool) -> int | None:
    """A locked fd on `lock_file`; None when another composer holds it (or,
    with `new`, when the file exists); _MOVED when the file was removed or
    replaced while we locked it, so that lock guards nothing: try again."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(lock_file, flags | (os.O_EXCL if new else 0), 0o600)
    except FileExistsError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        opened = os.fstat(fd)
        now = os.stat(lock_file, follow_symlinks=False)
    except (BlockingIOError, FileNotFoundError) as exc:
        os.close(fd)
        return _MOVED if isinstance(exc, FileNotFoundError) else None
    except BaseException:
        os.close(fd)
        raise
    if (opened.st_dev, opened.st_ino) != (now.st_dev, now.st_ino):
        os.close(fd)
        return _MOVED
    return fd


def lock_draft(path: Path) -> DraftLock | None:
    """Hold `path` for this composer; None when another composer has it open."""
    if fcntl is None:
        return DraftLock(path, None)
    for _ in range(8):
        fd = _take(_lock_path(path), new=False)
        if fd != _MOVED:
            return None if fd is None else DraftLock(path, fd)
    return None


def claim_new_draft(paths: Paths, now: datetime | None = None) -> DraftLock:
    """A fresh file name for a new composition, held by this composer.

    The name is taken by creating its lock file with O_EXCL, so two composers
    started in the same second never share one. When the drafts folder
    cannot be written the name comes unheld: autosave then says what is wrong.
    """
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    with contextlib.suppress(OSError):  # the first autosave reports it, naming the folder
        ensure_private_dir(paths.drafts)
    counter = 0
    while True:
        path = paths.drafts / (f"{stamp}.toml" if not counter else f"{stamp}-{counter}.toml")
        counter += 1
        if os.path.lexists(path) or os.path.lexists(path.with_name(path.stem + SENT_SUFFIX)):
            continue
        if fcntl is None:
            return DraftLock(path, None)
        try:
            fd = _take(_lock_path(path), new=True)
        except OSError:
            return DraftLock(path, None)
        if fd is None or fd == _MOVED:
            continue
        if os.path.lexists(path):  # written meanwhile by a composer without locks
            DraftLock(path, fd).release()
            continue
        return DraftLock(path, fd)


def clean_drafts_folder(paths: Paths) -> None:
    """Remove what killed composers left in drafts/: temp files of interrupted
    writes and unlocked lock files, older than STALE_SECONDS so that a
    composer starting or writing right now keeps its own. Only the app's own
    names are touched."""
    try:
        entries = list(os.scandir(paths.drafts))
    except OSError:
        return
    cutoff = time.time() - STALE_SECONDS
    for entry in entries:
        try:
            if entry.stat(follow_symlinks=False).st_mtime > cutoff:
                continue
            if _TEMP_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
            elif _LOCK_NAME.fullmatch(entry.name) and fcntl is not None:
                fd = _take(Path(entry.path), new=False)
                if fd is not None and fd != _MOVED:
                    # Unlinked while locked: a composer that opened it just
                    # before sees it moved and takes a fresh one.
                    os.unlink(entry.path)
                    os.close(fd)
        except OSError:
            continue


def save_draft(path: Path, draft: Draft) -> None:
    """Write the draft atomically (0600): a crash leaves the old or the new file.

    A draft over the size every reader accepts is refused here, not written
    and then refused at the next start: the text stays in the composer.
    """
    data = draft.to_toml().encode("utf-8")
    if len(data) > MAX_INPUT_BYTES:
        raise FileTooLarge(
            errno.EFBIG,
            f"the draft is too large to save (over {MAX_INPUT_BYTES // (1024 * 1024)} MB, "
            "the most a draft may hold); your text is still in the composer",
            str(path),
        )
    atomic_write(path, data)


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
