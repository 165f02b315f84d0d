"""Contacts from a CSV file: LinkedIn's "Connections.csv" export, or a plain
name,email,company,role list.

A file of other people's data is hostile until read: it is read through
storage.read_file's size limit, every row is judged on its own, and a row
that cannot be used (no email, not an address, a NUL, a field too large,
broken quoting) is skipped and reported with its line, never fatal.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from composer.model import InputError, read_bytes
from composer.safe_text import strip_controls
from composer.store import Contact, address_of

CSV_LIMIT = 32 * 1024 * 1024
"""A LinkedIn export of 30,000 connections is about 3 MB."""

MAX_FIELD = 1000
"""Characters in one field: a name or a company longer than this is not one."""

# No controls, brackets ("[x]" is a link in Markdown) nor separators in an address.
_NOT_IN = r"@\s<>,;\"\[\]\x00-\x1f\x7f-\x9f"
_ADDRESS = re.compile(f"[^{_NOT_IN}]+@[^{_NOT_IN}]+\\.[^{_NOT_IN}.]+")

# The heading each column may have (lower-case) -> the contact's field.
_COLUMNS = {
    "first name": "first",
    "last name": "last",
    "name": "name",
    "full name": "name",
    "email address": "address",
    "email": "address",
    "e-mail": "address",
    "company": "company",
    "organization": "company",
    "position": "role",
    "role": "role",
    "title": "role",
    "url": "url",
    "profile url": "url",
    "connected on": "connected",
}
_KEY_COLUMNS = ("first", "last", "name", "address")
"""A quoted field in these spanning lines is an unmatched quote, not a name."""
_PLAIN = ("name", "address", "company", "role")
"""The columns of a plain CSV without a heading row."""


@dataclass
class CsvContacts:
    """What a CSV file holds: the contacts, and each row skipped with its line and why."""

    contacts: list[Contact] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def read_contacts_csv(path: str) -> CsvContacts:
    """The contacts in a CSV file; InputError when the file cannot be read at all."""
    data = read_bytes(path, CSV_LIMIT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "not valid UTF-8 text (save the CSV as UTF-8)", line) from None
    return parse_contacts_csv(text)


def parse_contacts_csv(text: str) -> CsvContacts:
    """Contacts from CSV text; the heading row is the first naming an email
    column (LinkedIn puts "Notes:" lines above it); without one, the columns
    are name, email, company, role.

    Rows end at a line break only (not at a form feed or U+2028 in a name),
    and a row that cannot be used after running on over several lines (an
    unmatched quote) is skipped alone: reading resumes at its next line."""
    result = CsvContacts()
    # newline="": lines end at \r, \n or \r\n, as the csv module reads them.
    lines = io.StringIO(text, newline="").readlines()
    start, columns = _heading(lines)
    keys = {index for index, column in enumerate(columns) if column in _KEY_COLUMNS}
    seen: dict[str, int] = {}
    base, reader = start, csv.reader(lines[start:])
    read = 0  # lines the reader has read since `base`
    while base + read < len(lines):
        first = base + read
        try:
            row, problem = next(reader), ""
        except StopIteration:
            break
        except csv.Error as exc:
            row, problem = [], f"malformed ({exc})"
        used, read = reader.line_num - read, reader.line_num
        line = first + 1
        if (
            not problem
            and used > 1
            and any("\n" in row[i] or "\r" in row[i] for i in keys if i < len(row))
        ):
            problem = "malformed (a quote left open: the row runs on over the next lines)"
        cells = [strip_controls(cell) for cell in row]
        if not problem and not any(cell.strip() for cell in cells):
            continue
        contact, problem = (None, problem) if problem else _contact(row, cells, columns)
        if contact is not None and contact.address in seen:
            problem = f"the same address as line {seen[contact.address]}"
        if problem or contact is None:
            result.skipped.append((line, problem))
            if used > 1:
                # What it ran on over may be rows of their own: read them again.
                base, reader, read = first + 1, csv.reader(lines[first + 1 :]), 0
            continue
        seen[contact.address] = line
        result.contacts.append(contact)
    return result


def _heading(lines: list[str]) -> tuple[int, tuple[str, ...]]:
    """(index of the first data line, each column's field); no heading: the plain columns."""
    for index, line in enumerate(lines[:50]):
        try:
            cells = next(csv.reader([line]), [])
        except csv.Error:
            continue
        names = [cell.strip().lower() for cell in cells]
        if "email address" in names or "email" in names or "e-mail" in names:
            return index + 1, tuple(_COLUMNS.get(name, "") for name in names)
    return 0, _PLAIN


def is_address(text: str) -> bool:
    """Whether `text` looks like one email address (name@domain.tld)."""
    return _ADDRESS.fullmatch(text.strip()) is not None


def _contact(
    row: list[str], cells: list[str], columns: tuple[str, ...]
) -> tuple[Contact | None, str]:
    """The row's contact (from its `cells`, the row without control
    characters), or None and why it was skipped."""
    if any("\0" in cell for cell in row):
        return None, "malformed (a NUL character)"
    if any(len(cell) > MAX_FIELD for cell in row):
        return None, f"malformed (a field over {MAX_FIELD} characters)"
    values: dict[str, str] = {}
    for column, cell in zip(columns, cells, strict=False):
        if column:
            values[column] = " ".join(cell.split())
    address = values.pop("address", "")
    if not address:
        return None, "no email address"
    if not is_address(address):
        return None, "not an email address"
    first, last = values.pop("first", ""), values.pop("last", "")
    if not values.get("name"):
        values["name"] = f"{first} {last}".strip()
    return Contact(address=address_of(address), **values), ""
