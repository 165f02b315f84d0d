"""The checklist's data: cue patterns and rule settings, read from the TOML files
beside this module once per process.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

# Classes matched once per sentence or per line rather than across the body.
_LINE_CLASSES = frozenset({"imperative", "greeting", "signoff", "placeholder"})


def lower_same_length(text: str) -> str:
    """Lower-case text whose offsets still index the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters grow when lowered (İ → i̇); keep those as they are.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Cues:
    """Compiled cue classes: one alternation per class, so a scan is one pass.

    Matching lower-cased text without IGNORECASE is about 2.5 times faster in
    Python's `re`, so most classes scan `lower`; the few whose patterns test
    capitals (names: `(?-i:[A-Z])`) or declare `case_sensitive` scan the
    original text.
    """

    def __init__(self, table: dict[str, dict]) -> None:
        self._patterns: dict[str, re.Pattern[str]] = {}
        self.on_original: set[str] = set()
        for name, spec in table.items():
            joined = "|".join(f"(?:{p})" for p in spec["patterns"])
            if spec.get("case_sensitive") or "(?-i:" in joined:
                self.on_original.add(name)
                flags = re.MULTILINE | (0 if spec.get("case_sensitive") else re.IGNORECASE)
            else:
                flags = re.MULTILINE
            self._patterns[name] = re.compile(joined, flags)
        self.body_classes = tuple(n for n in self._patterns if n not in _LINE_CLASSES)

    def search(self, name: str, text: str) -> re.Match[str] | None:
        """The first hit of a cue class in `text`."""
        if name not in self.on_original:
            text = lower_same_length(text)
        return self._patterns[name].search(text)

    def finditer(
        self, name: str, text: str, start: int = 0, end: int | None = None, lower: str | None = None
    ) -> Iterator[tuple[int, int]]:
        """The spans of every hit of a cue class in `text[start:end]`.

        Pass `lower` (text already lower-cased) when scanning many classes.
        """
        if name not in self.on_original:
            text = lower if lower is not None else lower_same_length(text)
        pattern = self._patterns[name]
        for match in pattern.finditer(text, start, len(text) if end is None else end):
            if match.end() > match.start():
                yield match.span()


def _read(name: str) -> dict:
    return tomllib.loads(files(__name__).joinpath(name).read_text(encoding="utf-8"))


@cache
def load_cues() -> Cues:
    """The cue classes of cues.toml, compiled."""
    return Cues(_read("cues.toml"))


@cache
def load_rules() -> dict[str, dict]:
    """Each rule's settings from rules.toml, in checklist order."""
    return _read("rules.toml")
