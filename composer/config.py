"""config.toml: your profile, theme, rule settings, template folders, grammar.

Reading never fails: a broken or mistyped file is reported (file, line, and
"did you mean" for unknown keys), left untouched, and defaults are used for
whatever could not be read. Writing (the theme chosen in the composer) is
atomic and keeps every other key as it was.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, fields

from composer.model import MAX_INPUT_BYTES, InputError, Sender, parse_toml, suggest
from composer.storage import FileTooLarge, NotARegularFile, Paths, atomic_write, read_file

SEVERITIES = ("block", "warn", "off")


Profile = Sender
"""[profile]: who you are. The same fields as a draft's sender, which it fills."""


@dataclass
class Grammar:
    """LanguageTool settings (used by the grammar check)."""

    backend: str = "auto"
    """"auto", "server", "local", "public" or "off"."""
    server_url: str = ""
    """Your LanguageTool server, e.g. http://localhost:8081 (backend = "server")."""
    language: str = "en-US"
    """The language to check."""
    words: list[str] = field(default_factory=list)
    """Words never flagged as misspelled (names, jargon)."""


@dataclass
class Phrases:
    """Your own phrase lists, added to the checklist's."""

    vague: list[str] = field(default_factory=list)
    """Phrases that ask for the relationship, not for something (like "sync up")."""
    jargon: list[str] = field(default_factory=list)
    """Words your readers may not know; the readability rule points them out."""


MAX_AFTER_DAYS = 36500
"""A hundred years: a longer wait is a typo, and past the calendar's end."""


@dataclass
class Followups:
    """When an email with no reply is due a follow-up (`outreach followups`)."""

    after_days: int = 7
    """Days to wait for a reply before the email is listed."""


@dataclass
class Config:
    """Everything config.toml can set; every field has a default."""

    profile: Profile = field(default_factory=Profile)
    """[profile]: who you are."""
    theme: str = "outreach-dark"
    """The composer's theme: one of ours (outreach-dark, outreach-light,
    outreach-contrast), one in your themes folder, or a Textual theme."""
    rules: dict[str, dict] = field(default_factory=dict)
    """[rules.<id>]: severity = "block" | "warn" | "off", and the rule's thresholds."""
    template_dirs: list[str] = field(default_factory=list)
    """Extra folders of templates (e.g. a team folder synced with git)."""
    grammar: Grammar = field(default_factory=Grammar)
    """[grammar]: LanguageTool settings."""
    phrases: Phrases = field(default_factory=Phrases)
    """[phrases]: your own vague phrases and jargon."""
    followups: Followups = field(default_factory=Followups)
    """[followups]: when an unanswered email is due a follow-up."""


def _line_of(text: str, key: str) -> int | None:
    """The first line that sets `key`, so a message can point at it."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith((f"{key} ", f"{key}=", f"[{key}]", f"[rules.{key}]")):
            return number
    return None


def _table(cls, data: object, where: str, source: str, text: str, problems: list[str]):
    """Fill dataclass `cls` from a TOML table, reporting and skipping bad keys."""
    result = cls()
    if not isinstance(data, dict):
        problems.append(f"{source}: [{where}] must be a table; using defaults")
        return result
    names = [f.name for f in fields(cls)]
    for key, value in data.items():
        line = _line_of(text, key)
        at = f"{source}:{line}" if line else source
        if key not in names:
            problems.append(f"{at}: unknown key '{key}' in [{where}]{suggest(key, names)}")
            continue
        expected = type(getattr(result, key))
        if expected is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"{at}: '{key}' in [{where}] must be a list of text")
                continue
        elif not isinstance(value, expected):
            problems.append(
                f"{at}: '{key}' in [{where}] must be {expected.__name__}, not {type(value).__name__}"
            )
            continue
        setattr(result, key, value)
    return result


def _rules(data: object, source: str, text: str, problems: list[str]) -> dict[str, dict]:
    from composer.checklist import RULE_IDS
    from composer.checklist.data import load_rules

    if not isinstance(data, dict):
        problems.append(f"{source}: [rules] must be a table of [rules.<id>] tables; using defaults")
        return {}
    defaults = load_rules()
    settings: dict[str, dict] = {}
    for rule, values in data.items():
        line = _line_of(text, rule)
        at = f"{source}:{line}" if line else source
        if rule not in RULE_IDS:
            problems.append(f"{at}: unknown rule '{rule}'{suggest(rule, list(RULE_IDS))}")
            continue
        if not isinstance(values, dict):
            problems.append(f"{at}: [rules.{rule}] must be a table")
            continue
        allowed = [k for k in defaults.get(rule, {}) if k not in ("family", "title", "tip")]
        kept: dict = {}
        for key, value in values.items():
            if key not in allowed:
                problems.append(
                    f"{at}: unknown setting '{key}' for rule '{rule}'{suggest(key, allowed)}"
                )
            elif key == "severity" and value not in SEVERITIES:
                problems.append(
                    f"{at}: severity of '{rule}' must be one of {', '.join(SEVERITIES)}"
                )
            elif key != "severity" and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                problems.append(f"{at}: '{key}' of '{rule}' must be a number")
            elif key != "severity" and not math.isfinite(value):
                # TOML allows nan and inf; no threshold can be either.
                problems.append(f"{at}: '{key}' of '{rule}' must be a finite number, not {value}")
            else:
                kept[key] = value
        if kept:
            settings[rule] = kept
    return settings


def parse_config(text: str, source: str) -> tuple[Config, list[str]]:
    """A Config from TOML text, and a list of problems (empty when all is well)."""
    problems: list[str] = []
    try:
        data = parse_toml(text, source)
    except InputError as exc:
        return Config(), [f"{exc}; using defaults"]
    config = Config()
    names = [f.name for f in fields(Config)]
    backends = ("auto", "server", "local", "public", "off")
    for key, value in data.items():
        line = _line_of(text, key)
        at = f"{source}:{line}" if line else source
        if key == "profile":
            config.profile = _table(Profile, value, "profile", source, text, problems)
        elif key == "grammar":
            config.grammar = _table(Grammar, value, "grammar", source, text, problems)
            if config.grammar.backend not in backends:
                problems.append(
                    f"{at}: [grammar] backend must be one of {', '.join(backends)}; using auto"
                )
                config.grammar.backend = "auto"
        elif key == "phrases":
            config.phrases = _table(Phrases, value, "phrases", source, text, problems)
        elif key == "followups":
            config.followups = _table(Followups, value, "followups", source, text, problems)
            days = config.followups.after_days
            if isinstance(days, bool) or not 0 <= days <= MAX_AFTER_DAYS:
                problems.append(
                    f"{at}: [followups] after_days must be 0 or more days, "
                    f"at most {MAX_AFTER_DAYS}; using 7"
                )
                config.followups = Followups()
        elif key == "rules":
            config.rules = _rules(value, source, text, problems)
        elif key == "theme":
            if isinstance(value, str):
                config.theme = value
            else:
                problems.append(f"{at}: 'theme' must be text")
        elif key == "template_dirs":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                config.template_dirs = value
            else:
                problems.append(f"{at}: 'template_dirs' must be a list of folder paths")
        else:
            problems.append(f"{at}: unknown key '{key}'{suggest(key, names)}")
    return config, problems


def load_config(paths: Paths) -> tuple[Config, list[str]]:
    """The user's config (defaults when there is none) and its problems."""
    path = paths.config_file
    try:
        data = read_file(path, MAX_INPUT_BYTES)
    except FileNotFoundError:
        if path.is_symlink():
            # A dotfiles link whose target moved: say so rather than quietly
            # forget every setting.
            return Config(), [
                f"{path}: a link to {os.readlink(path)}, which does not exist; using defaults"
            ]
        return Config(), []
    except FileTooLarge:
        return Config(), [f"{path}: too large to be a config file; using defaults"]
    except NotARegularFile as exc:
        return Config(), [f"{path}: {exc.strerror}; using defaults"]
    except OSError as exc:
        return Config(), [f"{path}: cannot read ({exc.strerror or exc}); using defaults"]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Config(), [f"{path}: not UTF-8 text; using defaults"]
    return parse_config(text, str(path))


STARTER = """# Outreach Composer settings; docs/config.md lists every key.
# theme = "outreach-dark"

[profile]
name = ""
role = ""
company = ""
bio = ""

# [rules.length]
# severity = "block"   # "block", "warn" or "off"
# max_words = 150

# [grammar]            # docs/grammar.md
# backend = "auto"     # "auto", "server", "local", "off", or "public", which
#                      # sends your email's text to languagetool.org
# server_url = "http://localhost:8081"
# words = ["Kubernetes"]   # never flagged as misspelled
"""
"""What a new config.toml says: a reminder of the keys, your profile empty."""


def _set_line(text: str, table: str | None, key: str, value: object) -> str:
    """Set `key` in `table` (None: the top level) by editing its line, so the
    user's comments and layout survive; a missing key or table is added."""
    import re

    import tomli_w

    if isinstance(value, list):
        # One line, so the next edit finds all of it (tomli-w spreads long arrays over lines).
        items = ", ".join(tomli_w.dumps({"v": item}).strip()[len("v = ") :] for item in value)
        line = f"{tomli_w.dumps({key: ''}).split(' =')[0]} = [{items}]"
    else:
        line = tomli_w.dumps({key: value}).strip()
    lines = text.splitlines()
    any_header = re.compile(r"^\s*\[")
    start = 0
    if table is not None:
        header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]\s*(?:#.*)?$")
        found = [i for i, ln in enumerate(lines) if header.match(ln)]
        if not found:
            return text.rstrip("\n") + f"\n\n[{table}]\n{line}\n"
        start = found[0] + 1
    end = next((i for i in range(start, len(lines)) if any_header.match(lines[i])), len(lines))
    setter = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for i in range(start, end):
        if setter.match(lines[i]):
            lines[i] = line
            return "\n".join(lines) + "\n"
    lines.insert(end, line)
    return "\n".join(lines) + "\n"


def _update(paths: Paths, what: str, changes: list[tuple[str | None, str, object]]) -> str | None:
    """Set (table, key, value) entries in config.toml, keeping everything else.

    The line edit is checked by reading the result back: when the file is
    laid out in a way it cannot handle (an inline table, a multi-line value),
    nothing is written and the problem is returned, as for a broken file.
    """
    path = paths.config_file
    try:
        # A dangling link is read (and refused) too: it is not the app's to replace.
        exists = path.exists() or path.is_symlink()
        text = read_file(path, MAX_INPUT_BYTES).decode("utf-8-sig") if exists else ""
        tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return (
            f"{path} could not be read ({exc}); {what} was not saved and the file was left as it is"
        )
    for table, key, value in changes:
        text = _set_line(text, table, key, value)
    try:
        data = tomllib.loads(text)
        written = all(
            (data.get(table, {}) if table else data).get(key) == value
            for table, key, value in changes
        )
    except (tomllib.TOMLDecodeError, AttributeError):
        written = False
    if not written:
        return f"{path} is laid out in a way this app cannot edit safely; {what} was not saved (edit it with `outreach config edit`)"
    atomic_write(path, text)
    return None


def set_theme(paths: Paths, theme: str) -> str | None:
    """Remember the theme in config.toml, keeping the rest of the file."""
    return _update(paths, "the theme", [(None, "theme", theme)])


def set_profile(paths: Paths, profile: dict[str, str]) -> str | None:
    """Write [profile] to config.toml, keeping the rest of the file."""
    return _update(
        paths, "your profile", [("profile", key, value) for key, value in profile.items()]
    )


def add_words(paths: Paths, words: list[str]) -> str | None:
    """Write [grammar] words (never flagged as misspelled), keeping the rest of the file."""
    return _update(paths, "your word list", [("grammar", "words", words)])


def start_config(paths: Paths) -> None:
    """Create config.toml with the starter text, so the first-run question is asked once."""
    if not paths.config_file.exists():
        atomic_write(paths.config_file, STARTER)


def describe_config(config: Config) -> str:
    """The config as TOML, defaults included, for `outreach config show`."""
    from dataclasses import asdict

    import tomli_w

    return tomli_w.dumps(asdict(config))
