"""The LanguageTool client: language-tool-python's, with every request sent
through composer.grammar_http, and its matches turned into slips of the text.

language-tool-python is imported only when a client is made (it pulls in
requests, psutil and tqdm: ~150 ms).
"""

from __future__ import annotations

import bisect
import re

from composer.slips import Slip


def server_root(url: str) -> str:
    """The server's base URL as language-tool-python wants it: "http://host:8081/"
    or "https://host/prefix/". Users paste it with or without "/v2" and the
    final slash; without that slash a path prefix would be dropped."""
    url = url.strip().rstrip("/")
    url = url.removesuffix("/v2")
    return url + "/"


def connect(url: str, language: str, budget):
    """language-tool-python's client for a running server: its parameters, its
    language check and its parsing of matches, with every request it makes
    (the languages at construction, each check) sent by grammar_http under
    `budget`, the current check's deadline: no redirect, no second try, a size cap.
    Its `slips(text)` checks a text."""
    import language_tool_python

    from composer.grammar_http import fetch_json

    class Client(language_tool_python.LanguageTool):
        def _query_server(self, url, params=None, num_tries=2, method="get"):
            return fetch_json(method, url, params, budget)

        def slips(self, text: str) -> tuple[Slip, ...]:
            """Every slip LanguageTool finds in `text`, names included."""
            return _slips(text, self.check(_sendable(text)))

    return Client(language, remote_server=server_root(url))


# ----- UTF-16 offsets (LanguageTool is Java: it counts UTF-16 code units) -----


class _Utf16:
    """Converts UTF-16 offsets of one text to Python string indices."""

    def __init__(self, text: str) -> None:
        # Python index of every character outside the BMP (two UTF-16 units each).
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._length = len(text)

    def to_index(self, unit: int) -> int:
        # Character i starts at UTF-16 unit i + (astral characters before i).
        low, high = 0, self._length
        while low < high:
            mid = (low + high) // 2
            if mid + bisect.bisect_left(self._astral, mid) < unit:
                low = mid + 1
            else:
                high = mid
        return low

    def to_unit(self, index: int) -> int:
        return index + bisect.bisect_left(self._astral, index)


def _sendable(text: str) -> str:
    """The text with lone surrogates replaced (they cannot be encoded for
    HTTP); U+FFFD is one unit too, so every offset stays the same."""
    return re.sub(r"[\ud800-\udfff]", "\ufffd", text)


def _slips(text: str, matches: list) -> tuple[Slip, ...]:
    """language-tool-python's matches as slips of `text`.

    language-tool-python already turns a match's offset from UTF-16 units
    into a Python index, but not its length: the end is converted here.
    """
    units = _Utf16(text)
    slips = []
    for match in matches:
        start = max(0, min(int(match.offset), len(text)))
        end = units.to_index(units.to_unit(start) + max(0, int(match.error_length)))
        end = min(max(end, start), len(text))
        if end == start:
            continue
        spelling = match.rule_issue_type == "misspelling" or match.category == "TYPOS"
        slips.append(
            Slip(
                start=start,
                end=end,
                message=" ".join(str(match.message).split()),
                replacements=tuple(str(r) for r in match.replacements[:5]),
                rule_id=str(match.rule_id),
                category=str(match.category),
                spelling=spelling,
            )
        )
    return tuple(slips)
