"""Themes as TOML files, turned into Textual themes.

Ours ship in the package (themes/ at the top of the repo); yours live in the
themes folder beside config.toml. A theme file that cannot be used is
reported and skipped: the app falls back to its default, never crashes.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

from composer.model import InputError, parse_toml, read_text

DEFAULT_THEME = "outreach-dark"
COLOURS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
)
APP_VARIABLES = ("checklist-pass", "checklist-fail", "checklist-warn")
"""The app's own variables: the colours of the checklist's marks and underlines."""


def parse_theme(text: str, source: str, fallback_name: str) -> Theme:
    """A Theme from TOML text; InputError names what is wrong."""
    data = parse_toml(text, source)
    allowed = ("name", "dark", *COLOURS, "variables")
    for key in data:
        if key not in allowed:
            raise InputError(
                source, f"unknown key '{key}' in the theme (expected: {', '.join(allowed)})"
            )
    if "primary" not in data:
        raise InputError(source, "a theme needs at least 'primary'")
    name = data.get("name", fallback_name)
    if not isinstance(name, str) or not name:
        raise InputError(source, "'name' must be text")
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise InputError(source, "'dark' must be true or false")
    colours = {key: _colour(data[key], key, source) for key in COLOURS if key in data}
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise InputError(source, "'variables' must be a table ([variables])")
    for key, value in variables.items():
        if key not in APP_VARIABLES:
            raise InputError(
                source, f"unknown variable '{key}' (expected: {', '.join(APP_VARIABLES)})"
            )
        _colour(value, key, source)
    return Theme(name=name, dark=dark, variables=dict(variables), **colours)


def _colour(value: object, key: str, source: str) -> str:
    if not isinstance(value, str):
        raise InputError(source, f"'{key}' must be a colour such as \"#5B9BD5\"")
    try:
        Color.parse(value)
    except ColorParseError:
        raise InputError(source, f"'{key}' = {value!r} is not a colour") from None
    return value


def builtin_themes() -> list[Theme]:
    """The themes shipped with the app."""
    folder = files("composer").joinpath("themes")
    themes = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            themes.append(
                parse_theme(
                    entry.read_text(encoding="utf-8"), f"built-in:{entry.name}", entry.name[:-5]
                )
            )
    return themes


def user_themes(folder: Path) -> tuple[list[Theme], list[str]]:
    """Your theme files, and a problem line for each that cannot be used."""
    if not folder.is_dir():
        return [], []
    themes, problems = [], []
    for path in sorted(folder.glob("*.toml")):
        try:
            themes.append(parse_theme(read_text(path), str(path), path.stem))
        except InputError as exc:
            problems.append(f"{exc} (theme skipped)")
    return themes, problems
