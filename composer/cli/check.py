"""`outreach check` and `outreach render`: what the user handed in (a draft,
an .eml, plain text) becomes the email, then the checklist's report or the
email itself; `--grammar` adds one bounded LanguageTool check.

The checklist, the renderer and the grammar client are imported inside the
commands, so a plain-text check never loads Jinja2 nor LanguageTool.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import TextIO

from composer.cli.common import EXIT_BLOCKED, EXIT_OK, User, read_input
from composer.model import InputError
from composer.safe_text import CONTROL, describe_control, visible

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


def _email_from_input(user: User, name: str, data: bytes, template_spec: str | None):
    """(email text, draft or None, recipient's address or "") for whatever the user handed `check`."""
    from composer.model import decode_text, parse_email, parse_eml

    if name.endswith(".eml") or _looks_like_eml(data):
        from email.utils import getaddresses

        email = parse_eml(data, name)
        # "Dana Kim <dana@example.com>, bo@…": the ledger is the first recipient's.
        addresses = [address for _, address in getaddresses([email.to]) if address]
        return email.text, None, addresses[0] if addresses else ""
    text = decode_text(data, name)
    if _looks_like_draft(name, text):
        draft, email = user.render_draft(text, name, template_spec)
        return email.text, draft, email.to
    if template_spec:
        raise InputError(name, "--template applies to drafts (.toml), not to a finished email")
    return parse_email(text).text, None, ""


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


def _file_or_stdin(path: str | None, stdin: TextIO | None) -> str:
    """FILE as given; without one, "-" when the email is piped or redirected
    in. A terminal on stdin means nothing was: waiting for typing would look
    like a hang, so that is a usage error."""
    if path is not None:
        return path
    if stdin is None or stdin.isatty():
        raise InputError(
            "check",
            "no FILE, and stdin is a terminal: give a FILE, or pipe the email in "
            "(outreach check < email.txt)",
        )
    return "-"


def run_check(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Judge the email; exit 0 when sendable, 1 when a blocking rule fails."""
    from composer.checklist import rule_severity, run_checklist
    from composer.checklist.data.compiled import CueCache
    from composer.senders import read_history

    user = User(args.home)
    accepted = _accepted(args.accept)
    compiled = CueCache(user.paths.compiled_cues)
    name, data = read_input(_file_or_stdin(args.file, stdin), stdin)
    text, draft, to = _email_from_input(user, name, data, args.template)
    history, problems = read_history(user.paths)
    User._warn(problems)
    grammar_off = rule_severity("grammar", user.config.rules) == "off"
    grammar = _check_grammar(user, text, draft) if args.grammar and not grammar_off else None
    report = run_checklist(
        text,
        draft,
        overrides=user.config.rules,
        phrases=vars(user.config.phrases),
        grammar=grammar,
        compiled=compiled,
        accepted={**(draft.accepted if draft is not None else {}), **accepted},
        history=history,
        ledger=_ledger(user, to, history),
    )
    if args.json:
        out.write(_json_text(report.to_json(), _ascii_only(out)) + "\n")
    else:
        out.write(format_report(report, _use_colour(out), _ascii_only(out)))
    compiled.save()
    return EXIT_OK if report.sendable else EXIT_BLOCKED


def _ledger(user: User, address: str, history: list) -> tuple | None:
    """What each earlier email to `address` gave and asked (for the `ledger`
    rule); nothing when there is no address. A check only reads the database:
    it creates and writes nothing (with none yet, the ledger is read from the
    log), and a database another process holds locked skips the rule rather
    than keep the check waiting."""
    from composer.ledger import contact_ledger
    from composer.store import Sent, StoreError, address_of, read_store

    if not address.strip():
        return ()
    phrases = vars(user.config.phrases)
    if not os.path.lexists(user.paths.database):
        sent = [
            Sent(number, entry)
            for number, entry in enumerate(history, start=1)
            if address_of(entry.email) == address_of(address)
        ]
        return contact_ledger(None, address, sent, phrases)
    try:
        with read_store(user.paths) as store:
            return contact_ledger(store, address, phrases=phrases)
    except StoreError as exc:
        User._warn([f"{exc}; the ledger rule is skipped"])
        return None


def _accepted(marks: list[str]) -> dict[str, str]:
    """`--accept RULE="reason"` options as {rule: reason}; a bad one is a usage error."""
    from composer.checklist import overrule_reason

    accepted = {}
    for mark in marks:
        rule, equals, reason = mark.partition("=")
        if not equals:
            raise InputError(
                "--accept", f"'{mark}' needs a reason: --accept {rule}=\"why it is met\""
            )
        try:
            accepted[rule.strip()] = overrule_reason(rule.strip(), reason)
        except ValueError as exc:
            raise InputError("--accept", str(exc)) from None
    return accepted


def _json_text(data, ascii_only: bool) -> str:
    """JSON a terminal only shows: json escapes C0 itself; DEL, C1 and lone
    surrogates are escaped here too (the same JSON value, as \\u escapes)."""
    text = json.dumps(data, ensure_ascii=ascii_only, indent=2)
    return CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _check_grammar(user: User, text: str, draft):
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


def run_render(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Print the email a draft renders to, exactly as it would be copied."""
    from composer.model import decode_text

    name, data = read_input(args.draft, stdin)
    _, email = User(args.home).render_draft(decode_text(data, name), name, args.template)
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
