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
    from composer.store import anything_sent, open_store

    if getattr(args, "action", None) == "reply":
        return _reply(args, out)
    paths = resolve_paths(args.home)
    problems: list[str] = []
    sent = []
    if anything_sent(paths):
        with open_store(paths, problems) as store:
            sent = store.sends(args.to or "")
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


def who(entry) -> str:
    """Whom an email went to, on one line: "Name <address>", or the address alone."""
    return one_line(
        f"{entry.recipient} <{entry.email}>" if entry.recipient else entry.email or "(no address)"
    )


def _reply(args: argparse.Namespace, out: TextIO) -> int:
    """Note that email ID (as `outreach history --ids` shows it) got its reply."""
    from datetime import UTC, datetime

    from composer.storage import resolve_paths
    from composer.store import open_store

    number = args.id.lstrip("#")
    if not number.isdigit():
        say(f"'{args.id}' is not an email's number: `outreach history --ids` shows them (#12)")
        return EXIT_USAGE
    with open_store(resolve_paths(args.home)) as store:
        found = store.mark_replied(int(number), datetime.now(UTC))
        send = store.send(int(number))
    if not found or send is None:
        say(f"no email #{number}: `outreach history --ids` shows their numbers")
        return EXIT_USAGE
    out.write(f"#{send.id}  {who(send.entry)}  {one_line(send.entry.subject)}: replied\n")
    return EXIT_OK
