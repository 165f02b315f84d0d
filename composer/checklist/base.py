"""What every rule receives and how it states its verdict."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import Protocol

from composer.checklist.doc import Doc, Sentence
from composer.checklist.evidence import Evidence
from composer.checklist.finding import Finding, Span
from composer.checklist.readability import grade
from composer.model import Draft


class SentEmail(Protocol):
    """An email sent before, as the rules need it (composer.senders.HistoryEntry is one)."""

    recipient: str
    email: str
    text: str

    @property
    def when(self) -> datetime: ...


@dataclass
class Context:
    """The read-only input of every rule: the email read once, and its draft if any."""

    doc: Doc
    evidence: Evidence
    draft: Draft | None
    settings: dict[str, dict]
    history: Sequence[SentEmail] = ()
    """Emails sent before (oldest first), for the rules that compare with them."""
    now: datetime | None = None
    ledger: Sequence | None = ()
    """What each earlier email to this recipient gave and asked
    (checklist.ledger.LedgerEntry); None while it could not be read yet."""

    @cached_property
    def grade(self) -> float:
        """Flesch–Kincaid grade, shared by the readability rule and the stats."""
        return grade(self.doc)

    def setting(self, rule: str, key: str) -> float:
        return self.settings[rule][key]


def quote(sentence: Sentence, limit: int = 70) -> str:
    """A sentence short enough to quote in a one-line message."""
    text = " ".join(sentence.text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[: limit - 1].rstrip()}…”"


def spans_of(items: Iterable[Sentence | tuple[int, int]]) -> tuple[Span, ...]:
    """Spans for whole sentences or (start, end) pairs, sorted and de-duplicated."""
    result = set()
    for item in items:
        if isinstance(item, Sentence):
            result.add(Span(item.start, item.end))
        else:
            result.add(Span(*item))
    return tuple(sorted(result))


def verdict(
    ctx: Context,
    rule: str,
    ok: bool,
    message: str,
    spans: Iterable[Sentence | tuple[int, int]] = (),
) -> Finding:
    """A Finding whose status follows the rule's severity: a miss fails a
    blocking rule and warns on an advisory one."""
    settings = ctx.settings[rule]
    blocking = settings["severity"] == "block"
    status = "pass" if ok else ("fail" if blocking else "warn")
    return Finding(
        rule=rule,
        status=status,
        blocking=blocking,
        message=message,
        tip=settings["tip"],
        spans=spans_of(spans),
        family=settings["family"],
        title=settings["title"],
    )


def skipped(ctx: Context, rule: str, message: str) -> Finding:
    """A Finding for a rule that had nothing to judge (no history to compare with)."""
    return replace(verdict(ctx, rule, True, ""), status="skip", message=message)
