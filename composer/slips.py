"""What a grammar check finds: the slips in one text, and what checked it.

The checklist reads these, the offline speller and LanguageTool produce them,
and the composer shows them; they live apart from both checkers so that
neither side imports the other. Pure data: nothing here imports composer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Slip:
    """One possible mistake: a span of the checked text and how to fix it."""

    start: int
    end: int
    message: str
    replacements: tuple[str, ...] = ()
    rule_id: str = ""
    category: str = ""
    spelling: bool = True
    """A misspelled word (else grammar, punctuation or style)."""

    def to_json(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "replacements": list(self.replacements),
            "rule_id": self.rule_id,
            "category": self.category,
            "spelling": self.spelling,
        }


@dataclass(frozen=True)
class GrammarResult:
    """What was found in one text, and by what."""

    text: str
    slips: tuple[Slip, ...]
    checker: str
    """Who checked: "LanguageTool (server at …)", "offline spelling", ""."""
    full: bool
    """LanguageTool checked grammar and spelling (False: spelling only, or nothing)."""
    problem: str = ""
    """Why LanguageTool did not check this text, and what to do; "" when it did
    or when it is not set up (the offline speller is then the plan, not a fallback)."""
    hint: str = ""
    """One line on how to get a full grammar check (spelling-only results)."""
    needs_download: bool = False
    """backend = "local" but LanguageTool is not installed: ask, then download()."""
    retry_in: float = 0.0
    """Seconds until LanguageTool will be tried again (0: not waiting)."""

    @property
    def ran(self) -> bool:
        """Something checked the text (LanguageTool or the speller)."""
        return bool(self.checker)

    def follow(self, text: str) -> GrammarResult:
        """This result moved onto an edited `text`.

        Slips before the edit keep their place, slips after it shift by the
        edit's length, slips the edit touched are dropped: the underlines stay
        right while a new check is pending. Touching counts: letters typed
        right after "compa" make another word, which the old slip must not fix.
        """
        old = self.text
        if text == old:
            return self
        limit = min(len(old), len(text))
        head = _longest(lambda k: old[:k] == text[:k], limit)
        tail = _longest(lambda k: old[len(old) - k :] == text[len(text) - k :], limit - head)
        delta = len(text) - len(old)
        kept = []
        cut = len(old) - tail
        for slip in self.slips:
            moved = slip.start + delta
            if slip.end < head or (slip.end == head and not _joins(text, head)):
                kept.append(slip)
            elif slip.start > cut or (slip.start == cut and not _joins(text, moved - 1)):
                kept.append(replace(slip, start=moved, end=slip.end + delta))
        return replace(self, text=text, slips=tuple(kept))


def _longest(same: Callable[[int], bool], limit: int) -> int:
    """The largest k <= limit with same(k), for a `same` that holds up to some
    point and not after: found by halving, so a 100 KB email costs ~17 slice
    comparisons (in C) per update instead of a Python loop over every character."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if same(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _joins(text: str, index: int) -> bool:
    """The character at `index` would join the word next to it."""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] in "'’_-")
