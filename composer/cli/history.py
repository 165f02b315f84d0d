"""`outreach history`: the emails sent from the composer, as a list or in
full, each with any checklist block its sender overruled and why; and
`outreach history reply ID`, which notes that one was answered."""

from __future__ import annotations

import argparse
from typing import TextIO

from composer.cli.common import EXIT_OK, EXIT_USAGE, say
from composer.safe_text import one_line, visible


def run_history(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """List the sent emails, oldest first (only those to --to, if given)."""
    from composer.storage import resolve_paths
    from composer.store import StoreError, anything_sent, open_store

    if getattr(args, "action", None) == "reply":
        return _reply(args, out)
    paths = resolve_paths(args.home)
    problems: list[str] = []
    sent = []
    if anything_sent(paths):
        try:
            with open_store(paths, problems) as store:
                sent = store.sends(args.to or "")
        except StoreError as exc:
            # The log holds every send: a broken database does not hide them.
            say(f"{exc}; listing {paths.history} instead")
            sent, problems = _from_log(paths, args.to or "")
    for problem in problems:
        say(problem)
    if not sent:
        out.write(
            visible("No emails sent yet.\n" if not args.to else f"No emails sent to {args.to}.\n")
        )
        return EXIT_OK
    for send in sent:
        entry = send.entry
        out.write(f"#{send.id}  " if args.ids else "")
        out.write(
            f"{entry.when.astimezone():%Y-%m-%d %H:%M}  {who(entry)}  {one_line(entry.subject)}\n"
        )
        # The blocks its sender overruled, on the record; a send without any
        # lists as it always did. Indented less than --full's text, which is not theirs.
        for rule, reason in entry.accepted.items():
            out.write(f"  overruled {one_line(rule)}: {one_line(reason)}\n")
        if args.full:
            out.write(
                "".join(
                    f"    {visible(line)}\n" if line else "\n" for line in entry.text.splitlines()
                )
                + "\n"
            )
    return EXIT_OK


def _from_log(paths, to: str) -> tuple[list, list[str]]:
    """The sends of history.jsonl, numbered in its order as the database numbers them."""
    from composer.senders import read_history
    from composer.store import Sent, address_of

    entries, problems = read_history(paths)
    sent = [Sent(number, entry) for number, entry in enumerate(entries, start=1)]
    if to:
        sent = [s for s in sent if address_of(s.entry.email) == address_of(to)]
    return sent, problems


def who(entry) -> str:
    """Whom an email went to, on one line: "Name <address>", or the address alone."""
    return one_line(
        f"{entry.recipient} <{entry.email}>" if entry.recipient else entry.email or "(no address)"
    )


def _reply(args: argparse.Namespace, out: TextIO) -> int:
    """Note that email ID (as `outreach history --ids` shows it) got its reply."""
    from datetime import UTC, datetime

    from composer.storage import resolve_paths
    from composer.store import MAX_ID, open_store

    number = args.id.lstrip("#")
    # Digits of ASCII only: "²" is a digit to str.isdigit, and not to int().
    if not (number.isascii() and number.isdigit()):
        say(f"'{args.id}' is not an email's number: `outreach history --ids` shows them (#12)")
        return EXIT_USAGE
    send = None
    if 0 < int(number) <= MAX_ID:
        with open_store(resolve_paths(args.home)) as store:
            before = store.send(int(number))
            if before is not None and store.mark_replied(int(number), datetime.now(UTC)):
                send = store.send(int(number))
    if send is None:
        say(f"no email #{number}: `outreach history --ids` shows their numbers")
        return EXIT_USAGE
    done = (
        f"already replied on {before.replied_when.astimezone():%Y-%m-%d}"
        if before.replied
        else "replied"
    )
    out.write(f"#{send.id}  {who(send.entry)}  {one_line(send.entry.subject)}: {done}\n")
    return EXIT_OK
