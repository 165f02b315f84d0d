"""The draft (what the user fills in), the email (what the recipient reads), and
how both are read from and written to files.

Plain dataclasses and the standard library only: the CLI's `check` reads files
through this module and must start as fast as plain Python.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

DRAFT_FIELDS = ("subject", "context", "research", "point", "wiift", "offer")
"""The free-text fields of a draft, in the order the guided form asks for them."""

MAX_INPUT_BYTES = 4 * 1024 * 1024
"""Anything larger is not an email; refusing it keeps every command responsive."""


class InputError(Exception):
    """A file or text the user gave us cannot be used; `str()` is one line for humans."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


class TemplateError(Exception):
    """A template that cannot be loaded or rendered; `str()` is one line for humans.

    Defined here, with InputError, so the CLI can catch it without importing
    the template store (and importlib.resources) on every command."""

    def __init__(self, template: str, message: str, line: int | None = None) -> None:
        self.template = template
        self.line = line
        self.message = message
        where = f"template '{template}'" + (f", line {line}" if line else "")
        super().__init__(f"{where}: {message}")


@dataclass
class Recipient:
    """The person the email is for."""

    name: str = ""
    email: str = ""
    company: str = ""
    role: str = ""

    @property
    def first_name(self) -> str:
        """The first word of the name, which is how a cold email greets someone."""
        parts = self.name.split()
        if not parts:
            return ""
        # Honorifics are not first names: "Dr. Ada Lovelace" is greeted as Ada.
        if (
            parts[0].rstrip(".").lower() in {"dr", "mr", "mrs", "ms", "mx", "prof"}
            and len(parts) > 1
        ):
            return parts[1]
        return parts[0]


@dataclass
class Sender:
    """The person writing: who you are is half of "trust through knowing you".

    config.toml's [profile] has the same fields and signs every new draft.
    """

    name: str = ""
    """Your name, as you sign emails."""
    role: str = ""
    """Your job title."""
    company: str = ""
    """Where you work."""
    bio: str = ""
    """One line about you; templates may use it as `sender.bio`."""
    signature: str = ""
    """Extra lines under your name (a link, a phone number)."""


@dataclass
class Draft:
    """What the guided form collects; a template turns it into an Email."""

    subject: str = ""
    context: str = ""
    research: str = ""
    point: str = ""
    wiift: str = ""
    offer: str = ""
    template: str = ""
    recipient: Recipient = field(default_factory=Recipient)
    sender: Sender = field(default_factory=Sender)
    accepted: dict[str, str] = field(default_factory=dict)
    """Checklist blocks the user overruled: rule id -> their reason ([accepted])."""

    def to_toml(self) -> str:
        """The draft as TOML text, empty values left out so hand-edited files stay short."""
        import tomli_w

        data: dict[str, object] = {}
        for name in (*DRAFT_FIELDS, "template"):
            value = getattr(self, name)
            if value:
                data[name] = value
        for table in ("recipient", "sender"):
            values = {k: v for k, v in asdict(getattr(self, table)).items() if v}
            if values:
                data[table] = values
        if self.accepted:
            data["accepted"] = dict(self.accepted)
        return tomli_w.dumps(data, multiline_strings=True)


@dataclass(frozen=True)
class Email:
    """What the recipient reads. `text` is exactly what is copied and checked."""

    subject: str
    body: str
    to: str = ""

    @property
    def text(self) -> str:
        """`Subject: <subject>`, a blank line, then the body."""
        return f"Subject: {self.subject}".rstrip() + f"\n\n{self.body}"


def suggest(word: str, choices: list[str]) -> str:
    """' (did you mean 'X'?)' for the closest choice, or nothing."""
    import difflib

    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _strings(table: dict, allowed: tuple[str, ...], where: str, source: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in table.items():
        if key not in allowed:
            raise InputError(source, f"unknown key '{key}' in {where}{suggest(key, list(allowed))}")
        if not isinstance(value, str):
            raise InputError(source, f"'{key}' in {where} must be text, not {type(value).__name__}")
        values[key] = value
    return values


def parse_toml(text: str, source: str) -> dict:
    """TOML text to a dict, with the file and line of any syntax error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts "(at line N, column M)" at the end of its message.
        message = str(exc)
        line = None
        if "(at line " in message:
            head, _, tail = message.rpartition(" (at line ")
            number = tail.split(",")[0]
            if number.isdigit():
                line, message = int(number), head
        raise InputError(source, f"invalid TOML: {message}", line) from None


def draft_from_dict(data: dict, source: str) -> Draft:
    """Build a Draft from parsed TOML, refusing unknown keys and wrong types by name."""
    top = [*DRAFT_FIELDS, "template", "recipient", "sender", "accepted"]
    draft = Draft()
    for key, value in data.items():
        if key in ("recipient", "sender"):
            if not isinstance(value, dict):
                raise InputError(source, f"'{key}' must be a table ([{key}])")
            cls = Recipient if key == "recipient" else Sender
            allowed = tuple(f.name for f in fields(cls))
            setattr(draft, key, cls(**_strings(value, allowed, f"[{key}]", source)))
        elif key == "accepted":
            if not isinstance(value, dict):
                raise InputError(source, "'accepted' must be a table ([accepted])")
            draft.accepted = _strings(value, tuple(value), "[accepted]", source)
        elif key in top:
            if not isinstance(value, str):
                raise InputError(source, f"'{key}' must be text, not {type(value).__name__}")
            setattr(draft, key, value)
        else:
            raise InputError(source, f"unknown key '{key}' in the draft{suggest(key, top)}")
    return draft


def parse_draft(text: str, source: str = "<draft>") -> Draft:
    """Read a draft from TOML text."""
    return draft_from_dict(parse_toml(text, source), source)


def parse_email(text: str) -> Email:
    """Read a plain-text email: an optional `Subject:` first line, a blank line, the body.

    Line endings are normalised to `\\n`, so spans always index the text the rules saw.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        subject = first[len("subject:") :].strip()
        body = rest[1:] if rest.startswith("\n") else rest
        return Email(subject=subject, body=body)
    return Email(subject="", body=text)


MAX_EML_HEADER_BYTES = 64 * 1024
"""A header of an .eml longer than this is refused: the standard library
parses one in quadratic time (a 0.8 MB Subject took 12 s), and no real
header comes near (a line is at most 998 characters, a To: of a hundred
people about 5 KB)."""

MAX_EML_CONTAINERS = 100
"""Multipart or message/ parts an .eml may hold: the standard library parses
and walks nested parts recursively, and thousands of levels overflow the
stack. Real mail nests a few levels and has a handful of containers."""

_EML_HEADER_FIELD = re.compile(rb"^[^ \t\r\n][^\n]*(?:\n[ \t][^\n]*)*", re.MULTILINE)
_EML_CONTAINER = re.compile(
    rb"^content-type:[ \t]*(?:\r?\n[ \t]+)?(?:multipart|message)/", re.MULTILINE | re.IGNORECASE
)


def _check_eml_bounds(data: bytes, source: str) -> None:
    """Refuse, before parsing, what the standard library's parser cannot bound."""
    end = re.search(rb"\r?\n\r?\n", data)
    head = data[: end.start()] if end else data
    for header in _EML_HEADER_FIELD.finditer(head):
        if len(header.group()) > MAX_EML_HEADER_BYTES:
            name = header.group()[:40].split(b":", 1)[0].decode("ascii", "replace")
            raise InputError(
                source, f"the {name} header is too long (over {MAX_EML_HEADER_BYTES // 1024} KB)"
            )
    if len(_EML_CONTAINER.findall(data)) > MAX_EML_CONTAINERS:
        raise InputError(
            source, f"too many nested parts (over {MAX_EML_CONTAINERS} multipart or message parts)"
        )


def parse_eml(data: bytes, source: str = "<eml>") -> Email:
    """Read an RFC 822 message (.eml): its Subject, To and first text/plain part."""
    from email import policy
    from email.parser import BytesParser

    _check_eml_bounds(data, source)
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        part = message.get_body(preferencelist=("plain",))
    except RecursionError:
        # Parts nested without a Content-Type each (a digest's default) slip past the count.
        raise InputError(source, "its parts are nested too deeply to read") from None
    if not message.keys():
        raise InputError(source, "not an email message: no headers found")
    if part is None:
        raise InputError(source, "the message has no plain-text part to check")
    try:
        body = part.get_content()
    except (LookupError, ValueError) as exc:
        raise InputError(source, f"cannot decode the message body: {exc}") from None
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return Email(
        subject=str(message.get("subject", "")).strip(), body=body, to=str(message.get("to", ""))
    )


def read_bytes(path: str | Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A user's file, refused with one clear line when missing, unreadable,
    over `limit` bytes, or not a regular file (a FIFO, /dev/zero: see storage.read_file)."""
    from composer.storage import FileTooLarge, NotARegularFile, read_file

    source = str(path)
    try:
        return read_file(path, limit)
    except FileNotFoundError:
        if Path(path).is_symlink():
            target = os.readlink(path)
            raise InputError(source, f"a link to {target}, which does not exist") from None
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory, not a file") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except (FileTooLarge, NotARegularFile) as exc:
        raise InputError(source, exc.strerror) from None
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None


def decode_text(data: bytes, source: str) -> str:
    """Bytes to text, refusing binary data and invalid UTF-8 with the line it breaks on."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(source, f"too large (over {MAX_INPUT_BYTES // (1024 * 1024)} MB)")
    if b"\x00" in data:
        raise InputError(source, "binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(source, "not valid UTF-8 text", line) from None


def read_text(path: str | Path) -> str:
    """A user's file as UTF-8 text."""
    return decode_text(read_bytes(path), str(path))
