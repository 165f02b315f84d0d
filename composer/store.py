"""The database of who you wrote to and what came back: sends, contacts,
replies and the ledger's cache, in one SQLite file (outreach.db, beside
history.jsonl in the data folder).

Why a database: two composers may be open at once, and a reply, a contact's
notes or what an email gave is state that changes, which an append-only log
cannot hold. history.jsonl stays the log each send is written to first
(durable a line at a time, readable by anything); whenever the database
opens it takes in the lines it has not seen, so a send written while the
database was locked, broken or missing is never lost, and none is taken in
twice (a line is known by its digest and how many times it occurs before).

How it stays whole: WAL (a reader never blocks the writer), a busy timeout
(a second writer waits instead of failing; a reader that only looks, as
`outreach check` does, waits briefly and goes without), every write one
`BEGIN IMMEDIATE` transaction (a writer killed mid-way leaves nothing of
it), the schema version in `PRAGMA user_version`, migrated forward in order
and never backward, and the file created 0600 in a 0700 folder, never through a symbolic link.
sqlite3 is
imported only when the database is opened: it costs a start-up that does not
need it some 10 ms.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from composer.safe_text import one_line
from composer.senders import (
    HistoryEntry,
    checked_entry,
    parse_log,
    read_log,
    skipped_lines,
    tidied,
    utc,
)
from composer.storage import Paths
from composer.store_file import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    StoreError,
    connect,
)

if TYPE_CHECKING:
    import sqlite3

MAX_ID = 2**63 - 1
"""The largest number SQLite gives a send."""


@dataclass(frozen=True)
class Sent:
    """A send as the database knows it: its id (what `outreach history --ids`
    shows), the email, and when a reply came, if one did."""

    id: int
    entry: HistoryEntry
    replied: str | None = None

    @property
    def replied_when(self) -> datetime | None:
        """When the reply was noted, in UTC (show it with `.astimezone()`)."""
        return utc(datetime.fromisoformat(self.replied)) if self.replied else None


@dataclass
class Contact:
    """One person, by email address (kept lower-case)."""

    address: str
    name: str = ""
    company: str = ""
    role: str = ""
    met: str = ""
    """Where you met."""
    notes: str = ""
    url: str = ""
    """Their profile (a LinkedIn export gives it)."""
    connected: str = ""
    """When you connected (a LinkedIn export gives it)."""


CONTACT_FIELDS = tuple(f.name for f in fields(Contact))
EDITABLE = CONTACT_FIELDS[1:]


def address_of(email: str) -> str:
    """The key a contact is known by: the address, trimmed and lower-case."""
    return email.strip().lower()


class Store:
    """An open database; use `open_store`, which also takes in the log."""

    def __init__(self, path: Path, db: sqlite3.Connection, read_only: bool = False) -> None:
        self.path = path
        self._db = db
        self.read_only = read_only

    @classmethod
    def open(cls, path: Path, read_only: bool = False) -> Store:
        """Open (creating and migrating as needed) the database at `path`;
        StoreError when it is not one of ours or is newer than this app.
        `read_only`: open it only if it exists, as it is, waiting briefly for a lock."""
        db = connect(path, read_only)
        store = cls(path, db, read_only)
        try:
            store._prepare()
        except BaseException:
            db.close()
            raise
        return store

    def close(self) -> None:
        self._db.close()

    def _prepare(self) -> None:
        import sqlite3

        try:
            # Read before anything is written: a file that is not a database
            # fails here and is left exactly as it was.
            version = self._value("PRAGMA user_version")
            owner = self._value("PRAGMA application_id")
            tables = self._value("SELECT count(*) FROM sqlite_master")
        except sqlite3.OperationalError as exc:
            raise StoreError(self.path, f"the database failed: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                self.path,
                f"not a database Outreach Composer can read ({exc}); it was left as it is "
                "(move it away and the app starts a new one from history.jsonl)",
            ) from None
        if owner != APPLICATION_ID and (owner or tables):
            raise StoreError(self.path, "a database of another program; it was left as it is")
        if version > SCHEMA_VERSION:
            raise StoreError(
                self.path,
                f"written by a newer Outreach Composer (schema {version}; this one knows up to "
                f"{SCHEMA_VERSION}); it was left as it is: upgrade the app to use it",
            )
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise StoreError(
                    self.path, "not yet set up; the app sets it up when it next writes"
                )
            return
        with self._guard():
            self._db.execute("PRAGMA foreign_keys = ON")
            if self._value("PRAGMA journal_mode") != "wal":
                self._db.execute("PRAGMA journal_mode = WAL")
        if version < SCHEMA_VERSION:
            self._migrate()

    def _migrate(self) -> None:
        with self._write() as db:
            # Another process may have migrated while this one waited for the lock.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for script in MIGRATIONS[version:]:
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _value(self, query: str, *args: object) -> object:
        row = self._db.execute(query, args).fetchone()
        return row[0] if row else None

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """A database error as one line naming the file (a full disk, a lock held too long)."""
        import sqlite3

        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(self.path, f"the database failed: {exc}") from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is written, or none (a crash rolls it back)."""
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                # SQLite may have rolled back already (a full disk, an
                # interrupt): a second ROLLBACK would fail and hide why.
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, query: str, *args: object) -> list[tuple]:
        with self._guard():
            return self._db.execute(query, args).fetchall()

    # ----- sends -----

    def take_in(self, paths: Paths) -> list[str]:
        """Add the sends of history.jsonl not yet here; returns what could not be read."""
        import hashlib

        raw, problems = read_log(paths)
        if raw is None:
            return problems
        known = dict(self._rows("SELECT key, value FROM meta WHERE key LIKE 'log%'"))
        skipped = _json_list(known.get("log-skipped", "[]"), int)
        if known.get("log") == hashlib.sha256(raw).hexdigest() and skipped is not None:
            # Nothing new: the lines skipped last time are named without reading them again.
            return skipped_lines(paths, skipped)
        with self._write() as db:
            # Read again under the lock: lines appended since are taken in now,
            # and no other writer takes in the same ones meanwhile.
            raw, problems = read_log(paths)
            if raw is None:
                return problems
            keyed, bad = parse_log(raw)
            seen: Counter[str] = Counter()
            for line, entry in keyed:
                occurrence = seen[line]
                seen[line] += 1
                # The row keeps the line's values exactly; who it went to is
                # matched and named as listings show it.
                shown = tidied(entry)
                added = db.execute(
                    "INSERT OR IGNORE INTO sends (line, occurrence, timestamp, recipient, email, "
                    "address, subject, text, accepted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        line,
                        occurrence,
                        entry.timestamp,
                        entry.recipient,
                        entry.email,
                        address_of(shown.email),
                        entry.subject,
                        entry.text,
                        json.dumps(entry.accepted, ensure_ascii=False),
                    ),
                ).rowcount
                if added and address_of(shown.email):
                    # What the form said fills only what the contact lacks:
                    # a name, company or role the user edited is theirs.
                    db.execute(
                        "INSERT INTO contacts (address, name, company, role) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (address) DO UPDATE SET "
                        "name = CASE contacts.name WHEN '' THEN excluded.name ELSE contacts.name END, "
                        "company = CASE contacts.company WHEN '' THEN excluded.company ELSE contacts.company END, "
                        "role = CASE contacts.role WHEN '' THEN excluded.role ELSE contacts.role END",
                        (
                            address_of(shown.email),
                            shown.recipient,
                            one_line(entry.company),
                            one_line(entry.role),
                        ),
                    )
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('log', ?), ('log-skipped', ?)",
                (hashlib.sha256(raw).hexdigest(), json.dumps(bad)),
            )
        return skipped_lines(paths, bad)

    def sends(self, to: str = "") -> list[Sent]:
        """Every send, oldest first (in the log's order); only those to `to` if given."""
        query = (
            "SELECT id, timestamp, recipient, email, subject, text, accepted, replied FROM sends"
        )
        rows = (
            self._rows(f"{query} WHERE address = ? ORDER BY id", address_of(to))
            if to
            else self._rows(f"{query} ORDER BY id")
        )
        return [self._sent(row) for row in rows]

    def send(self, send_id: int) -> Sent | None:
        rows = self._rows(
            "SELECT id, timestamp, recipient, email, subject, text, accepted, replied "
            "FROM sends WHERE id = ?",
            send_id,
        )
        return self._sent(rows[0]) if rows else None

    def _sent(self, row: tuple) -> Sent:
        """A row as a send; StoreError when it was changed into something else."""
        send_id, timestamp, recipient, email, subject, text, accepted, replied = row
        try:
            entry = checked_entry(
                {
                    "timestamp": timestamp,
                    "recipient": recipient,
                    "email": email,
                    "subject": subject,
                    "text": text,
                    "accepted": json.loads(accepted),
                }
            )
            if replied is not None:
                utc(datetime.fromisoformat(replied))
        except (ValueError, KeyError, TypeError, OverflowError):
            raise StoreError(
                self.path, f"email #{send_id} is damaged in the database (edited by hand?)"
            ) from None
        return Sent(send_id, tidied(entry), replied)

    def mark_replied(self, send_id: int, when: datetime) -> bool:
        """Note that the email got its reply, keeping the first date noted;
        False when there is no such send."""
        with self._write() as db:
            changed = db.execute(
                "UPDATE sends SET replied = coalesce(replied, ?) WHERE id = ?",
                (when.isoformat(timespec="seconds"), send_id),
            ).rowcount
        return bool(changed)

    def followups(self, before: datetime) -> list[Sent]:
        """The emails sent before `before` with no reply, oldest first: for each
        address only the latest email counts (a follow-up sent is the one to wait on)."""
        latest: dict[str, Sent] = {}
        for send in self.sends():
            latest[address_of(send.entry.email) or f"#{send.id}"] = send
        due = [s for s in latest.values() if not s.replied and s.entry.when <= before]
        return sorted(due, key=lambda s: (s.entry.when, s.id))

    # ----- contacts -----

    def contacts(self) -> list[tuple[Contact, int, datetime | None]]:
        """Every contact with how many emails you sent them and when the last went, by name."""
        rows = self._rows(
            f"SELECT {', '.join(CONTACT_FIELDS)} FROM contacts ORDER BY lower(name), address"
        )
        # The latest by time, not by text: the times are written with their own offsets.
        sent: dict[str, list[datetime]] = {}
        for send in self.sends():
            sent.setdefault(address_of(send.entry.email), []).append(send.entry.when)
        listed = []
        for row in rows:
            times = sent.get(row[0], [])
            listed.append((Contact(*row), len(times), max(times, default=None)))
        return listed

    def contact(self, address: str) -> Contact | None:
        rows = self._rows(
            f"SELECT {', '.join(CONTACT_FIELDS)} FROM contacts WHERE address = ?",
            address_of(address),
        )
        return Contact(*rows[0]) if rows else None

    def save_contact(self, address: str, changes: dict[str, str]) -> Contact:
        """Set some of a contact's fields (creating the contact if new)."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not a contact field: {', '.join(sorted(unknown))}")
        key = address_of(address)
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO contacts (address) VALUES (?)", (key,))
            for name, value in changes.items():
                db.execute(f"UPDATE contacts SET {name} = ? WHERE address = ?", (value, key))
        contact = self.contact(key)
        assert contact is not None
        return contact

    def add_contacts(self, contacts: list[Contact]) -> tuple[int, int]:
        """Add imported contacts in one transaction; a contact already here only
        gains the fields it had empty (what you wrote is never replaced).
        Returns (added, updated)."""
        added = updated = 0
        with self._write() as db:
            for contact in contacts:
                values = [getattr(contact, f) for f in CONTACT_FIELDS]
                if db.execute(
                    f"INSERT OR IGNORE INTO contacts ({', '.join(CONTACT_FIELDS)}) "
                    f"VALUES ({', '.join('?' * len(CONTACT_FIELDS))})",
                    values,
                ).rowcount:
                    added += 1
                    continue
                filled = 0
                for name in EDITABLE:
                    value = getattr(contact, name)
                    if value:
                        filled += db.execute(
                            f"UPDATE contacts SET {name} = ? WHERE address = ? AND {name} = ''",
                            (value, contact.address),
                        ).rowcount
                updated += bool(filled)
        return added, updated

    # ----- the ledger's cache -----

    def ledger_rows(self, version: int, send_ids: list[int]) -> dict[int, tuple[list, list, list]]:
        """What was worked out before for these sends (gave, links, asked), at
        `version`; a row that is not a reading any more is left out (and redone)."""
        found = {}
        for send_id in send_ids:
            for row in self._rows(
                "SELECT gave, links, asked FROM ledger WHERE send = ? AND version = ?",
                send_id,
                version,
            ):
                reading = [_json_list(column, str) for column in row]
                if None not in reading:
                    found[send_id] = tuple(reading)
        return found

    def save_ledger_rows(self, version: int, rows: dict[int, tuple[list, list, list]]) -> None:
        with self._write() as db:
            for send_id, (gave, links, asked) in rows.items():
                db.execute(
                    "INSERT OR REPLACE INTO ledger VALUES (?, ?, ?, ?, ?)",
                    (send_id, version, json.dumps(gave), json.dumps(links), json.dumps(asked)),
                )


def _json_list(text: object, kind: type) -> list | None:
    """A JSON list of `kind` kept in the database, or None when it was changed into anything else."""
    try:
        value = json.loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if isinstance(value, list) and all(type(item) is kind for item in value):
        return value
    return None


def anything_sent(paths: Paths) -> bool:
    """Whether there is a database or a log to read: a command that only
    reads (`outreach history` on a fresh machine) creates neither."""
    return paths.database.exists() or os.path.lexists(paths.history)


@contextmanager
def read_store(paths: Paths) -> Iterator[Store]:
    """The database as it is, to read only: nothing taken in, nothing
    created, and a lock held by another process is waited on briefly
    (READ_BUSY_SECONDS) before StoreError, for a command that can do without it."""
    store = Store.open(paths.database, read_only=True)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def open_store(paths: Paths, problems: list[str] | None = None) -> Iterator[Store]:
    """The database with every send of history.jsonl taken in; what could not
    be read of the log is added to `problems`."""
    store = Store.open(paths.database)
    try:
        found = store.take_in(paths)
        if problems is not None:
            problems.extend(found)
        yield store
    finally:
        store.close()


def take_in_log(paths: Paths) -> list[str]:
    """Bring the database up to date with history.jsonl; returns the log's problems."""
    problems: list[str] = []
    with open_store(paths, problems):
        pass
    return problems
