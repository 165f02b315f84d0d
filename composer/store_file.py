"""The database file itself: its schema and migrations, and how it is made
and opened (composer/store.py reads and writes what is in it).

Why apart: what can go wrong with the file (a symbolic link SQLite would
follow and create the database through, readable by others; a file of
another program; a lock held too long) is refused here, before a single
row is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from composer.storage import ensure_private_dir

if TYPE_CHECKING:
    import sqlite3

SCHEMA_VERSION = 1
"""The schema this app writes; a database with a higher one is refused, never migrated down."""

APPLICATION_ID = 0x4F555452
"""'OUTR' in `PRAGMA application_id`: a SQLite file of another program is not ours to change."""

BUSY_SECONDS = 30.0
"""How long a writer waits for another one (a send is a few milliseconds)."""

READ_BUSY_SECONDS = 2.0
"""How long a reader that can do without the database (`outreach check`) waits for it."""

MIGRATIONS = (
    # 1: sends taken in from history.jsonl, contacts, replies, the ledger's cache.
    # sends.line is the digest of the log line, not the line (the name stays:
    # renaming a column is a migration of its own). ledger.version is the
    # digest of the cues a reading was made with (composer/ledger.py).
    """
    CREATE TABLE sends (
        id INTEGER PRIMARY KEY,
        line TEXT NOT NULL,
        occurrence INTEGER NOT NULL,
        timestamp TEXT NOT NULL,
        recipient TEXT NOT NULL,
        email TEXT NOT NULL,
        address TEXT NOT NULL,
        subject TEXT NOT NULL,
        text TEXT NOT NULL,
        accepted TEXT NOT NULL,
        replied TEXT,
        UNIQUE (line, occurrence)
    );
    CREATE INDEX sends_to ON sends (address);
    CREATE TABLE contacts (
        address TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        company TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '',
        met TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        connected TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE ledger (
        send INTEGER PRIMARY KEY REFERENCES sends (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        gave TEXT NOT NULL,
        links TEXT NOT NULL,
        asked TEXT NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
)


class StoreError(OSError):
    """The database cannot be used; str() is one line naming the file. An
    OSError, so every caller that reports a file it could not write reports this too."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(errno.EINVAL, message, str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection to the database file at `path`, made 0600 if this call
    creates it. `read_only`: only an existing file, as it is, waiting briefly for a lock."""
    import sqlite3
    from urllib.parse import quote

    if read_only:
        _refuse_link(path)
    created = not read_only and _create(path)
    try:
        if read_only:
            db = sqlite3.connect(
                f"file:{quote(str(path))}?mode=ro",
                uri=True,
                timeout=READ_BUSY_SECONDS,
                isolation_level=None,
            )
        else:
            db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(path, f"cannot open the database ({exc})") from None
    try:
        # A link put in its place between the check and the open is refused too.
        if _refuse_link(path) and created:
            os.chmod(path, 0o600)
    except BaseException:
        db.close()
        raise
    return db


def _refuse_link(path: Path) -> bool:
    """Refuse anything at `path` that is not a regular file, a symbolic link
    above all: SQLite would follow it and make the database wherever it
    points, readable by others. True when there is a file, False when none."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(mode):
        raise StoreError(
            path, "a symbolic link; refused, the database must be a file of its own there"
        )
    if not stat.S_ISREG(mode):
        raise StoreError(path, "not a regular file; it was left as it is")
    return True


def _create(path: Path) -> bool:
    """Create the file 0600 (in a 0700 folder) before SQLite opens it, so it
    is never readable by others, not even for a moment. True when this call made it."""
    if _refuse_link(path):
        return False
    ensure_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        _refuse_link(path)  # another process made it meanwhile, or put a link there
        return False
    except OSError as exc:
        raise StoreError(path, f"cannot create the database ({exc.strerror})") from None
    os.close(fd)
    return True
