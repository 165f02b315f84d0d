"""Recycled research: this email's research (or point) was already sent to
someone else. Research is what you learned about one person; sent to the next,
it tells Marcus that he gave Dana's talk (issue #14).

Pure, like every rule: the history of sent emails comes in as data. Each past
email is reduced once to the set of its word triples (cached by its text), so
a keystroke costs a few set lookups per past email, not a parse of each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from composer.checklist.base import Context, skipped, verdict
from composer.checklist.doc import Sentence
from composer.checklist.finding import Finding

_WORD = re.compile(r"[^\W_]+")
NAME_TOKEN = "\0name"
"""Stands for the recipient's name, so a sentence with only the name changed still matches."""
MIN_WORDS = 6
"""Shorter sentences ("Would you have 15 minutes?") are said to everyone and prove nothing."""
MIN_SHARED = 0.6
"""The share of a sentence's word triples found in one past email that makes it a copy."""


@dataclass(frozen=True)
class Person:
    """Who an email is to, as far as it can be told: a name, an address, or both."""

    name: str = ""
    address: str = ""

    @property
    def first(self) -> str:
        words = _WORD.findall(self.name.lower())
        return words[0] if words else ""

    def same_as(self, other: Person) -> bool:
        if self.address and other.address:
            return self.address.strip().lower() == other.address.strip().lower()
        return bool(self.first) and self.first == other.first


def _tokens(text: str, names: Iterable[str]) -> list[str]:
    hidden = {word for name in names for word in _WORD.findall(name.lower())}
    return [NAME_TOKEN if w in hidden else w for w in _WORD.findall(text.lower())]


def _triples(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


@lru_cache(maxsize=512)
def _past_triples(text: str, name: str) -> frozenset[tuple[str, ...]]:
    return frozenset(_triples(_tokens(text, [name])))


def _recipient(ctx: Context) -> Person:
    draft = ctx.draft
    if draft is not None and (draft.recipient.name.strip() or draft.recipient.email.strip()):
        return Person(draft.recipient.name, draft.recipient.email)
    doc = ctx.doc
    if doc.greeting_span is None:
        return Person()
    greeting = doc.text[slice(*doc.greeting_span)]
    words = _WORD.findall(greeting)
    # A salutation ("Hi", "Hello") is never the name: "Hi there," names no
    # one. A greeting with none is the name alone ("Dana,").
    if doc.cues.search("greeting", greeting.lower()):
        words = words[1:]
    named = [w for w in words if w[:1].isupper()]
    return Person(" ".join(named[-2:]))


def _candidates(ctx: Context) -> list[tuple[str, Sentence]]:
    """(what it is, sentence): the research, then the draft's point, each sentence once.

    Only the point typed in a draft's own field is compared: the same plain
    ask ("Would you review my write-up?") goes to many people and is fine,
    while research is about one person wherever it appears."""
    ev = ctx.evidence
    research = [*ev.hints.of("research"), *ev.research]
    point = ev.hints.of("point")
    seen: set[int] = set()
    found = []
    for what, sentences in (("research", research), ("point", point)):
        for sentence in sentences:
            if sentence.start not in seen:
                seen.add(sentence.start)
                found.append((what, sentence))
    return found


def day(when: datetime, now: datetime | None) -> str:
    """ "2 Dec", with the year when it is not this one."""
    shown = f"{when.day} {when:%b}"
    return shown if now is not None and when.year == now.year else f"{shown} {when.year}"


def check_recycled(ctx: Context) -> Finding:
    if not ctx.history:
        return skipped(ctx, "recycled", "No sent emails to compare with yet.")
    to = _recipient(ctx)
    others = [e for e in ctx.history if not to.same_as(Person(e.recipient, e.email))]
    for what, sentence in _candidates(ctx):
        tokens = _tokens(sentence.text, [to.name])
        mine = _triples(tokens)
        if len(tokens) < MIN_WORDS or not mine:
            continue
        for past in reversed(others):
            shared = len(mine & _past_triples(past.text, past.recipient)) / len(mine)
            if shared >= MIN_SHARED:
                them = past.recipient or past.email or "someone else"
                about = (
                    f"about {to.name.split()[0]}"
                    if to.name.strip()
                    else "about the person you are writing to"
                )
                return verdict(
                    ctx,
                    "recycled",
                    False,
                    f"You wrote this {what} to {them} on {day(past.when, ctx.now)}: "
                    f"{what} must be {about}.",
                    [sentence],
                )
    return verdict(ctx, "recycled", True, "Nothing here was sent to someone else before.")
