"""`outreach contacts`: the people you wrote to (list, show with the ledger,
edit, import a CSV), and `outreach followups`: who is due one."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from typing import TextIO

from composer.cli.common import EXIT_OK, User, say
from composer.model import InputError
from composer.safe_text import one_line, strip_controls, visible

SKIPPED_SHOWN = 20
"""Rows skipped by an import listed one by one; the rest are counted."""


def run_contacts(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """List, show, edit or import contacts."""
    from composer.storage import resolve_paths
    from composer.store import anything_sent, open_store

    paths = resolve_paths(args.home)
    action = args.action or "list"
    problems: list[str] = []
    if action == "import":
        from composer.contacts import read_contacts_csv

        found = read_contacts_csv(args.file)  # read before the database is touched
    elif action in ("list", "show") and not anything_sent(paths):
        # Reading creates nothing: on a fresh home there is no one yet.
        if action == "show":
            raise InputError(args.email, "no such contact (`outreach contacts` lists them)")
        return _list([], out)
    with open_store(paths, problems) as store:
        for problem in problems:
            say(problem)
        if action == "list":
            return _list(store.contacts(), out)
        if action == "show":
            # Read with the user's [phrases], as `outreach check` reads the ledger.
            return _show(store, args.email, out, vars(User(args.home).config.phrases))
        if action == "edit":
            return _edit(store, args, out)
        added, updated = store.add_contacts(found.contacts)
    return _report_import(args.file, found, added, updated, out)


def _list(listed: list, out: TextIO) -> int:
    if not listed:
        out.write(
            "No contacts yet: they come from the emails you send, "
            "or `outreach contacts import FILE.csv`.\n"
        )
        return EXIT_OK
    for contact, count, last in listed:
        work = ", ".join(part for part in (contact.company, contact.role) if part)
        sent = (
            f"{count} email{'' if count == 1 else 's'}, last {last.astimezone():%Y-%m-%d}"
            if count
            else "no emails yet"
        )
        out.write(one_line("  ".join(part for part in (_who(contact), work, sent) if part)) + "\n")
    return EXIT_OK


def _who(contact) -> str:
    return f"{contact.name} <{contact.address}>" if contact.name else contact.address


def _show(store, address: str, out: TextIO, phrases: dict) -> int:
    from composer.ledger import contact_ledger

    contact = store.contact(address)
    if contact is None:
        raise InputError(address, "no such contact (`outreach contacts` lists them)")
    out.write(one_line(_who(contact)) + "\n")
    for label, value in (
        ("company", contact.company),
        ("role", contact.role),
        ("met", contact.met),
        ("notes", contact.notes),
        ("profile", contact.url),
        ("connected", contact.connected),
    ):
        if value:
            out.write(f"  {label}: {one_line(value)}\n")
    sent = store.sends(contact.address)
    if not sent:
        out.write("\nNo emails sent yet.\n")
        return EXIT_OK
    out.write(f"\nWhat you gave and asked ({len(sent)} email{'' if len(sent) == 1 else 's'}):\n")
    # The same list for both: a send another process adds meanwhile is in neither.
    for send, entry in zip(
        sent, contact_ledger(store, contact.address, sent, phrases), strict=True
    ):
        replied = f"  (replied {send.replied_when.astimezone():%Y-%m-%d})" if send.replied else ""
        out.write(
            f"  #{send.id}  {entry.when.astimezone():%Y-%m-%d}  {one_line(entry.subject)}{replied}\n"
        )
        gave = entry.gave or ("nothing",)
        for label, items in (("gave", gave), ("link", entry.links), ("asked", entry.asked)):
            for item in items:
                out.write(f"      {label}: {one_line(item)}\n")
    return EXIT_OK


def _edit(store, args: argparse.Namespace, out: TextIO) -> int:
    from composer.contacts import is_address
    from composer.store import EDITABLE

    if not is_address(args.email):
        raise InputError(args.email, "not an email address")
    changes = {}
    for name in EDITABLE:
        value = getattr(args, name, None)
        if value is not None:
            tidy = strip_controls(value)
            changes[name] = tidy.strip() if name == "notes" else " ".join(tidy.split())
    if not changes:
        raise InputError(
            "contacts edit", "say what to set: --name, --company, --role, --met or --notes"
        )
    contact = store.save_contact(args.email, changes)
    out.write(f"Saved {one_line(_who(contact))}\n")
    return EXIT_OK


def _report_import(source: str, found, added: int, updated: int, out: TextIO) -> int:
    from collections import Counter

    out.write(
        visible(
            f"Read {len(found.contacts)} contact{'' if len(found.contacts) == 1 else 's'} from {source}: "
        )
        + f"{added} new, {updated} updated, {len(found.contacts) - added - updated} already known.\n"
    )
    if found.skipped:
        reasons = Counter(reason.split(" (")[0] for _, reason in found.skipped)
        out.write(
            f"Skipped {len(found.skipped)} row{'' if len(found.skipped) == 1 else 's'}: "
            + ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
            + ".\n"
        )
        for line, reason in found.skipped[:SKIPPED_SHOWN]:
            out.write(f"  line {line}: {one_line(reason)}\n")
        if len(found.skipped) > SKIPPED_SHOWN:
            out.write(f"  and {len(found.skipped) - SKIPPED_SHOWN} more\n")
    return EXIT_OK


def run_followups(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """The emails with no reply after [followups] after_days days, oldest first."""
    from composer.cli.history import who
    from composer.store import anything_sent, open_store

    user = User(args.home)
    days = args.days if args.days is not None else user.config.followups.after_days
    now = datetime.now(UTC)
    problems: list[str] = []
    due = []
    if anything_sent(user.paths):
        with open_store(user.paths, problems) as store:
            due = store.followups(now - timedelta(days=days))
    for problem in problems:
        say(problem)
    if not due:
        out.write(f"No one is due a follow-up (no reply after {days} days).\n")
        return EXIT_OK
    for send in due:
        entry = send.entry
        waited = (now - entry.when).days
        out.write(
            f"#{send.id}  {entry.when.astimezone():%Y-%m-%d}  {who(entry)}  "
            f"{one_line(entry.subject)}  ({waited} day{'' if waited == 1 else 's'}, no reply)\n"
        )
    return EXIT_OK
