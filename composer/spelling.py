"""The offline speller: used when LanguageTool is not there.

Its words come from pyspellchecker, which ships word-frequency lists inside
its wheel (no download, no system library); they are held in a `WordTable`
(below) rather than pyspellchecker's own dict, which cost ~40 MB. A word list
only knows words, so what it must not judge is filtered out first, keeping
typos in ordinary words:
addresses, placeholders, code-like tokens (digits, ALLCAPS, InnerCaps), names
(capitalised mid-sentence; at a sentence start only on short lines such as
"Hi Priya," and sign-offs), words the email itself vouches for (the parts of
its links and addresses), and common work jargon (spelling_words.txt).
Names from the draft and the user's word list are dropped by the caller.
"""

from __future__ import annotations

import bisect
import contextlib
import marshal
import re
import sys
import time
import zlib
from array import array
from functools import lru_cache
from hashlib import blake2b
from importlib.resources import files
from math import log2
from pathlib import Path
from typing import TYPE_CHECKING

from composer.slips import Slip

if TYPE_CHECKING:
    from collections.abc import Iterable

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
_SIGN_OFF = re.compile(r"[^\W\d_]+,\s*")
_SPACES = re.compile(r"\s*")
_MIN_LETTERS = 3
_SHORT_LINE_WORDS = 4
"""A capitalised first word on a line this short, alone or before another
capitalised word, is a name line ("Sam Ortiz") and is not judged."""
_SUGGESTION_BUDGET = 0.25
"""Seconds per check for finding suggestions (one and two edits away): a word
costs ~1-3 ms one edit away and up to seconds two away, so a text of thousands
of unknown words (14 s for 62 KB when every word was searched) is bounded by
this, while finding the words themselves stays linear."""

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


def _subject_end(text: str) -> int:
    """Where a leading `Subject:` line ends (0 when there is none): found once,
    not by slicing the text before every word (quadratic on a long first line)."""
    if not text.startswith("Subject:"):
        return 0
    end = text.find("\n")
    return len(text) if end < 0 else end


class _Lines:
    """Finds the line around an offset without scanning back along a long line,
    and what the start of a line looks like once per line, not once per word
    (copying a 62 KB line for every sentence on it was quadratic)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._breaks = [m.start() for m in re.finditer("\n", text)]
        self._length = len(text)
        self._shapes: dict[int, tuple[bool, list[str]]] = {}

    def shape(self, offset: int) -> tuple[bool, list[str]]:
        """For the line around `offset`: whether it is one word and a comma (a
        sign-off), and the words of its first 300 characters (spaces skipped)."""
        start, end = self.around(offset)
        shape = self._shapes.get(start)
        if shape is None:
            first = _SPACES.match(self._text, start, end).end()
            shape = (
                _SIGN_OFF.fullmatch(self._text, first, end) is not None,
                _WORD.findall(self._text, first, min(end, first + 300)),
            )
            self._shapes[start] = shape
        return shape

    def around(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_left(self._breaks, offset)
        start = self._breaks[index - 1] + 1 if index else 0
        end = self._breaks[index] if index < len(self._breaks) else self._length
        return start, end


# One entry of pyspellchecker's JSON word lists: `"word": count,` on its own line.
_ENTRY = re.compile(r'^"([^"\n]+)": (\d+),?\r?$', re.MULTILINE)
_NOT_LETTERS = frozenset('{}":,\r\n 0123456789')
_TABLE_FORMAT = 1
_MAX_TABLE_BYTES = 64 * 1024 * 1024  # Portuguese, the largest list, takes 3.3 MB
_FREQUENCY_BITS = 0xFF


def _word_hash(word: str) -> int:
    """64 bits of BLAKE2b: the same in every process (str's own hash is
    salted per process), so a table built once can be kept."""
    digest = blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _word_lists() -> Path:
    """pyspellchecker's folder of word lists, found without importing it
    (its import, ~25 ms, would only load what WordTable replaces)."""
    from importlib.util import find_spec

    spec = find_spec("spellchecker")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pyspellchecker is not installed")
    return Path(spec.submodule_search_locations[0]) / "resources"


def _packed(counts: Iterable[tuple[str, int]]) -> tuple[list[int], int]:
    """Sorted table entries for (word, count) pairs, and the longest word's length."""
    entries = []
    longest = 0
    for word, count in counts:
        frequency = min(_FREQUENCY_BITS, round(log2(count) * 8)) if count > 1 else 0
        entries.append((_word_hash(word) & ~_FREQUENCY_BITS) | frequency)
        longest = max(longest, len(word))
    entries.sort()
    return entries, longest


class WordTable:
    """A language's word list, held in one sorted array of 64-bit entries.

    pyspellchecker keeps its 160,572 English words in a dict of str to count:
    ~30 MB resident and ~40 MB at its peak while the JSON is decoded, most of
    what kept the composer over its memory budget. The speller only ever asks
    two things of it: is this a word, and how common is it; and the words it
    asks about are always at hand (the email's own, or edits of them). So the
    words need not be kept: each entry is the word's hash in its high 56 bits
    and its frequency in the low 8 (log2 of its count, in eighths). That is
    1.3 MB; a lookup is a binary search. Two words share 56 bits of hash with
    odds of about one in 10^11 per lookup.

    The table is built from pyspellchecker's file once (~0.5 s) and kept in
    the cache folder, keyed by that file's checksum and this module's code;
    later loads take ~1 ms.
    """

    def __init__(self, entries: array, letters: str, longest: int) -> None:
        self._entries = entries
        self.letters = letters
        """Every letter the language's words use: what edits try."""
        self.longest = longest

    @classmethod
    def load(cls, language: str, cache: Path | None = None) -> WordTable:
        source = (_word_lists() / f"{language}.json.gz").read_bytes()
        # The table depends on the word list and on the code that builds it (this module).
        own = zlib.crc32(Path(__file__).read_bytes())
        key = (_TABLE_FORMAT, sys.byteorder, len(source), zlib.crc32(source), own)
        kept = cache / f"words-{language}.marshal" if cache is not None else None
        if kept is not None:
            table = cls._read(kept, key)
            if table is not None:
                return table
        table = cls.build(zlib.decompress(source, wbits=31).decode("utf-8"))
        if kept is not None:
            table._write(kept, key)
        return table

    @classmethod
    def build(cls, text: str) -> WordTable:
        """From pyspellchecker's JSON, read entry by entry where it is laid out
        one plain `"word": count,` per line (every bundled language but Basque):
        decoding it whole would build the very dict this avoids."""
        entries: list[int] = []
        if "\\" not in text:
            text = text.lower()
            lines = ((m.group(1), int(m.group(2))) for m in _ENTRY.finditer(text))
            entries, longest = _packed(lines)
            letters = set(text) - _NOT_LETTERS
        if not entries or len(entries) != text.count('": '):
            import json

            # As pyspellchecker does: words that differ only in case are one word.
            counts: dict[str, int] = {}
            for word, count in json.loads(text).items():
                counts[word.lower()] = counts.get(word.lower(), 0) + int(count)
            entries, longest = _packed(counts.items())
            letters = set().union(*counts)
        if not entries:
            raise ValueError("the word list has no words")
        return cls(array("q", entries), "".join(sorted(letters)), longest)

    @classmethod
    def _read(cls, path: Path, key: tuple) -> WordTable | None:
        from composer.storage import read_own_file

        try:
            kept_key, letters, longest, entries = marshal.loads(
                read_own_file(path, _MAX_TABLE_BYTES) or b""
            )
        except (ValueError, EOFError, TypeError):
            return None
        whole = (
            isinstance(letters, str)
            and type(longest) is int
            and isinstance(entries, bytes)
            and entries
            and len(entries) % 8 == 0
        )
        if kept_key != key or not whole:
            return None
        table = array("q")
        table.frombytes(entries)
        return cls(table, letters, longest)

    def _write(self, path: Path, key: tuple) -> None:
        from composer.storage import atomic_write

        data = (key, self.letters, self.longest, self._entries.tobytes())
        # If it cannot be kept, the next start builds it again: slower, nothing lost.
        with contextlib.suppress(OSError):
            atomic_write(path, marshal.dumps(data))

    def frequency(self, word: str) -> int | None:
        """How common `word` is (0–255, log scale), or None if it is not a word."""
        key = _word_hash(word) & ~_FREQUENCY_BITS
        entries = self._entries
        index = bisect.bisect_left(entries, key)
        if index < len(entries) and entries[index] & ~_FREQUENCY_BITS == key:
            return entries[index] & _FREQUENCY_BITS
        return None

    def __contains__(self, word: str) -> bool:
        return self.frequency(word) is not None

    def __len__(self) -> int:
        return len(self._entries)

    def known(self, words: Iterable[str]) -> set[str]:
        """The words of `words` in the table: frequency()'s lookup, inlined
        because suggestions ask it of ~600 strings per unknown word."""
        entries, size, mask = self._entries, len(self._entries), ~_FREQUENCY_BITS
        found = set()
        for word in words:
            digest = blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
            key = int.from_bytes(digest, "little", signed=True) & mask
            index = bisect.bisect_left(entries, key)
            if index < size and entries[index] & mask == key:
                found.add(word)
        return found

    def edits(self, word: str) -> set[str]:
        """Every string one edit away: a letter dropped, swapped with the
        next, replaced, or put in."""
        letters = self.letters
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        dropped = [left + right[1:] for left, right in splits if right]
        swapped = [
            left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1
        ]
        replaced = [left + c + right[1:] for left, right in splits if right for c in letters]
        inserted = [left + c + right for left, right in splits for c in letters]
        return set(dropped + swapped + replaced + inserted)


class Speller:
    """Finds misspelled words; suggestions come from the same word list."""

    def __init__(self, language: str = "en-US", cache: Path | None = None) -> None:
        """`cache`: a folder to keep the built word table in (see WordTable)."""
        base = (language or "en").split("-")[0].lower()
        if base not in _LANGUAGES:
            raise ValueError(f"no offline dictionary for '{language}'")
        self._words = WordTable.load(base, cache)
        extra = _extra_words()
        self._extra = extra.get("all", frozenset())
        if base == "en" and language.lower() not in ("en", "en-us"):
            # en-GB, en-AU, en-NZ, en-IE, en-ZA, en-CA: British spellings are right there.
            self._extra |= extra.get("en-gb", frozenset())
        self._suggestions: dict[str, tuple[str, ...]] = {}

    def check(self, text: str) -> list[Slip]:
        """Every word of `text` the dictionary does not know, as a Slip."""
        vouched = set()
        pieces = []
        done = 0
        for found in _UNCHECKED.finditer(text):
            vouched.update(w.lower() for w in _WORD.findall(found.group()))
            pieces += (text[done : found.start()], " " * (found.end() - found.start()))
            done = found.end()
        plain = "".join(pieces) + text[done:]
        lines = _Lines(plain)
        subject_end = _subject_end(plain)
        candidates = []
        for match in _WORD.finditer(plain):
            start, word = match.start(), match.group()
            verdict = self._judged(word, start, plain, lines)
            if verdict == "name" and start >= subject_end:
                # The email writes it as a name, so its lower case is not a typo
                # either; a Title Case subject line vouches for nothing.
                vouched.add(word.lower())
            elif verdict == "judge":
                candidates.append((start, word))
        keys = [self._lookup(word) for _, word in candidates]
        asked = set(keys) - vouched - self._extra
        # Words far longer than any in the list are not judged (as pyspellchecker).
        judged = {word for word in asked if len(word) <= self._words.longest + 3}
        unknown = judged - self._words.known(judged)
        # Suggestions go to the slips in text order (the first ones are those
        # shown) while the budget lasts; the first search always runs.
        until = time.monotonic() + _SUGGESTION_BUDGET
        searched = False
        slips = []
        for (start, word), key in zip(candidates, keys, strict=True):
            if key in unknown:
                fresh = not searched and key not in self._suggestions
                searched = searched or fresh
                replacements = self.suggest(word, until, start_late=fresh)
                slips.append(
                    Slip(
                        start=start,
                        end=start + len(word),
                        message="Possible spelling mistake (offline dictionary).",
                        replacements=replacements,
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
        if word.isupper() or word[1:] != word[1:].lower():
            return "skip"
        end = start + len(word)
        if text[end : end + 1] == "-" and word.lower() in _PREFIXES:
            return "skip"
        if not word[0].isupper():
            return "judge"
        line_start, _line_end = lines.around(start)
        before = text[max(line_start, start - 200) : start].rstrip()
        if before and before[-1] not in _STOPS:
            return "name"  # capitalised mid-sentence
        sign_off, rest = lines.shape(start)
        if sign_off:
            return "judge"  # "Thanks," alone on its line is a word, not a name
        if len(rest) <= _SHORT_LINE_WORDS and (len(rest) == 1 or rest[1][:1].isupper()):
            return "skip"  # a name line: "Sam Ortiz", "Priya"; not "Thnak you so much!"
        return "judge"

    @staticmethod
    def _lookup(word: str) -> str:
        key = word.replace("’", "'").lower()
        if key.endswith("'s"):
            return key[:-2]
        return key.removesuffix("'")

    def suggest(
        self, word: str, until: float | None = None, *, start_late: bool = False
    ) -> tuple[str, ...]:
        """Up to three known words one edit away (two for short words), likeliest
        first. `until`: the time.monotonic() after which no search starts
        (unless `start_late`) and a two-edit search stops (None: no limit); a
        word cut short gets none, and is searched again next time."""
        key = self._lookup(word)
        suggestions = self._suggestions.get(key)
        if suggestions is None:
            suggestions = self._search(key, until, start_late)
            if suggestions is None:
                return ()
            self._suggestions[key] = suggestions
        if word[:1].isupper():
            return tuple(s[:1].upper() + s[1:] for s in suggestions)
        return suggestions

    def _search(self, key: str, until: float | None, start_late: bool) -> tuple[str, ...] | None:
        """The suggestions for `key`, or None when `until` passes first."""
        if until is not None and not start_late and time.monotonic() >= until:
            return None
        words = self._words
        near = words.edits(key)
        found = words.known(near)
        if not found and len(key) <= 8:
            # Two edits away: ~100,000 strings for a short word, so the clock is
            # read between the first edits, and each string is looked up once.
            seen = set(near)
            for edit in near:
                if until is not None and time.monotonic() >= until:
                    return None
                farther = words.edits(edit) - seen
                seen |= farther
                found |= words.known(farther)
        # Frequency alone prefers "with" for "wich" and "dress" for
        # "adress"; a typo is most often a letter left out, doubled or
        # swapped, so words that explain it that way come first.
        return tuple(
            sorted(found, key=lambda w: (not _explains(key, w), -(words.frequency(w) or 0), w))[:3]
        )


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
