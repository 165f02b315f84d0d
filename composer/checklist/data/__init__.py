"""The checklist's data: cue patterns and rule settings, read from the TOML files
beside this module once per process.
"""

from __future__ import annotations

import re
import tomllib
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from composer.checklist.data.compiled import CueCache

# Classes matched once per sentence or per line rather than across the body.
_LINE_CLASSES = frozenset({"imperative", "greeting", "signoff", "placeholder", "change_title"})


def lower_same_length(text: str) -> str:
    """Lower-case text whose offsets still index the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters grow when lowered (İ → i̇); keep those as they are.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_TEXT_WORD = re.compile(r"\w+")
_CLASS = re.compile(r"^\[(\w+)\]", re.MULTILINE)  # a cue class's table in cues.toml
_DIGIT = "#"  # the key of patterns that start with a digit
_MEMO_LIMIT = 50_000
_EXACT = "="  # prefixes keys that must equal the whole token ("=i", "=ive")
_LITERAL = re.compile(r"[a-z0-9' -]+")


def _refuse_capitals(name: str, patterns: list[str]) -> None:
    """Classes are matched against lower-cased text: a capital would never match."""
    for pattern in patterns:
        if re.search(r"(?<!\\)[A-Z]", pattern):
            raise ValueError(
                f"cue class [{name}]: {pattern!r} has capitals but is matched lower-cased"
            )


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, char, depth after it) for each `(`, `)` and `|` that is regex
    syntax, i.e. not escaped and not inside a [...] class."""
    depth, index, in_class = 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[char]
            yield index, char, depth
        index += 1


def _closing(pattern: str, start: int) -> int | None:
    """Index of the parenthesis closing the group that opens at `start`."""
    for index, char, depth in _structure(pattern[start:]):
        if char == ")" and depth == 0:
            return start + index
    return None


def _alternatives(body: str) -> list[str]:
    """Split a group's body at its top-level `|`."""
    cuts = [index for index, char, depth in _structure(body) if char == "|" and depth == 0]
    edges = [-1, *cuts, len(body)]
    return [body[a + 1 : b] for a, b in pairwise(edges)]


def _starts(pattern: str) -> set[str] | None:
    """The keys of the words every match of `pattern` can start with, or None.

    A key is either a whole word the match must start with ("=your", when the
    pattern's literal word is followed by a space, `\\b` or the like), or, when
    the word may go on, its first three letters ("wou") or, if shorter, its
    first letter ("i" for `i\\w*`); patterns starting with a digit share one key.
    """
    pattern = pattern.removeprefix("\\b")
    if pattern.startswith("\\d"):
        return {_DIGIT}
    if pattern.startswith("(?:"):
        close = _closing(pattern, 0)
        if close is None or pattern[close + 1 : close + 2] in ("?", "*", "{"):
            return None
        keys: set[str] = set()
        for alternative in _alternatives(pattern[3:close]):
            sub = _starts(alternative + pattern[close + 1 :])
            if not sub:
                return None
            keys |= sub
        return keys
    literal = _LITERAL.match(pattern)
    if not literal:
        return None
    text, rest = literal.group(), pattern[literal.end() :]
    optional = rest[:1] in ("?", "*", "{")
    if optional:
        text, dropped, rest = text[:-1], text[-1], rest[1:]
    word = re.match(r"[a-z0-9]*", text).group()
    if not word:
        return None
    if len(text) > len(word):
        return {_EXACT + word}  # "your ", "i'": the word ends inside the literal
    if optional:
        if dropped.isalnum() and _ends_word(rest):
            return {_EXACT + word, _EXACT + word + dropped}  # "posts?\\b"
        return _prefix_key(word)
    if _ends_word(rest):
        return {_EXACT + word}
    return _joined_tokens(word, rest) or _prefix_key(word)


def _ends_word(rest: str) -> bool:
    """True when what follows in the pattern cannot continue the word."""
    if rest.startswith("\\W?"):
        return False
    return rest == "" or rest.startswith(("\\b", "\\s", "\\W", " ", "'", "-", ".", ":", ",", "$"))


def _prefix_key(word: str) -> set[str]:
    return {word[:3]} if len(word) >= 3 else {word[0]}


def _joined_tokens(word: str, rest: str) -> set[str] | None:
    """Whole tokens a word may form with what follows, or None.

    `i\\W?ve` begins the token "i" ("i've") or "ive"; `i(?:\\W?ve| have)?` also "i".
    """
    joined = re.match(r"\\W\?([a-z]+)", rest)
    if joined:
        return {_EXACT + word, _EXACT + word + joined.group(1)}
    if rest.startswith("(?:"):
        close = _closing(rest, 0)
        if close is None or rest[close + 1 : close + 2] != "?":
            return None
        if not _ends_word(rest[close + 2 :]):
            return None
        tokens = {_EXACT + word}
        for alternative in _alternatives(rest[3:close]):
            if alternative[:1] in (" ", "'"):
                continue
            joined = re.match(r"(?:\\W\?)?([a-z]+)(?= |'|\\b|$)", alternative)
            if not joined:
                return None
            tokens.add(_EXACT + word + joined.group(1))
        return tokens
    return None


class Cues:
    """Compiled cue classes.

    Python's `re` tries every pattern at every position of the text, which for
    some 400 patterns made a check cost milliseconds. Nearly every pattern
    starts at a word boundary with a known literal ("would you", "(?:here|
    attached)"), so each pattern is filed under the first letters of the words
    it can start with, and `scan` tries it only where such a word starts. The
    few patterns with no literal start are scanned the ordinary way.

    Matching lower-cased text without IGNORECASE is also faster, so most
    classes read `lower`; classes whose patterns test capitals (names:
    `(?-i:[A-Z])`) or declare `case_sensitive` read the original text.
    """

    def __init__(
        self,
        table: dict[str, dict],
        compiler: Callable[[str, int], re.Pattern[str]] = re.compile,
    ) -> None:
        # Sources now, compiled on first use: a short email touches a fraction
        # of the patterns, and compiling is most of `outreach check`'s start-up.
        self._sources: dict[str, tuple[str, int]] = {}
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._compiler = compiler
        self.on_original: set[str] = set()
        self._by_key: dict[str, list[tuple[str, str]]] = {}  # key -> (class, source)
        self._unkeyed: list[tuple[str, str]] = []
        self._memo: dict[
            str, tuple[tuple[str, Callable[..., re.Match[str] | None], bool], ...]
        ] = {}
        if not table:
            return  # `restore` fills it in
        for name, spec in table.items():
            joined = _alternation(spec["patterns"])
            flags = int(re.MULTILINE)
            if spec.get("case_sensitive") or "(?-i:" in joined:
                self.on_original.add(name)
                if not spec.get("case_sensitive"):
                    flags |= int(re.IGNORECASE)
            if not flags & re.IGNORECASE and not spec.get("case_sensitive"):
                _refuse_capitals(name, spec["patterns"])
            self._sources[name] = (joined, flags)
            if name in _LINE_CLASSES:
                continue
            unkeyed = []
            keyed: dict[str, list[str]] = {}
            for pattern in spec["patterns"]:
                keys = None if spec.get("case_sensitive") else _starts(pattern)
                if keys is None or not pattern.startswith("\\b"):
                    unkeyed.append(pattern)
                    continue
                for key in keys:
                    keyed.setdefault(key, []).append(pattern)
            # The patterns a class files under one key are tried as one small
            # alternation: one `match` call per class and word instead of one
            # per pattern (a whole class as one alternation compiles far more
            # slowly than its parts; a key's few patterns do not). A hit's span
            # is then the first alternative that matches there, not the longest.
            for key, patterns in keyed.items():
                joined = patterns[0] if len(patterns) == 1 else _alternation(patterns)
                source = f"{flags}:{joined}"
                self._sources.setdefault(source, (joined, flags))
                self._by_key.setdefault(key, []).append((name, source))
            if unkeyed:
                group = f"{name}@*"
                self._sources[group] = (_alternation(unkeyed), flags)
                self._unkeyed.append((name, group))
        self.body_classes = tuple(n for n in table if n not in _LINE_CLASSES)

    def state(self) -> dict:
        """What `__init__` worked out from the table, in types `marshal` keeps."""
        return {
            "sources": self._sources,
            "on_original": sorted(self.on_original),
            "by_key": self._by_key,
            "unkeyed": self._unkeyed,
            "body_classes": self.body_classes,
        }

    @classmethod
    def restore(
        cls,
        state: object,
        classes: Iterable[str],
        compiler: Callable[[str, int], re.Pattern[str]] = re.compile,
    ) -> Cues | None:
        """Cues from a kept `state()`, or None unless it is whole and consistent:
        every one of `classes` there, and every pattern it files known."""
        try:
            whole = _whole(state, set(classes))
        except TypeError:  # e.g. a list where a name should be: unhashable
            whole = False
        if not whole:
            return None
        cues = cls({}, compiler)
        cues._sources = state["sources"]
        cues.on_original = set(state["on_original"])
        cues._by_key = state["by_key"]
        cues._unkeyed = state["unkeyed"]
        cues.body_classes = tuple(state["body_classes"])
        return cues

    def _pattern(self, source: str) -> re.Pattern[str]:
        """A class (or a class's group of patterns) compiled on first use."""
        compiled = self._compiled.get(source)
        if compiled is None:
            pattern, flags = self._sources[source]
            compiled = self._compiled[source] = self._compiler(pattern, flags)
        return compiled

    def search(self, name: str, text: str) -> re.Match[str] | None:
        """The first hit of a cue class in `text`."""
        if name not in self.on_original:
            text = lower_same_length(text)
        return self._pattern(name).search(text)

    def finditer(
        self, name: str, text: str, start: int = 0, end: int | None = None
    ) -> Iterator[tuple[int, int]]:
        """The spans of every hit of one cue class in `text[start:end]`, by a full scan."""
        if name not in self.on_original:
            text = lower_same_length(text)
        for match in self._pattern(name).finditer(text, start, len(text) if end is None else end):
            if match.end() > match.start():
                yield match.span()

    def _candidates(
        self, token: str
    ) -> tuple[tuple[str, Callable[..., re.Match[str] | None], bool], ...]:
        """(class, its pattern's bound `match`, reads original text) to try where `token` starts.

        Memoised: the same few thousand words make up most mail. The memo is
        dropped when it grows past a bound, so a long session cannot bloat it.
        """
        keys = [_DIGIT if token[0].isdigit() else token[0]]
        if len(token) >= 3:
            keys.append(token[:3])
        keys.append(_EXACT + token)
        found = tuple(
            (name, self._pattern(source).match, name in self.on_original)
            for key in keys
            for name, source in self._by_key.get(key, ())
        )
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[token] = found
        return found

    def scan(self, text: str, start: int, end: int) -> dict[str, list[tuple[int, int]]]:
        """Every body cue class's hits in `text[start:end]`, trying each pattern
        only where a word it can start with begins."""
        lower = lower_same_length(text)
        hits: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        memo = self._memo.get
        for word in _TEXT_WORD.finditer(lower, start, end):
            token = word[0]
            candidates = memo(token)
            if candidates is None:
                candidates = self._candidates(token)
            if not candidates:
                continue
            at = word.start()
            for name, match, on_original in candidates:
                found = match(text if on_original else lower, at, end)
                if found is not None and found.end() > at:
                    hits[name].append((at, found.end()))
        for name, group in self._unkeyed:
            source = text if name in self.on_original else lower
            for match in self._pattern(group).finditer(source, start, end):
                if match.end() > match.start():
                    hits[name].append(match.span())
        return hits


def _whole(state: object, classes: set[str]) -> bool:
    """`state` has the shape `Cues.state()` gives, for exactly these classes."""

    def pairs(items: object) -> bool:
        return isinstance(items, list) and all(
            isinstance(p, tuple) and len(p) == 2 and p[0] in classes and p[1] in sources
            for p in items
        )

    if not isinstance(state, dict) or set(state) != {
        "sources",
        "on_original",
        "by_key",
        "unkeyed",
        "body_classes",
    }:
        return False
    sources = state["sources"]
    if not isinstance(sources, dict) or not classes <= sources.keys():
        return False
    return (
        all(
            isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) and type(v[1]) is int
            for v in sources.values()
        )
        and isinstance(state["on_original"], list)
        and set(state["on_original"]) <= classes
        and isinstance(state["by_key"], dict)
        and all(isinstance(k, str) and pairs(v) for k, v in state["by_key"].items())
        and pairs(state["unkeyed"])
        and isinstance(state["body_classes"], tuple)
        and set(state["body_classes"]) <= classes
    )


def _text(name: str) -> str:
    # Beside this file rather than through importlib.resources, whose import
    # (zipfile and more) costs `outreach check` ~8 ms; the package is never
    # run from a zip.
    return Path(__file__).with_name(name).read_text(encoding="utf-8")


def _read(name: str) -> dict:
    return tomllib.loads(_text(name))


def load_cues(
    vague: tuple[str, ...] = (),
    jargon: tuple[str, ...] = (),
    store: CueCache | None = None,
) -> Cues:
    """The cue classes of cues.toml, compiled, plus the user's own phrases:
    `vague` ones count as relationship-only asks, `jargon` is reported by the
    readability rule. Phrases are matched as whole words, case-insensitively.
    A `store` (compiled.py) keeps the compiled cues between runs."""
    return _load_cues(tuple(vague), tuple(jargon), store)


@lru_cache(maxsize=8)
def _load_cues(vague: tuple[str, ...], jargon: tuple[str, ...], store: CueCache | None) -> Cues:
    if store is None:
        return Cues(_table(vague, jargon))
    source = _text("cues.toml")
    # The filed table depends on the cues, the user's phrases and the code
    # that files them (this module).
    key = repr((_own_source(), source, vague, jargon))
    key = f"{len(key)}:{zlib.crc32(key.encode())}"
    state = store.table(key)
    if state is not None:
        classes = _CLASS.findall(source) + (["jargon"] if jargon else [])
        kept = Cues.restore(state, classes, store.compile)
        if kept is not None:
            return kept
    cues = Cues(_table(vague, jargon, source), store.compile)
    store.keep_table(key, cues.state())
    return cues


@cache
def _own_source() -> str:
    return Path(__file__).read_text(encoding="utf-8")


def _table(vague: tuple[str, ...], jargon: tuple[str, ...], source: str | None = None) -> dict:
    table = tomllib.loads(source if source is not None else _text("cues.toml"))
    if vague:
        table["relational"]["patterns"] += [_phrase(p) for p in vague]
    if jargon:
        table["jargon"] = {"patterns": [_phrase(p) for p in jargon]}
    return table


def _phrase(text: str) -> str:
    words = [re.escape(word) for word in text.lower().split()]
    return r"\b" + r"\s+".join(words) + r"\b"


@cache
def load_rules() -> dict[str, dict]:
    """Each rule's settings from rules.toml, in checklist order."""
    return _read("rules.toml")
