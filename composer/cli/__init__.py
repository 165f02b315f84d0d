"""The `outreach` command: its arguments, and which module runs each command.

Exit codes: 0 success (for `check`: sendable), 1 a blocking rule fails,
2 bad input or usage, always with one clear line on stderr and no traceback.
Only the standard library is imported at start-up; a command's module is
imported when it runs, and imports what it needs, so `outreach check` on plain
text starts as fast as plain Python. One module per command family:
check.py (check, render), templates.py, history.py, contacts.py (contacts,
followups), config.py, compose.py
(`outreach` alone, the one that opens the UI); common.py holds what they share.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from composer import __version__
from composer.cli.common import EXIT_OK, EXIT_USAGE, say
from composer.model import InputError, TemplateError
from composer.safe_text import visible


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (argparse's own exit code, 2, is ours too)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {visible(message)} (see '{self.prog} --help')\n")


def _days(text: str) -> int:
    """--days N: a whole number of days from 0 to a hundred years."""
    from composer.config import MAX_AFTER_DAYS

    if not (text.isascii() and text.isdigit()) or int(text) > MAX_AFTER_DAYS:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number of days from 0 to {MAX_AFTER_DAYS}"
        )
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="outreach",
        description="Write cold networking outreach that busy professionals answer.",
    )
    parser.add_argument("--version", action="version", version=f"outreach {__version__}")
    parser.add_argument("--draft", metavar="FILE", help="open the composer on this draft (.toml)")
    parser.add_argument(
        "--template",
        metavar="NAME|PATH",
        help="open the composer with this template (a name or a .toml file)",
    )
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep config, drafts and history in DIR (default: $OUTREACH_HOME, else your user folders)",
    )
    # --home is also accepted after any command; SUPPRESS keeps the one given
    # before the command when it is not repeated.
    home = argparse.ArgumentParser(add_help=False)
    home.add_argument(
        "--home",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the folder for config, drafts and history",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser(
        "check",
        parents=[home],
        help="judge an email against the checklist",
        description="Judge an email against the checklist. FILE is a draft .toml, an .eml, "
        "or plain text (optional 'Subject: ...' line, a blank line, the body); '-', or no "
        "FILE with the email piped or redirected in, reads stdin. "
        "Exit 0 when sendable, 1 when a blocking rule fails, 2 on bad input.",
    )
    check.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help="the email or draft to check; - or none reads stdin (`outreach check < email.txt`)",
    )
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.add_argument(
        "--grammar",
        action="store_true",
        help="also check grammar and spelling with the [grammar] backend (docs/grammar.md)",
    )
    check.add_argument(
        "--template", metavar="NAME|PATH", help="for a draft: the template to render it with"
    )
    check.add_argument(
        "--accept",
        metavar='RULE="REASON"',
        action="append",
        default=[],
        help="overrule a blocking tip or anti-pattern you judge met, saying why (docs/rules.md)",
    )

    render = commands.add_parser(
        "render",
        parents=[home],
        help="print the email a draft renders to",
        description="Print the email exactly as it will be copied: 'Subject:' line, blank line, body.",
    )
    render.add_argument(
        "--draft", metavar="FILE", required=True, help="the draft .toml ('-' for stdin)"
    )
    render.add_argument(
        "--template",
        metavar="NAME|PATH",
        help="a template name or a template .toml file (default: the draft's, else the default)",
    )

    history = commands.add_parser(
        "history",
        parents=[home],
        help="list the emails you sent",
        description="List the emails sent from the composer, oldest first.",
    )
    history.add_argument("--to", metavar="EMAIL", help="only emails to this address")
    history.add_argument("--full", action="store_true", help="print each email's full text")
    history.add_argument(
        "--ids", action="store_true", help="show each email's number (for `history reply`)"
    )
    replies = history.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    reply = replies.add_parser(
        "reply", parents=[home], help="note that an email got its reply (it leaves `followups`)"
    )
    reply.add_argument("id", metavar="ID", help="the email's number, as `history --ids` shows it")

    contacts = commands.add_parser(
        "contacts",
        parents=[home],
        help="the people you wrote to: list, show (with what you gave and asked), edit, import",
        description="A contact per email address, made from the emails you send, edited here "
        "or imported from a CSV (docs/contacts.md). With no action: list.",
    )
    people = contacts.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    people.add_parser("list", parents=[home], help="every contact, by name")
    shown = people.add_parser(
        "show", parents=[home], help="a contact, and what each email gave and asked"
    )
    shown.add_argument("email", metavar="EMAIL")
    edit = people.add_parser("edit", parents=[home], help="set a contact's details")
    edit.add_argument("email", metavar="EMAIL")
    for name, what in (
        ("name", "their name"),
        ("company", "where they work"),
        ("role", "what they do"),
        ("met", "where you met"),
        ("notes", "anything to remember"),
    ):
        edit.add_argument(f"--{name}", metavar="TEXT", help=what)
    loaded = people.add_parser(
        "import",
        parents=[home],
        help="add contacts from LinkedIn's Connections.csv or a name,email,company,role CSV",
    )
    loaded.add_argument("file", metavar="FILE.csv")

    followups = commands.add_parser(
        "followups",
        parents=[home],
        help="emails with no reply after [followups] after_days days, oldest first",
        description="The emails still waiting for a reply, oldest first; "
        "`outreach history reply ID` takes one off the list.",
    )
    followups.add_argument(
        "--days",
        type=_days,
        metavar="N",
        help="wait N days (default: [followups] after_days, 7)",
    )

    templates = commands.add_parser(
        "templates",
        parents=[home],
        help="list, show, import, export or delete templates",
        description="Your templates live in the templates folder beside config.toml; "
        "built-ins are never changed. With no action: list.",
    )
    actions = templates.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.add_parser(
        "list", parents=[home], help="every template, where it comes from, and what it is for"
    )
    show = actions.add_parser("show", parents=[home], help="print a template's TOML")
    show.add_argument("name", metavar="NAME")
    imported = actions.add_parser(
        "import", parents=[home], help="check a template file and add it to yours"
    )
    imported.add_argument("file", metavar="FILE")
    imported.add_argument("--name", help="store it under this name (default: its own name)")
    imported.add_argument(
        "--force", action="store_true", help="replace your template of the same name"
    )
    export = actions.add_parser(
        "export", parents=[home], help="write a template's TOML to FILE (or print it)"
    )
    export.add_argument("name", metavar="NAME")
    export.add_argument("file", metavar="FILE", nargs="?")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    delete = actions.add_parser("delete", parents=[home], help="delete one of your templates")
    delete.add_argument("name", metavar="NAME")

    config = commands.add_parser(
        "config",
        parents=[home],
        help="where config.toml is, what it says, or edit it",
        description="config.toml holds your profile, theme, rule settings, template folders "
        "and grammar settings (docs/config.md).",
    )
    config.add_argument("action", choices=("path", "show", "edit"), metavar="{path,show,edit}")
    return parser


def _run(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Run the chosen command, importing only its own module."""
    if args.command == "check":
        from composer.cli.check import run_check as command
    elif args.command == "render":
        from composer.cli.check import run_render as command
    elif args.command == "templates":
        from composer.cli.templates import run_templates as command
    elif args.command == "history":
        from composer.cli.history import run_history as command
    elif args.command == "contacts":
        from composer.cli.contacts import run_contacts as command
    elif args.command == "followups":
        from composer.cli.contacts import run_followups as command
    elif args.command == "config":
        from composer.cli.config import run_config as command
    else:
        from composer.cli.compose import run_compose as command
    return command(args, out, stdin)


def _stdout_to_devnull() -> None:
    """What Python still buffers for a stdout whose reader has gone is flushed
    at exit: into /dev/null, not into the closed pipe with a message."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class _WhileRead:
    """`out`, for as long as someone reads it. When the reader goes away
    (`outreach history | head -1`), the rest of the output is dropped and the
    command still finishes, so its exit code is its own (1 for a blocked
    email), and no "Broken pipe" is printed."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._gone = False

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                self._out.write(text)
            except BrokenPipeError:
                self._reader_gone()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._out.flush()
            except BrokenPipeError:
                self._reader_gone()

    def _reader_gone(self) -> None:
        self._gone = True
        if self._out is sys.stdout:
            _stdout_to_devnull()

    def __getattr__(self, name: str):
        return getattr(self._out, name)


def main(
    argv: list[str] | None = None, out: TextIO | None = None, stdin: TextIO | None = None
) -> int:
    """Run the CLI; returns the exit code."""
    if out is None and hasattr(sys.stdout, "reconfigure"):
        # A character the terminal's encoding lacks (PYTHONIOENCODING=ascii)
        # is printed as a \\u escape, not raised as a traceback.
        sys.stdout.reconfigure(errors="backslashreplace")
    out = _WhileRead(out or sys.stdout)
    stdin = stdin or sys.stdin
    args = _parser().parse_args(argv)
    try:
        return _run(args, out, stdin)
    except (InputError, TemplateError) as exc:
        say(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        # A write to stdout that did not go through `out` met a closed pipe:
        # not an error worth a message (caught before OSError, of which it is a kind).
        _stdout_to_devnull()
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        say(f"{where}{exc.strerror or exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
