"""The `outreach` command.

Exit codes: 0 success (for `check`: sendable), 1 a blocking rule fails,
2 bad input or usage, always with one clear line on stderr and no traceback.
Only the standard library is imported at start-up; each command imports what
it needs, so `outreach check` on plain text starts as fast as plain Python.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import TextIO

from composer import __version__
from composer.model import InputError, TemplateError
from composer.safe_text import CONTROL, describe_control, one_line, visible

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2


def _say(line: str) -> None:
    """One line on stderr; file names and messages quoting a file are shown, never obeyed."""
    sys.stderr.write(f"outreach: {visible(line)}\n")


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (argparse's own exit code, 2, is ours too)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {visible(message)} (see '{self.prog} --help')\n")


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
        "or plain text (optional 'Subject: ...' line, a blank line, the body); '-' reads stdin. "
        "Exit 0 when sendable, 1 when a blocking rule fails, 2 on bad input.",
    )
    check.add_argument("file", metavar="FILE", help="the email or draft to check, or - for stdin")
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.add_argument(
        "--grammar",
        action="store_true",
        help="also check grammar and spelling with the [grammar] backend (docs/grammar.md)",
    )
    check.add_argument(
        "--template", metavar="NAME|PATH", help="for a draft: the template to render it with"
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


def _read_input(path: str, stdin: TextIO) -> tuple[str, bytes]:
    """The bytes of FILE or stdin, under a name for messages; stdin has the
    files' size limit (`</dev/zero` is refused, not read until memory runs out)."""
    from composer.model import MAX_INPUT_BYTES, read_bytes

    if path != "-":
        return path, read_bytes(path)
    if hasattr(stdin, "buffer"):
        data = stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        data = stdin.read(MAX_INPUT_BYTES + 1).encode()
    if len(data) > MAX_INPUT_BYTES:
        raise InputError("<stdin>", f"too large (over {MAX_INPUT_BYTES // (1024 * 1024)} MB)")
    return "<stdin>", data


_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]")
_MESSAGE_HEADERS = (
    b"from:",
    b"to:",
    b"date:",
    b"message-id:",
    b"mime-version:",
    b"received:",
    b"return-path:",
)


def _looks_like_eml(data: bytes) -> bool:
    """A saved message piped to stdin: header lines (From:, To:, Date:...) up to a blank line."""
    head = data[:8192].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].split(b"\n")
    if len(head) < 2 or not all(_HEADER_LINE.match(line) or line[:1] in b" \t" for line in head):
        return False
    return any(line.lower().startswith(_MESSAGE_HEADERS) for line in head)


def _looks_like_draft(name: str, text: str) -> bool:
    if name.endswith(".toml"):
        return True
    if name.endswith((".eml", ".txt")) or text.lower().startswith("subject:"):
        return False
    # Drafts piped on stdin: TOML assignments of the draft's own keys.
    return bool(
        re.match(
            r"\s*(?:#.*\n\s*)*(?:subject|context|research|point|wiift|offer|template)\s*=|\s*\[(?:recipient|sender)\]",
            text,
        )
    )


class _User:
    """The user's folders and config, loaded once per command; problems with
    config.toml or template folders are reported on stderr, never fatal."""

    def __init__(self, home: str | None) -> None:
        from composer.config import load_config
        from composer.storage import resolve_paths

        self.paths = resolve_paths(home)
        self.config, problems = load_config(self.paths)
        self._warn(problems)

    @staticmethod
    def _warn(problems: list[str]) -> None:
        for problem in problems:
            _say(f"warning: {problem}")

    def store(self, extra=None):
        from composer.templates_store import user_store

        store = user_store(self.paths, self.config.template_dirs, extra=extra)
        self._warn(store.problems)
        return store

    def render_draft(self, text: str, source: str, template_spec: str | None):
        """Parse a draft and render it with --template, else the draft's own
        template (a path in a draft is relative to the draft's folder)."""
        from pathlib import Path

        from composer.model import parse_draft
        from composer.render import Renderer
        from composer.templates_store import Template, template_for

        draft = parse_draft(text, source)
        if template_spec:
            template = template_for(template_spec)
        else:
            base = Path(source).parent if source != "<stdin>" else None
            template = template_for(draft.template, base)
        store = self.store(extra=[template] if isinstance(template, Template) else None)
        name = template.name if isinstance(template, Template) else template
        return draft, Renderer(store).render(draft, name)


def _email_from_input(user: _User, name: str, data: bytes, template_spec: str | None):
    """(email text, draft or None) for whatever the user handed `check`."""
    from composer.model import decode_text, parse_email, parse_eml

    if name.endswith(".eml") or _looks_like_eml(data):
        email = parse_eml(data, name)
        return email.text, None
    text = decode_text(data, name)
    if _looks_like_draft(name, text):
        draft, email = user.render_draft(text, name, template_spec)
        return email.text, draft
    if template_spec:
        raise InputError(name, "--template applies to drafts (.toml), not to a finished email")
    return parse_email(text).text, None


_MARKS = {"pass": "✓", "fail": "✗", "warn": "!", "skip": "–"}
# For terminals that cannot show Unicode (LANG=C, PYTHONIOENCODING=ascii).
_ASCII = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "—": "--", "–": "-", "…": "...", "×": "x", "→": "->"}
)
_COLOURS = {"pass": "32", "fail": "31", "warn": "33", "skip": "2"}
_FAMILIES = (("tips", "Tips"), ("anti-patterns", "Anti-patterns"), ("writing", "Writing"))


def _use_colour(stream: TextIO) -> bool:
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _ascii_only(stream: TextIO) -> bool:
    # In-memory streams have no encoding and take any text.
    encoding = getattr(stream, "encoding", None)
    return bool(encoding) and "utf" not in encoding.lower()


def format_report(report, colour: bool, ascii_only: bool = False) -> str:
    """The human checklist: ✓/✗/! grouped as tips, anti-patterns and writing."""
    lines = []
    for family, heading in _FAMILIES:
        lines.append(heading)
        for finding in report.findings:
            if finding.family != family:
                continue
            mark = _MARKS[finding.status]
            if ascii_only:
                mark = {"✓": "+", "✗": "x", "!": "!", "–": "-"}[mark]
            if colour:
                mark = f"\033[{_COLOURS[finding.status]}m{mark}\033[0m"
            lines.append(f"  {mark} {finding.rule:<13} {visible(finding.message)}")
        lines.append("")
    stats = report.stats
    verdict = (
        "Sendable."
        if report.sendable
        else ("Blocked by: " + ", ".join(f.rule for f in report.blockers) + ".")
    )
    words = f"{stats.words} word{'' if stats.words == 1 else 's'}"
    questions = f"{stats.questions} question{'' if stats.questions == 1 else 's'}"
    lines.append(f"{words}, {questions}, grade {stats.grade:g}. {verdict}")
    text = "\n".join(lines) + "\n"
    if ascii_only:
        text = text.translate(_ASCII).encode("ascii", "replace").decode("ascii")
    return text


def _cmd_check(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from composer.checklist import rule_severity, run_checklist
    from composer.checklist.data.compiled import CueCache

    user = _User(args.home)
    compiled = CueCache(user.paths.compiled_cues)
    name, data = _read_input(args.file, stdin)
    text, draft = _email_from_input(user, name, data, args.template)
    grammar_off = rule_severity("grammar", user.config.rules) == "off"
    grammar = _check_grammar(user, text, draft) if args.grammar and not grammar_off else None
    report = run_checklist(
        text,
        draft,
        overrides=user.config.rules,
        phrases=vars(user.config.phrases),
        grammar=grammar,
        compiled=compiled,
    )
    if args.json:
        out.write(_json_text(report.to_json(), _ascii_only(out)) + "\n")
    else:
        out.write(format_report(report, _use_colour(out), _ascii_only(out)))
    compiled.save()
    return EXIT_OK if report.sendable else EXIT_BLOCKED


def _json_text(data, ascii_only: bool) -> str:
    """JSON a terminal only shows: json escapes C0 itself; DEL, C1 and lone
    surrogates are escaped here too (the same JSON value, as \\u escapes)."""
    text = json.dumps(data, ensure_ascii=ascii_only, indent=2)
    return CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _check_grammar(user: _User, text: str, draft):
    """One grammar check under one deadline, no retries; a local LanguageTool
    server started for it is stopped after, on SIGTERM too."""
    import signal
    import threading

    from composer.grammar import CLI_DEADLINE, GrammarChecker
    from composer.slips import GrammarResult

    profile = user.config.profile
    names = [profile.name, profile.company, *_names_in_text(text)]
    if draft is not None:
        names += [draft.recipient.name, draft.recipient.company]
        names += [draft.sender.name, draft.sender.company]
    checker = GrammarChecker(user.config.grammar, retry=False, cache=user.paths.cache_folder)
    if checker.plan() == "public":
        print(
            "outreach: grammar: the email's text is sent to LanguageTool's public API "
            '(languagetool.org), as [grammar] backend = "public" says',
            file=sys.stderr,
        )
    answer: list = []

    def check() -> None:
        try:
            answer.append(checker.check(text, names))
        except Exception as exc:  # a bug must read as one, not as a timeout
            problem = f"the grammar check failed: {exc!r}"
            answer.append(GrammarResult(text, (), "", False, problem=problem))

    worker = threading.Thread(target=check, name="grammar", daemon=True)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        worker.start()
        worker.join(CLI_DEADLINE)
    finally:
        checker.close()
        signal.signal(signal.SIGTERM, previous)
    if answer:
        return answer[0]
    return checker.overdue(text, CLI_DEADLINE)


def _names_in_text(text: str) -> list[str]:
    """Whom a plain-text email greets and who signs it: names, not misspellings.

    From the greeting, up to three capitalised words after "Hi" (up to the
    first comma or stop); from the end, the name line under the sign-off
    ("Best,") or, with no sign-off, a last line of capitalised words. A role
    line ("Senior Enginer, Northwind") is not a name: its typos count.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and lines[0].lower().startswith("subject:"):
        lines = lines[1:]
    names: list[str] = []
    greeting = re.match(r"(?i)(hi|hello|hey|dear|good \w+)\b", lines[0]) if lines else None
    if greeting:
        after = re.split(r"[,.!?:;]", lines[0][greeting.end() :], maxsplit=1)[0]
        names += re.findall(r"\b[A-Z][\w'’-]*", after)[:3]
    first = 1 if greeting else 0  # the greeting's comma is not a sign-off's
    signoff = next(
        (
            i
            for i in range(len(lines) - 1, max(len(lines) - 5, first) - 1, -1)
            if lines[i].endswith(",") and len(lines[i].split()) <= 3
        ),
        None,
    )
    if signoff is not None:
        # The line under "Best," is the name; a sign-off that ends the email has none.
        candidate = lines[signoff + 1] if signoff + 1 < len(lines) else None
    else:
        candidate = lines[-1] if len(lines) > first and "," not in lines[-1] else None
    if candidate:
        words = re.findall(r"[\w'’-]+", candidate)
        if 0 < len(words) <= 4 and all(w[0].isupper() for w in words):
            names += words
    return names


def _cmd_render(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from composer.model import decode_text

    name, data = _read_input(args.draft, stdin)
    _, email = _User(args.home).render_draft(decode_text(data, name), name, args.template)
    # The email is printed exactly as it would be copied, or not at all.
    problem = describe_control(email.text)
    if problem:
        raise InputError(
            name,
            f"the email holds a control character, {problem}, that a terminal would act on; "
            "not printed (remove it from the draft or the template)",
        )
    encoding = getattr(out, "encoding", None)
    if encoding:
        try:
            email.text.encode(encoding)
        except UnicodeEncodeError as exc:
            raise InputError(
                "<stdout>",
                f"cannot print U+{ord(email.text[exc.start]):04X} in the {encoding} encoding; "
                "not printed (set PYTHONIOENCODING=utf-8 or a UTF-8 locale)",
            ) from None
    out.write(email.text)
    return EXIT_OK


def _cmd_templates(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from composer.templates_store import DEFAULT_TEMPLATE

    user = _User(args.home)
    action = getattr(args, "action", None) or "list"
    if action == "list":
        store = user.store()
        templates = store.listed()
        width = max(len(t.name) for t in templates)
        origin_width = max(len(t.origin) for t in templates)
        for template in templates:
            default = " (default)" if template.name == DEFAULT_TEMPLATE else ""
            row = f"{template.name:<{width}}  {template.origin:<{origin_width}}  {template.description}{default}"
            out.write(f"{one_line(row)}\n")
        return EXIT_OK
    return _TEMPLATE_ACTIONS[action](user, args, out)


def _template_source(template) -> str:
    """A template's TOML as stored, or re-written from its fields if it has no file."""
    from pathlib import Path

    from composer.templates_store import _builtin_dir, template_toml

    if template.origin == "built-in":
        return (
            _builtin_dir()
            .joinpath(template.path.removeprefix("built-in:"))
            .read_text(encoding="utf-8")
        )
    if template.path and Path(template.path).is_file():
        from composer.model import read_text

        return read_text(template.path)
    return template_toml(template)


def _templates_show(user: _User, args: argparse.Namespace, out: TextIO) -> int:
    out.write(visible(_template_source(user.store().get(args.name))))
    return EXIT_OK


def _templates_import(user: _User, args: argparse.Namespace, out: TextIO) -> int:
    from dataclasses import replace
    from pathlib import Path

    from composer.template_saving import store_user_template
    from composer.templates_store import load_template_file

    template = load_template_file(Path(args.file))
    if args.name is not None:
        template = replace(template, name=args.name)
    target, _ = store_user_template(
        user.store(),
        user.paths.templates,
        template,
        args.force,
        force_hint=" — add --force to replace it",
        rename_hint=" with --name",
    )
    out.write(visible(f"Imported '{template.name}' to {target}\n"))
    return EXIT_OK


def _templates_export(user: _User, args: argparse.Namespace, out: TextIO) -> int:
    import stat
    from pathlib import Path

    from composer.storage import atomic_write

    source = _template_source(user.store().get(args.name))
    if not args.file:
        out.write(source)
        return EXIT_OK
    target = Path(args.file)
    if os.path.lexists(target):
        if not stat.S_ISREG(os.lstat(target).st_mode):
            # --force replaces a file, never a link, a device (as root, /dev/null), a FIFO or a folder.
            raise InputError(
                str(target), "not a regular file; export writes a new file or replaces one"
            )
        if not args.force:
            raise InputError(str(target), "exists; add --force to overwrite it")
    atomic_write(target, source, private=False)
    out.write(f"Exported '{args.name}' to {target}\n")
    return EXIT_OK


def _templates_delete(user: _User, args: argparse.Namespace, out: TextIO) -> int:
    from composer.templates_store import delete_user_template

    target = delete_user_template(user.store(), args.name)
    out.write(visible(f"Deleted '{args.name}' ({target})\n"))
    return EXIT_OK


_TEMPLATE_ACTIONS = {
    "show": _templates_show,
    "import": _templates_import,
    "export": _templates_export,
    "delete": _templates_delete,
}


def _cmd_config(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from composer.config import describe_config, load_config
    from composer.storage import resolve_paths

    paths = resolve_paths(args.home)
    path = paths.config_file
    if args.action == "path":
        out.write(visible(f"{path}\n"))
        return EXIT_OK
    if args.action == "show":
        config, problems = load_config(paths)
        for problem in problems:
            _say(f"warning: {problem}")
        out.write(visible(describe_config(config)))
        return EXIT_OK
    return _edit_config(paths, out)


def _edit_config(paths, out: TextIO) -> int:
    """Open $EDITOR on config.toml, then check what was saved."""
    import shlex
    import subprocess

    from composer.config import load_config, start_config

    path = paths.config_file
    variable = next((name for name in ("VISUAL", "EDITOR") if os.environ.get(name)), None)
    editor = os.environ[variable] if variable else "vi"
    where = f"${variable}" if variable else "the editor"
    try:
        command = shlex.split(editor)
    except ValueError as exc:
        raise InputError(where, f"{editor!r} is not a command ({exc}); set ${variable}") from None
    if not command:
        raise InputError(where, f"is blank; set ${variable} to your editor (e.g. nano)")
    start_config(paths)
    try:
        subprocess.run([*command, str(path)], check=False)
    except OSError as exc:
        raise InputError(
            editor, f"cannot start the editor ({exc.strerror or exc}); set $EDITOR"
        ) from None
    _, problems = load_config(paths)
    if problems:
        for problem in problems:
            _say(problem)
        _say(f"{path} was kept as you saved it; defaults stand in for what is wrong")
        return EXIT_USAGE
    out.write(visible(f"{path}: OK\n"))
    return EXIT_OK


def _cmd_history(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from composer.senders import read_history
    from composer.storage import resolve_paths

    paths = resolve_paths(args.home)
    entries, problems = read_history(paths)
    for problem in problems:
        _say(problem)
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
        if args.full:
            out.write(
                "".join(
                    f"    {visible(line)}\n" if line else "\n" for line in entry.text.splitlines()
                )
                + "\n"
            )
    return EXIT_OK


def _cmd_compose(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """`outreach` alone: the composer (the only command that imports Textual).

    With --draft it opens that file (which is never written to); otherwise the
    last composition that was never sent comes back.
    """
    from dataclasses import replace
    from pathlib import Path

    from composer.config import load_config
    from composer.drafts import clean_drafts_folder, latest_unsent, load_draft, lock_draft
    from composer.model import Draft
    from composer.storage import resolve_paths
    from composer.templates_store import Template, template_for, user_store

    paths = resolve_paths(args.home)
    config, notices = load_config(paths)
    draft, draft_lock, restored = Draft(), None, False
    clean_drafts_folder(paths)
    if args.draft:
        if not args.draft.endswith(".toml"):
            raise InputError(
                args.draft,
                "a draft is a .toml file (see docs/drafts.md); to judge an email, use `outreach check`",
            )
        draft = load_draft(Path(args.draft))
    elif (latest := latest_unsent(paths)) is not None:
        # A broken file is reported and left alone; the composer opens empty.
        try:
            draft, restored = load_draft(latest.path), True
        except InputError as exc:
            notices.append(f"Could not reopen your last draft: {exc}")
        if restored and (draft_lock := lock_draft(latest.path)) is None:
            draft, restored = Draft(), False
            notices.append(
                f"Your last draft ({latest.path.name}) is open in another composer; "
                "this is a new draft."
            )
    base = Path(args.draft).parent if args.draft else None
    if args.template:
        chosen = template_for(args.template)
    else:
        # The draft's own template may be gone (deleted, a team folder dropped):
        # the draft still opens, with the default template and a notice.
        try:
            chosen = template_for(draft.template, base)
        except (InputError, TemplateError) as exc:
            notices.append(f"{exc}; the draft opens with the default template.")
            chosen = None
            draft = replace(draft, template="")
    store = user_store(
        paths, config.template_dirs, extra=[chosen] if isinstance(chosen, Template) else []
    )
    notices += store.problems
    name = chosen.name if isinstance(chosen, Template) else chosen
    if name and args.template:
        store.get(name)  # an unknown --template exits 2 before the screen opens
    from composer.tui.app import ComposerApp

    app = ComposerApp(
        draft,
        paths,
        template=name,
        store=store,
        draft_lock=draft_lock,
        restored=restored,
        notices=notices,
        config=config,
        first_run=not args.draft and not restored and not paths.config_file.exists(),
    )
    farewell = app.run()
    if farewell:
        out.write(visible(f"{farewell}\n"))
    return EXIT_OK


_COMMANDS = {
    "check": _cmd_check,
    "render": _cmd_render,
    "templates": _cmd_templates,
    "history": _cmd_history,
    "config": _cmd_config,
    None: _cmd_compose,
}


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
        return _COMMANDS[args.command](args, out, stdin)
    except (InputError, TemplateError) as exc:
        _say(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        # A write to stdout that did not go through `out` met a closed pipe:
        # not an error worth a message (caught before OSError, of which it is a kind).
        _stdout_to_devnull()
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"{where}{exc.strerror or exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
