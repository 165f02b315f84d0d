"""`outreach history`: the emails sent from the composer, as a list or in full,
each with any checklist block its sender overruled and why."""

from __future__ import annotations

import argparse
from typing import TextIO

from composer.cli.common import EXIT_OK, say
from composer.safe_text import one_line, visible


def run_history(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """List the sent emails, oldest first (only those to --to, if given)."""
    from composer.senders import read_history
    from composer.storage import resolve_paths

    paths = resolve_paths(args.home)
    entries, problems = read_history(paths)
    for problem in problems:
        say(problem)
    if args.to:
        entries = [e for e in entries if e.email.strip().lower() == args.to.strip().lower()]
    if not entries:
        out.write(
            visible("No emails sent yet.\n" if not args.to else f"No emails sent to {args.to}.\n")
        )
        return EXIT_OK
    for entry in entries:
        who = (
            f"{entry.recipient} <{entry.email}>"
            if entry.recipient
            else entry.email or "(no address)"
        )
        out.write(
            f"{entry.when.astimezone():%Y-%m-%d %H:%M}  {one_line(who)}  {one_line(entry.subject)}\n"
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
