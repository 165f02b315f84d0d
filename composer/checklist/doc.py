"""Reading an email the way its recipient does: subject, greeting, body,
signature, and the body's sentences with the cues each one carries.

Everything here is a pure function of the text. The rules share one `Doc`, so
the text is split and scanned for cues once per check, not once per rule.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate

from composer.checklist.data import Cues, load_cues

# Abbreviations whose period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "vs",
        "dr",
        "mr",
        "mrs",
        "ms",
        "mx",
        "prof",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "approx",
        "no",
        "fig",
        "eq",
        "eqs",
        "sec",
        "ch",
        "vol",
        "pp",
        "ref",
        "cf",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "a.m",
        "p.m",
        "ph.d",
    ]
)
# Abbreviations that often end a sentence too ("…and so on, etc. Would you…").
_CLOSING_ABBREVIATIONS = frozenset(["etc", "inc", "ltd", "co", "corp", "approx", "jr", "sr"])
# Starts only where a run of stops starts, and never gives back what it took:
# a long run without a space after it ("??????…") must not cost O(n²).
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s)")
_BULLET = re.compile(r"^\s*(?:[-*•·–▪◦‣>]|\d{1,2}[.)]|[a-z][.)])\s+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Addresses and bare domains are tried only where a run of such characters
# starts, and never backtrack: one long unbroken word must not cost O(n²).
_URLISH = re.compile(
    r"\bhttps?://\S+|\bwww\.\S+"
    r"|(?<![^\s<(\[\"'])[^\s@<(\[\"']++@\S+\.\w+"
    r"|(?<![\w.-])(?:[\w-]++\.)++(?:com|org|net|io|dev|ai|co|app)/\S*"
)
# Quoted history below a reply is not what the recipient reads now. A forwarded
# message is: forwarding a job posting is the very job-dump the rules look for.
_ENDS_WITH_LINK = re.compile(
    r"(?:https?://|www\.)\S+$|\.(?:com|org|net|io|dev|ai|app|pdf)(?:/\S*)?$"
)
_QUOTED_REPLY = re.compile(r"^(?:>|On .{5,80} wrote:\s*$|-{3,} ?Original Message)", re.M)
_NAME_LINE = re.compile(r"^[—–-]?\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*$")
_PROPER_NOUN = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z0-9&'’.-]*[a-zA-Z0-9]\b")
_NAMED = re.compile(r"\d|[\"“”«»]")
_WHEN = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|last (?:week|month|year|night|spring|summer|fall|autumn|winter)|"
    r"yesterday|this (?:morning|week)|recently)\b",
    re.I,
)


# A salutation, then space, then straight to the comma: a name that rendered empty.
_EMPTY_NAME = re.compile(r"([^\W\d_]+)[ \t]+[,!:]")
# A name on the sign-off's own line: "Best, Sam", "Thanks — Sam", "— Sam".
_NAME_AFTER_SIGNOFF = re.compile(r"^[—–-]+\s*[^\W\d_]|[,;—–]\s*[^\W\d_]|\s-+\s*[^\W\d_]")
_SUBJECT_TAGS = re.compile(r"(?:\[[A-Za-z][\w /-]{0,20}\]:?\s*)*")
_NOT_NAMES = frozenset(["I", "I'm", "I've", "I'd", "I'll"])
# Places anyone can be found: naming them shows no knowledge of the person.
PLATFORMS = frozenset(
    [
        *("LinkedIn", "Twitter", "GitHub", "GitLab", "Google", "Medium", "YouTube"),
        *("Reddit", "Facebook", "Instagram", "Slack", "Zoom", "Discord", "Substack"),
        *("TikTok", "Gmail", "Internet", "Hacker", "News", "Mastodon", "Bluesky", "Quora"),
    ]
)


@dataclass
class Sentence:
    """One unit of the body: a sentence, or a line of a list."""

    start: int
    end: int
    text: str
    bullet: bool = False
    cues: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def has(self, *names: str) -> bool:
        """True when any of the named cue classes matched in this sentence."""
        return not self.cues.keys().isdisjoint(names)

    def spans(self, *names: str) -> list[tuple[int, int]]:
        """The spans of the named cue classes in this sentence, in text order."""
        return sorted(s for name in names for s in self.cues.get(name, ()))

    @property
    def is_question(self) -> bool:
        return self.text.rstrip("\"'”’) ").endswith("?")

    @cached_property
    def specific(self) -> bool:
        """Names, numbers, quoted titles, dates or links: signs of real knowledge."""
        if _WHEN.search(self.text):
            return True
        return self.names_something

    @cached_property
    def names_something(self) -> bool:
        """Names, numbers, quoted titles or links; not only when ("I came across
        your illustrations earlier this week" knows nothing of them)."""
        if _NAMED.search(self.text) or "link" in self.cues:
            return True
        # A capitalised word that does not start the sentence (and is not "I"
        # or a platform anyone can be found on: "saw your work on GitHub").
        return any(
            m.group() not in _NOT_NAMES and m.group() not in PLATFORMS
            for m in _PROPER_NOUN.finditer(self.text, 1)
        )


# Cue classes that are about the address itself (a LinkedIn profile is the
# sender's own page wherever it appears).
_READ_IN_LINKS = frozenset({"link", "self_promo"})


class Spans:
    """Spans asked "does any of you overlap, or hold, this one?" in O(log n).

    A pasted text can hold 100,000s of cue or placeholder spans; scanning
    them all for every sentence or span made a check quadratic (a megabyte
    of "{x}. " ran for minutes). Sorted by start, with the furthest end
    reached so far, each question is one binary search.
    """

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._reach = list(accumulate((b for _, b in ordered), max))

    def __bool__(self) -> bool:
        return bool(self._starts)

    def overlap(self, span: tuple[int, int]) -> bool:
        """Some span starts before `span` ends and ends after it starts."""
        count = bisect_left(self._starts, span[1])
        return count > 0 and self._reach[count - 1] > span[0]

    def hold(self, span: tuple[int, int]) -> bool:
        """Some span starts at or before `span` and ends at most one before its end."""
        count = bisect_right(self._starts, span[0])
        return count > 0 and self._reach[count - 1] + 1 >= span[1]


def _outside_links(found: dict[str, list[tuple[int, int]]]) -> Iterator[tuple[str, int, int]]:
    """(class, start, end) of each cue hit that a reader reads: words inside an
    address ("…/tf-vision") are not, except for the cues about the address."""
    links = Spans(found.get("link", ()))
    for name, spans in found.items():
        for hit_start, hit_end in spans:
            if name in _READ_IN_LINKS or not links.hold((hit_start, hit_end)):
                yield name, hit_start, hit_end


def _normalise(text: str) -> str:
    """Same length as `text`, so offsets stay valid; curly quotes become straight."""
    return text.translate(str.maketrans("’‘“”", "''\"\""))


class Doc:
    """An email split into its parts. Offsets index the full text given."""

    def __init__(self, text: str, cues: Cues | None = None) -> None:
        self.text = text
        self.cues = cues or load_cues()
        self._norm = _normalise(text)
        self.subject = ""
        self.subject_span: tuple[int, int] | None = None
        self.body_start = 0
        first, newline, _ = text.partition("\n")
        if first.lower().startswith("subject:"):
            raw = first[len("subject:") :]
            lead = len(raw) - len(raw.lstrip())
            self.subject = raw.strip()
            start = len("subject:") + lead
            self.subject_span = (start, start + len(self.subject))
            self.body_start = len(first) + len(newline)
            if text.startswith("\n", self.body_start):
                self.body_start += 1
        self.body_end = self._cut_quoted_reply()
        self.greeting_span, content_start = self._find_greeting()
        self.signature_start = self._find_signature(content_start)
        self.content_start = content_start
        self.sentences = self._split(content_start, self.signature_start)
        self._match_cues()
        self.headline = self._read_subject()

    # ----- the frame: greeting, signature, quoted history -----

    def _cut_quoted_reply(self) -> int:
        match = _QUOTED_REPLY.search(self.text, self.body_start)
        return match.start() if match else len(self.text)

    def _find_greeting(self) -> tuple[tuple[int, int] | None, int]:
        pos = self.body_start
        while pos < self.body_end and self.text[pos] in " \t\n":
            pos += 1
        line_end = self.text.find("\n", pos, self.body_end)
        line_end = self.body_end if line_end < 0 else line_end
        line = self._norm[pos:line_end]
        if self.cues.search("greeting", line):
            # The greeting runs to its first comma or dash; a line that goes on
            # after it ("Hi Ana, I loved your talk...") keeps the rest as body.
            cut = re.search(r"[,:!—–]+|\s-\s|(?<=\w{4})\.\s", line)
            if cut and cut.start() < 60:
                end = pos + cut.end()
                return (pos, pos + cut.start()), end
            if len(line) <= 60 and len(line.split()) <= 4 and "?" not in line:
                return (pos, line_end), line_end
            # "hey can we connect? thx": the greeting is the word and any name
            # after it; the rest of the line is what the message says.
            word = re.match(r"\S+(?: (?-i:[A-Z])[\w'.-]*){0,2}\s*", line)
            if word and word.end() < len(line):
                return (pos, pos + len(word.group().rstrip())), pos + word.end()
        if re.fullmatch(r"[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2}\s*[,!:]\s*", line):
            return (pos, line_end), line_end
        return None, pos

    def _find_signature(self, content_start: int) -> int:
        """Where the sign-off starts: a title in a signature is not the body's words."""
        lines = []
        pos = content_start
        for line in self.text[content_start : self.body_end].split("\n"):
            lines.append((pos, line))
            pos += len(line) + 1
        cues = self.cues
        non_empty = [(p, ln) for p, ln in lines if ln.strip()]
        for p, line in reversed(non_empty[-12:]):
            stripped = line.strip()
            if len(stripped) <= 45 and cues.search("signoff", _normalise(stripped)):
                return p + (len(line) - len(line.lstrip()))
        # No sign-off: a last short paragraph that looks like a name and title.
        paragraphs = self.text[content_start : self.body_end].rstrip().split("\n\n")
        if len(paragraphs) > 1:
            last = paragraphs[-1].strip("\n")
            last_lines = [ln.strip() for ln in last.split("\n") if ln.strip()]
            if (
                last_lines
                and len(last_lines) <= 6
                and _NAME_LINE.match(last_lines[0])
                and len(last_lines[0]) <= 60
                and all(len(ln) <= 120 and "?" not in ln for ln in last_lines)
            ):
                return self.text.rindex(last, content_start, self.body_end)
        return self.body_end

    # ----- sentences -----

    def _split(self, start: int, end: int) -> list[Sentence]:
        units: list[tuple[int, int, bool]] = []
        pos = start
        block_start: int | None = None
        block_bullet = False
        lines = self.text[start:end].split("\n")
        for index, line in enumerate(lines):
            line_start, line_end = pos, pos + len(line)
            pos = line_end + 1
            stripped = line.strip()
            nxt = lines[index + 1].strip() if index + 1 < len(lines) else ""
            if not stripped:
                if block_start is not None:
                    units.append((block_start, line_start, block_bullet))
                    block_start = None
                continue
            bullet = bool(_BULLET.match(line))
            if block_start is not None and bullet:
                units.append((block_start, line_start, block_bullet))
                block_start = None
            if block_start is None:
                block_start, block_bullet = line_start, bullet
            # A line break ends a unit when the line is complete on its own: it
            # ends in punctuation, is a list item or heading, or the next line
            # starts a list. Hard-wrapped prose (long lines, no final stop) joins.
            ends_unit = (
                stripped[-1] in ".!?:;…"
                or bool(_ENDS_WITH_LINK.search(stripped))
                or bullet
                or bool(_BULLET.match(nxt))
                or (len(stripped) < 50 and (not nxt or nxt[:1].isupper()))
            )
            if ends_unit:
                units.append((block_start, line_end, block_bullet))
                block_start = None
        if block_start is not None:
            units.append((block_start, end, block_bullet))

        sentences: list[Sentence] = []
        for unit_start, unit_end, bullet in units:
            piece_start = unit_start
            for match in _SENTENCE_END.finditer(self.text, unit_start, unit_end):
                if match.group().startswith(".") and not self._stop_ends_sentence(
                    piece_start, match
                ):
                    continue
                self._add(sentences, piece_start, match.end(), bullet)
                piece_start = match.end()
            self._add(sentences, piece_start, unit_end, bullet)
        return sentences

    def _stop_ends_sentence(self, piece_start: int, stop: re.Match[str]) -> bool:
        """Whether a period ends the sentence rather than an abbreviation or initial.

        "Dr. Lee" and "e.g. Python" go on; "in 40 ms. Would you" and "slides,
        notes, etc. Would you" end: after a number, or after an abbreviation
        that often closes a list, a capital starts the next sentence.
        """
        # The last two words are enough; looking back further copied the whole
        # unit for every initial in "a. a. a. …", quadratic in one long line.
        words = self.text[max(piece_start, stop.start() - 80) : stop.start()].rsplit(None, 2)
        last = words[-1].lower().rstrip(".") if words else ""
        if len(last) == 1:
            return False  # an initial: "J. Smith"
        if last not in _ABBREVIATIONS:
            return True
        following = self.text[stop.end() : stop.end() + 2].lstrip()[:1]
        if not following.isupper():
            return False
        after_number = len(words) >= 2 and words[-2][-1:].isdigit()
        return after_number or last in _CLOSING_ABBREVIATIONS

    def _add(self, out: list[Sentence], start: int, end: int, bullet: bool) -> None:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(start, end, self.text[start:end], bullet))

    def _match_cues(self) -> None:
        """Scan the content once per cue class and file each hit under its sentence."""
        if not self.sentences:
            return
        starts = [s.start for s in self.sentences]
        cues = self.cues
        region_start, region_end = self.sentences[0].start, self.sentences[-1].end
        for name, hit_start, hit_end in _outside_links(
            cues.scan(self._norm, region_start, region_end)
        ):
            index = bisect_right(starts, hit_start) - 1
            if index >= 0 and hit_start < self.sentences[index].end:
                self.sentences[index].cues.setdefault(name, []).append((hit_start, hit_end))
        # Sentence-start cues (imperatives) are matched per sentence.
        for sentence in self.sentences:
            norm = self._norm[sentence.start : sentence.end]
            norm = _BULLET.sub("", norm)
            offset = sentence.end - sentence.start - len(norm)
            for hit_start, hit_end in cues.finditer("imperative", norm):
                sentence.cues.setdefault("imperative", []).append(
                    (sentence.start + offset + hit_start, sentence.start + offset + hit_end)
                )

    def _read_subject(self) -> Sentence | None:
        """The subject as a sentence with its cues: an issue's or a patch's
        title often names the work ("Fix Eq. 5 in Lemma 0.5") or the change."""
        if self.subject_span is None or not self.subject:
            return None
        start, end = self.subject_span
        headline = Sentence(start, end, self.text[start:end])
        norm = self._norm[start:end]
        # Scanned on its own: scanning the whole text again would lower-case all of it.
        for name, hit_start, hit_end in _outside_links(self.cues.scan(norm, 0, len(norm))):
            headline.cues.setdefault(name, []).append((start + hit_start, start + hit_end))
        for name in ("imperative", "change_title"):
            for hit_start, hit_end in self.cues.finditer(name, norm):
                headline.cues.setdefault(name, []).append((start + hit_start, start + hit_end))
        return headline

    # ----- derived facts shared by several rules -----

    @cached_property
    def empty_greeting(self) -> tuple[int, int] | None:
        """The span of a greeting whose name came out empty ("Hi ,"), if it is one."""
        if self.greeting_span is None:
            return None
        start, end = self.greeting_span
        empty = _EMPTY_NAME.match(self.text, start, end + 1)
        if empty and self.cues.search("greeting", empty.group(1)):
            return start, empty.end()
        return None

    @cached_property
    def signature(self) -> str:
        """The sign-off and what follows it, up to any quoted reply ("" when there is none)."""
        return self.text[self.signature_start : self.body_end].strip()

    @cached_property
    def signed(self) -> bool:
        """Whether the end says who the email is from: a name after the sign-off
        ("Best,\nSam", "Best, Sam") or on its own, not a sign-off alone ("Best,")."""
        lines = [line.strip() for line in self.signature.splitlines() if line.strip()]
        if len(lines) != 1:
            return bool(lines)
        line = lines[0]
        if not self.cues.search("signoff", _normalise(line)):
            return True  # a last line that is only a name
        # The sign-off's own words are not a name: what follows a comma or dash is.
        return bool(_NAME_AFTER_SIGNOFF.search(line))

    @cached_property
    def placeholder_spans(self) -> list[tuple[int, int]]:
        """Unfilled template bits anywhere in the email, subject and signature
        included; not an issue tracker's tags that open a subject ("[Bug]: …").
        A greeting whose name came out empty ("Hi ,") is one too."""
        spans = list(self.cues.finditer("placeholder", self.text))
        if self.empty_greeting is not None:
            spans = sorted([*spans, self.empty_greeting])
        if self.subject_span is None:
            return spans
        tags_end = self.subject_span[0] + len(_SUBJECT_TAGS.match(self.subject).group())
        return [(a, b) for a, b in spans if not (self.subject_span[0] <= a and b <= tags_end)]

    @cached_property
    def content_words(self) -> list[tuple[int, int, str]]:
        """(start, end, lower-cased word) for each word between greeting and signature."""
        text = self.text
        return [
            (a, b, text[a:b].lower().replace("’", "'"))
            for a, b in self.word_spans
            if a >= self.content_start
        ]

    @cached_property
    def word_spans(self) -> list[tuple[int, int]]:
        """Words of the body (greeting to sign-off), links and addresses left out."""
        start, end = self.body_start, self.signature_start
        words = []
        pos = start
        # Words between links: a URL's pieces are not words a reader reads.
        span = re.Match.span  # mapped in C: this runs for every word of every check
        for link in _URLISH.finditer(self.text, start, end):
            words.extend(map(span, _WORD.finditer(self.text, pos, link.start())))
            pos = link.end()
        words.extend(map(span, _WORD.finditer(self.text, pos, end)))
        return words

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing a text offset."""
        index = bisect_right([s.start for s in self.sentences], offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None
