"""Email templates: TOML files with a Jinja2 subject and body.

Built-ins ship inside the package (templates/ at the top of the repo is copied
into the wheel as composer/templates) and are found through importlib.resources.
A template named with a leading underscore (e.g. `_base`) is a partial: other
templates extend or include it, and it is not offered on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from composer.model import DRAFT_FIELDS, Draft, InputError, TemplateError, parse_toml, read_text
from composer.storage import Paths

DEFAULT_TEMPLATE = "share-and-ask"
"""Uses all four guided fields, so a complete draft passes every tip."""

_KEYS = ("name", "description", "subject", "body", "defaults", "examples")
RECIPIENT_KEYS = ("name", "email", "company", "role")
"""The recipient's parts a template's [defaults] or [examples] may give, in a
[defaults.recipient] or [examples.recipient] table (`recipient.name`... here)."""
TEMPLATE_FIELDS = (*DRAFT_FIELDS, *(f"recipient.{key}" for key in RECIPIENT_KEYS))
_FIELD_LINE = r"^{key}\s*=\s*(\"\"\"|''')?"


@dataclass(frozen=True)
class Template:
    """One email template. `body_line` is where the body starts in its file."""

    name: str
    description: str
    subject: str
    body: str
    defaults: dict[str, str] = field(default_factory=dict)
    """Text a draft started from this template holds until the user changes it,
    by TEMPLATE_FIELDS name."""
    examples: dict[str, str] = field(default_factory=dict)
    """The form's grey example text for this kind of email; never rendered."""
    origin: str = "built-in"
    path: str = ""
    body_line: int = 1
    subject_line: int = 1

    @property
    def partial(self) -> bool:
        return self.name.startswith("_")


def parse_template(text: str, source: str, origin: str, fallback_name: str) -> Template:
    """Read a template file's TOML, checking every key and type by name."""
    data = parse_toml(text, source)
    for key in data:
        if key not in _KEYS:
            raise InputError(
                source, f"unknown key '{key}' in the template (expected one of: {', '.join(_KEYS)})"
            )
    for key in ("subject", "body"):
        if not isinstance(data.get(key), str):
            raise InputError(source, f"the template needs '{key}' as text")
    for key in ("name", "description"):
        if key in data and not isinstance(data[key], str):
            raise InputError(source, f"'{key}' must be text")
    defaults = _field_table(data, "defaults", source)
    examples = _field_table(data, "examples", source)
    return Template(
        name=data.get("name") or fallback_name,
        description=data.get("description", ""),
        subject=data["subject"],
        body=data["body"],
        defaults=defaults,
        examples=examples,
        origin=origin,
        path=source,
        body_line=_value_line(text, "body"),
        subject_line=_value_line(text, "subject"),
    )


def _field_table(data: dict, table: str, source: str) -> dict[str, str]:
    """A [defaults] or [examples] table, with its [<table>.recipient], as text by field name."""
    values = data.get(table, {})
    if not isinstance(values, dict):
        raise InputError(source, f"'{table}' must be a table ([{table}])")
    found: dict[str, str] = {}
    for key, value in values.items():
        if key == "recipient":
            if not isinstance(value, dict):
                raise InputError(
                    source, f"'recipient' in [{table}] must be a table ([{table}.recipient])"
                )
            for part, text in value.items():
                if part not in RECIPIENT_KEYS:
                    raise InputError(
                        source,
                        f"unknown key '{part}' in [{table}.recipient] "
                        f"(keys: {', '.join(RECIPIENT_KEYS)})",
                    )
                if not isinstance(text, str):
                    raise InputError(source, f"[{table}.recipient] {part} must be text")
                found[f"recipient.{part}"] = text
            continue
        if key not in DRAFT_FIELDS:
            raise InputError(
                source,
                f"unknown field '{key}' in [{table}] (fields: {', '.join(DRAFT_FIELDS)}, "
                "and a [recipient] table)",
            )
        if not isinstance(value, str):
            raise InputError(source, f"[{table}] {key} must be text")
        found[key] = value
    return found


def _nested(values: dict[str, str]) -> dict[str, object]:
    """TEMPLATE_FIELDS names back to TOML's shape: recipient.* in a [recipient] table."""
    nested: dict[str, object] = {k: v for k, v in values.items() if not k.startswith("recipient.")}
    recipient = {
        k.removeprefix("recipient."): v for k, v in values.items() if k.startswith("recipient.")
    }
    if recipient:
        nested["recipient"] = recipient
    return nested


def with_defaults(draft: Draft, template: Template) -> tuple[Draft, dict[str, str]]:
    """`draft` with each empty field holding the template's default, and what was filled.

    Rendering never fills a field itself: a default is text the user sees and
    edits in the form like any other.
    """
    filled = {
        name: text
        for name, text in template.defaults.items()
        if text.strip() and not draft_value(draft, name).strip()
    }
    plain = {k: v for k, v in filled.items() if not k.startswith("recipient.")}
    recipient = {
        k.removeprefix("recipient."): v for k, v in filled.items() if k.startswith("recipient.")
    }
    return replace(draft, **plain, recipient=replace(draft.recipient, **recipient)), filled


def draft_value(draft: Draft, name: str) -> str:
    """A draft's text for a TEMPLATE_FIELDS name."""
    if name.startswith("recipient."):
        return getattr(draft.recipient, name.removeprefix("recipient."))
    return getattr(draft, name)


def _value_line(text: str, key: str) -> int:
    """The file line holding a value's first line, so errors point into the file."""
    match = re.search(_FIELD_LINE.format(key=key), text, re.M)
    if not match:
        return 1
    line = text.count("\n", 0, match.start()) + 1
    # TOML drops the newline right after an opening triple quote.
    if match.group(1) and text.startswith("\n", match.end()):
        line += 1
    return line


def _builtin_dir() -> Traversable:
    return files("composer").joinpath("templates")


def builtin_templates() -> dict[str, Template]:
    """Every built-in template by name, partials included."""
    folder = _builtin_dir()
    if not folder.is_dir():
        # Running from a source checkout that was never installed: templates/
        # reaches the package only when it is built (make install, pip install .).
        raise TemplateError(
            "built-in",
            "the built-in templates are not installed; run `make install` or `pip install .`",
        )
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            stem = entry.name[: -len(".toml")]
            template = parse_template(
                entry.read_text(encoding="utf-8"), f"built-in:{entry.name}", "built-in", stem
            )
            found[template.name] = template
    return found


def load_template_file(path: str | Path) -> Template:
    """A template from a file the user names (e.g. `--template ./mine.toml`)."""
    path = Path(path)
    return parse_template(read_text(path), str(path), str(path.parent), path.stem)


def is_template_path(ref: str) -> bool:
    """A template reference that names a file rather than a template."""
    return ref.endswith(".toml") or "/" in ref or "\\" in ref


def template_for(ref: str | None, base: Path | None = None) -> Template | str | None:
    """A `--template` value or a draft's `template =`: a file (relative to
    `base`, the draft's folder), else a name to look up, else None."""
    if not ref or not is_template_path(ref):
        return ref or None
    path = Path(ref).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    return load_template_file(path)


_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._ -]{0,63}")


def check_name(name: str) -> str | None:
    """Why `name` cannot name a template file, or None when it can.

    Names become file names in your templates folder, so nothing that could
    leave that folder or confuse a terminal is accepted.
    """
    if not name:
        return "a template needs a name"
    if "/" in name or "\\" in name or ".." in name:
        return f"{name!r} has a path in it; a template name is a plain name"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "the name has control characters"
    if not _NAME.fullmatch(name) or name.endswith((" ", ".")):
        return f"{name!r} may use letters, digits, spaces, '.', '_' and '-' (64 at most)"
    return None


def load_template_dir(folder: Path, origin: str) -> tuple[list[Template], list[str]]:
    """Every template file of a folder, and a problem line for each bad one.

    A bad file is reported and skipped, never fatal and never rewritten.
    """
    try:
        entries = sorted(folder.glob("*.toml"))
    except OSError as exc:
        return [], [f"{folder}: cannot list ({exc.strerror or exc})"]
    templates, problems = [], []
    for path in entries:
        try:
            template = parse_template(read_text(path), str(path), origin, path.stem)
        except InputError as exc:
            problems.append(f"{exc} (skipped)")
            continue
        if (why := check_name(template.name)) is not None:
            problems.append(f"{path}: {why} (skipped)")
            continue
        templates.append(template)
    return templates, problems


class TemplateStore:
    """Where templates are looked up by name.

    Later sources win: built-ins, then each folder in `folders` (the user's
    own templates folder first, then team folders from config), then `extra`
    (a file named on the command line). Built-in files are never modified.
    `own` is the user's own templates folder: only files there are yours to
    rename or delete, whatever a folder's label says (a team folder may well
    be called "yours").
    """

    def __init__(
        self,
        extra: list[Template] | None = None,
        folders: list[tuple[Path, str]] | None = None,
        own: Path | None = None,
    ) -> None:
        self._templates = builtin_templates()
        self.problems: list[str] = []
        self._own_files: set[str] = set()
        self._team_files: set[str] = set()
        for folder, origin in folders or []:
            if not folder.is_dir():
                continue
            found, problems = load_template_dir(folder, origin)
            self.problems += problems
            mine = own is not None and _same_folder(folder, own)
            for template in found:
                # Team folders' templates win over the user's own (they come later).
                self._templates[template.name] = template
                (self._own_files if mine else self._team_files).add(template.path)
        for template in extra or []:
            self._templates[template.name] = template

    def owns(self, template: Template) -> bool:
        """Whether `template` is a file of the user's own templates folder."""
        return bool(template.path) and template.path in self._own_files

    def from_team(self, template: Template) -> bool:
        """Whether `template` is a file of a team folder (which wins over yours)."""
        return bool(template.path) and template.path in self._team_files and not self.owns(template)

    def get(self, name: str) -> Template:
        try:
            return self._templates[name]
        except KeyError:
            raise TemplateError(name, "no such template (see `outreach templates`)") from None

    def names(self) -> list[str]:
        return list(self._templates)

    def add(self, template: Template, own: bool = False) -> None:
        """A template saved while the app runs (`own`: into the user's own folder)."""
        self._templates[template.name] = template
        if own:
            self._own_files.add(template.path)

    def copy(self) -> TemplateStore:
        """The same templates in a store of its own (to try one out before keeping it)."""
        other = object.__new__(TemplateStore)
        other._templates = dict(self._templates)
        other.problems = []
        other._own_files = set(self._own_files)
        other._team_files = set(self._team_files)
        return other

    def remove(self, name: str) -> None:
        """A template deleted while the app runs (a built-in of that name comes back)."""
        self._templates.pop(name, None)
        builtin = builtin_templates().get(name)
        if builtin is not None:
            self._templates[name] = builtin

    def listed(self) -> list[Template]:
        """Templates a user picks from: partials are left out."""
        return [t for t in self._templates.values() if not t.partial]


def user_store(
    paths: Paths, config_dirs: list[str], extra: list[Template] | None = None
) -> TemplateStore:
    """The store with the user's templates folder and the config's team folders."""
    folders = [(paths.templates, "yours")]
    for entry in config_dirs:
        # A relative folder in config.toml is relative to config.toml, not to wherever you run outreach.
        folder = paths.config / Path(entry).expanduser()
        # The label is only shown; still, a team folder is not listed as yours.
        label = str(folder) if entry in ("yours", "built-in") else entry
        folders.append((folder, label))
    return TemplateStore(extra=extra, folders=folders, own=paths.templates)


def _same_folder(one: Path, other: Path) -> bool:
    """Two spellings of one folder (a trailing `.`, a link) are the same folder."""
    import os

    return os.path.realpath(one) == os.path.realpath(other)


def _literal(text: str) -> str:
    """Fixed text made safe for Jinja: every `{` the user typed stays text, so
    none can open a tag, alone or next to a `{{ variable }}`."""
    return text.replace("{", "{{ '{' }}")


def template_from_email(
    name: str,
    description: str,
    subject: str,
    body: str,
    values: dict[str, str],
    keep: set[str],
) -> Template:
    """Turn a finished email back into a template.

    `values` maps variable names (draft fields, `recipient.first_name`,
    `sender.name`...) to the text they filled in; each occurrence becomes
    `{{ name }}` again, longest first so a name inside a sentence is not cut
    out of it. Fields in `keep` (TEMPLATE_FIELDS names) become the
    template's [defaults]; a kept recipient part stays a variable, filled
    from the defaults.
    """

    def templated(text: str) -> str:
        pieces = [(text, False)]
        for variable, value in sorted(values.items(), key=lambda kv: -len(kv[1])):
            value = value.strip()
            if len(value) < 2:
                continue
            next_pieces = []
            for piece, is_variable in pieces:
                if is_variable or value not in piece:
                    next_pieces.append((piece, is_variable))
                    continue
                for index, part in enumerate(piece.split(value)):
                    if index:
                        next_pieces.append((f"{{{{ {variable} }}}}", True))
                    next_pieces.append((part, False))
            pieces = next_pieces
        return "".join(piece if is_variable else _literal(piece) for piece, is_variable in pieces)

    defaults = {
        field: values[field] for field in TEMPLATE_FIELDS if field in keep and values.get(field)
    }
    return Template(
        name=name,
        description=description,
        subject=templated(subject),
        body=_greeting_fallback(templated(body)),
        defaults=defaults,
        origin="yours",
    )


def _greeting_fallback(body: str) -> str:
    """The greeting of a saved template falls back to "there", as the built-ins
    do: a draft whose recipient is not filled in yet reads "Hi there,", never
    "Hi ,". Only the first line: elsewhere a sentence would read "Thanks, there"."""
    first, newline, rest = body.partition("\n")
    first = first.replace("{{ recipient.first_name }}", '{{ recipient.first_name or "there" }}', 1)
    return first + newline + rest


def template_toml(template: Template) -> str:
    """A template as the TOML file format (written with tomli-w)."""
    import tomli_w

    data: dict[str, object] = {
        "name": template.name,
        "description": template.description,
        "subject": template.subject,
        "body": template.body,
    }
    if template.defaults:
        data["defaults"] = _nested(template.defaults)
    if template.examples:
        data["examples"] = _nested(template.examples)
    return tomli_w.dumps(data, multiline_strings=True)


def delete_user_template(store: TemplateStore, name: str) -> Path:
    """Delete one of your templates (its own file); built-ins and team templates are refused."""
    template = store.get(name)
    if not store.owns(template):
        raise InputError(
            name,
            "only your own templates can be deleted (built-ins and team folders are not yours)",
        )
    path = Path(template.path)
    path.unlink()
    store.remove(name)
    return path
