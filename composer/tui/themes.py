"""Themes as TOML files, turned into Textual themes.

Ours ship in the package (themes/ at the top of the repo); yours live in the
themes folder beside config.toml. A theme file that cannot be used is
reported and skipped: the app falls back to its default, never crashes.
ThemeChoice, a mixin on ComposerApp, registers them at mount and remembers a
theme picked in the palette: a mixin because themes are the App's own
(register_theme, theme_changed_signal) and a new one restyles its panels.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

from composer.config import set_theme
from composer.model import InputError, parse_toml, read_text
from composer.tui.literal import literal
from composer.tui.panels import ChecklistPanel, EmailPreview

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


class ThemeChoice:
    """The composer's theme: the configured one at start, the picked one next time."""

    def _load_themes(self) -> None:
        """Ours and yours, then the configured one (or the default, with a note)."""
        for theme in builtin_themes():
            self.register_theme(theme)
        themes, problems = user_themes(self.paths.themes)
        for theme in themes:
            self.register_theme(theme)
        self._notices += problems
        wanted = self.config.theme
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            self.theme = DEFAULT_THEME
            self._notices.append(f"No theme named '{wanted}'; using {DEFAULT_THEME}.")
        # The theme set here (even a fallback) is not a choice to remember.
        self._startup_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        """A theme picked in the palette is the theme next time too."""
        if theme.name in (self.config.theme, self._startup_theme):
            self._startup_theme = ""
            return
        self.config.theme = theme.name
        problem = set_theme(self.paths, theme.name)
        if problem:
            self.notify(literal(problem), severity="warning")
        self.query_one(EmailPreview).restyle()
        self.query_one(ChecklistPanel).restyle()
        if self.report is not None:
            self.query_one(ChecklistPanel).show(self.report)
