"""The offline speller: used when LanguageTool is not there.

pyspellchecker ships its English dictionary inside the wheel (no download, no
system library): ready in ~170 ms, ~40 MB. It only knows words, so what it
must not judge is filtered out first, keeping typos in ordinary words:
addresses, placeholders, code-like tokens (digits, ALLCAPS, InnerCaps), names
(capitalised mid-sentence; at a sentence start only on short lines such as
"Hi Priya," and sign-offs), words the email itself vouches for (the parts of
its links and addresses), and common work jargon (spelling_words.txt).
Names from the draft and the user's word list are dropped by the caller.
"""

from __future__ import annotations

import bisect
import re
import time
from functools import lru_cache
from importlib.resources import files

from composer.grammar import Slip

# Each alternative starts only where its run starts and never gives back what
# it took (possessive), so a pasted blob ("a-a-a-…", "[[[[…") costs O(n), not O(n²).
_UNCHECKED = re.compile(
    r"""
      (?:https?://|www\.)\S+                              # links
    | (?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++         # email addresses
    | (?<![\w.-])[\w-]++(?:\.[a-z]{2,}+)++\b(?:/\S*)?      # bare domains: example.com/page
    | \{\{[^{}\n]*+\}\} | \{[^{}\n]*+\}                   # placeholders: {{ x }}, {x}
    | \[[^\[\]\n]*+\] | <[^<>\n]*+>                      # [Name], <Company>
    | `[^`\n]*+`                                         # `code`
    """,
    re.VERBOSE,
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STOPS = ".!?:"
_PREFIXES = frozenset(
    {
        *("anti", "co", "counter", "cross", "de", "ex", "extra", "inter", "intra", "micro"),
        *("mid", "multi", "non", "over", "post", "pre", "pro", "re", "semi", "sub", "super"),
        *("un", "under"),
    }
)
_SIGN_OFF = re.compile(r"[^\W\d_]+,")
_MIN_LETTERS = 3
_SHORT_LINE_WORDS = 4
"""A capitalised first word on a line this short, alone or before another
capitalised word, is a name line ("Sam Ortiz") and is not judged."""
_DEEP_SUGGESTION_BUDGET = 0.25
"""Seconds per check for two-edit suggestions."""

_LANGUAGES = {"en", "es", "fr", "pt", "de", "it", "ru", "ar", "eu", "lv", "nl", "fa"}


@lru_cache(maxsize=1)
def _extra_words() -> dict[str, frozenset[str]]:
    """spelling_words.txt: jargon for every English, spellings per variant."""
    groups: dict[str, set[str]] = {}
    current = "all"
    text = files("composer").joinpath("spelling_words.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif line:
            groups.setdefault(current, set()).update(line.lower().split())
    return {group: frozenset(words) for group, words in groups.items()}


def _in_subject(text: str, offset: int) -> bool:
    return text.startswith("Subject:") and "\n" not in text[:offset]


class _Lines:
    """Finds the line around an offset without scanning back along a long line."""

    def __init__(self, text: str) -> None:
        self._breaks = [i for i, ch in enumerate(text) if ch == "\n"]
        self._length = len(text)

    def around(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_left(self._breaks, offset)
        start = self._breaks[index - 1] + 1 if index else 0
        end = self._breaks[index] if index < len(self._breaks) else self._length
        return start, end


class Speller:
    """Finds misspelled words; suggestions come from the same dictionary."""

    def __init__(self, language: str = "en-US") -> None:
        base = (language or "en").split("-")[0].lower()
        if base not in _LANGUAGES:
            raise ValueError(f"no offline dictionary for '{language}'")
        from spellchecker import SpellChecker

        # Distance 1 keeps suggestions fast (~1 ms); distance 2 is tried for
        # short words only (it costs ~0.5 s for a 10-letter word).
        self._spell = SpellChecker(language=base, distance=1)
        extra = _extra_words()
        self._extra = extra.get("all", frozenset())
        if base == "en" and language.lower() not in ("en", "en-us"):
            # en-GB, en-AU, en-NZ, en-IE, en-ZA, en-CA: British spellings are right there.
            self._extra |= extra.get("en-gb", frozenset())
        self._suggestions: dict[str, tuple[str, ...]] = {}
        self._deep_until = 0.0

    def check(self, text: str) -> list[Slip]:
        """Every word of `text` the dictionary does not know, as a Slip."""
        vouched = set()
        masked = list(text)
        for found in _UNCHECKED.finditer(text):
            vouched.update(w.lower() for w in _WORD.findall(found.group()))
            masked[found.start() : found.end()] = " " * (found.end() - found.start())
        plain = "".join(masked)
        lines = _Lines(plain)
        candidates = []
        for match in _WORD.finditer(plain):
            start, word = match.start(), match.group()
            verdict = self._judged(word, start, plain, lines)
            if verdict == "name" and not _in_subject(plain, start):
                # The email writes it as a name, so its lower case is not a typo
                # either; a Title Case subject line vouches for nothing.
                vouched.add(word.lower())
            elif verdict == "judge":
                candidates.append((start, word))
        unknown = self._spell.unknown(
            {self._lookup(word) for _, word in candidates} - vouched - self._extra
        )
        # Two-edit suggestions cost ~0.1-0.7 s a word: a text full of unknown
        # words gets them for as many as fit in this budget, one-edit ones after.
        self._deep_until = time.monotonic() + _DEEP_SUGGESTION_BUDGET
        slips = []
        for start, word in candidates:
            key = self._lookup(word)
            if key in unknown and key not in vouched:
                slips.append(
                    Slip(
                        start=start,
                        end=start + len(word),
                        message="Possible spelling mistake (offline dictionary).",
                        replacements=self.suggest(word),
                        rule_id="OFFLINE_SPELLING",
                        category="TYPOS",
                        spelling=True,
                    )
                )
        return slips

    def _judged(self, word: str, start: int, text: str, lines: _Lines) -> str:
        """ "judge", "skip", or "name" (skipped, and vouches for the word)."""
        letters = word.replace("'", "").replace("’", "")
        if len(letters) < _MIN_LETTERS or not letters.isalpha():
            return "skip"
        if word.isupper() or any(ch.isupper() for ch in word[1:]):
            return "skip"
        end = start + len(word)
        if text[end : end + 1] == "-" and word.lower() in _PREFIXES:
            return "skip"
        if not word[0].isupper():
            return "judge"
        line_start, line_end = lines.around(start)
        before = text[max(line_start, start - 200) : start].rstrip()
        if before and before[-1] not in _STOPS:
            return "name"  # capitalised mid-sentence
        line = text[line_start:line_end].strip()
        if _SIGN_OFF.fullmatch(line):
            return "judge"  # "Thanks," alone on its line is a word, not a name
        rest = _WORD.findall(line[:300])
        if len(rest) <= _SHORT_LINE_WORDS and (len(rest) == 1 or rest[1][:1].isupper()):
            return "skip"  # a name line: "Sam Ortiz", "Priya"; not "Thnak you so much!"
        return "judge"

    @staticmethod
    def _lookup(word: str) -> str:
        key = word.replace("’", "'").lower()
        if key.endswith("'s"):
            return key[:-2]
        return key.removesuffix("'")

    def suggest(self, word: str) -> tuple[str, ...]:
        """Up to three known words one edit away (two for short words), likeliest first."""
        key = self._lookup(word)
        if key not in self._suggestions:
            spell = self._spell
            found = spell.known(spell.edit_distance_1(key))
            if not found and len(key) <= 8 and time.monotonic() < self._deep_until:
                found = spell.known(spell.edit_distance_2(key))
            # Frequency alone prefers "with" for "wich" and "dress" for
            # "adress"; a typo is most often a letter left out, doubled or
            # swapped, so words that explain it that way come first.
            ranked = sorted(found, key=lambda w: (not _explains(key, w), -spell[w], w))[:3]
            self._suggestions[key] = tuple(ranked)
        suggestions = self._suggestions[key]
        if word[:1].isupper():
            return tuple(s[:1].upper() + s[1:] for s in suggestions)
        return suggestions


def _explains(typo: str, word: str) -> bool:
    """`word` is `typo` with a letter put back, a doubled letter undone
    ("usefull" → "useful"), or two neighbours swapped."""
    if len(word) == len(typo) + 1:
        return any(word[:i] + word[i + 1 :] == typo for i in range(len(word)))
    if len(word) == len(typo) - 1:
        return any(
            typo[:i] + typo[i + 1 :] == word for i in range(1, len(typo)) if typo[i] == typo[i - 1]
        )
    if len(word) == len(typo):
        diff = [i for i in range(len(word)) if word[i] != typo[i]]
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and (word[diff[0]], word[diff[1]]) == (typo[diff[1]], typo[diff[0]])
        )
    return False
