"""What a rule says about an email, and what the whole checklist says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["pass", "fail", "warn", "skip"]


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range [start, end) of the email text that trips a rule."""

    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    """One rule's verdict: its state, whether it blocks, and what to do next."""

    rule: str
    status: Status
    blocking: bool
    message: str
    tip: str
    spans: tuple[Span, ...] = ()
    family: str = "writing"
    title: str = ""
    slips: tuple = ()
    """The grammar rule's findings in detail (composer.slips.Slip), one per span."""
    accepted: str = ""
    """The user's reason for overruling this rule's block; when set, it passes."""

    def to_json(self) -> dict:
        """The public JSON shape (see docs/cli.md)."""
        shape = {
            "rule": self.rule,
            "status": self.status,
            "blocking": self.blocking,
            "message": self.message,
            "tip": self.tip,
            "spans": [{"start": s.start, "end": s.end} for s in self.spans],
            "accepted": bool(self.accepted),
        }
        if self.accepted:
            shape["reason"] = self.accepted
        if self.rule == "grammar":
            shape["matches"] = [slip.to_json() for slip in self.slips]
        return shape

    @property
    def blocks(self) -> bool:
        """True when this finding stops the email from being sent."""
        return self.blocking and self.status == "fail"


@dataclass(frozen=True)
class Stats:
    words: int
    questions: int
    grade: float


@dataclass(frozen=True)
class Report:
    """Every rule's finding for one email, and whether the gate is open."""

    text: str
    findings: tuple[Finding, ...]
    stats: Stats
    signed: bool = True
    """Whether the end says who the email is from (a name after the sign-off).
    Not in the JSON: the composer asks for a sender before an unsigned send."""

    @property
    def sendable(self) -> bool:
        """The gate: no blocking rule fails."""
        return not any(f.blocks for f in self.findings)

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.blocks]

    @property
    def accepted(self) -> dict[str, str]:
        """The overrules in force, by rule: a mark on a rule that passes by
        itself is not here, so a caller that keeps this drops stale marks."""
        return {f.rule: f.accepted for f in self.findings if f.accepted}

    def finding(self, rule: str) -> Finding:
        """The finding of one rule by id."""
        for item in self.findings:
            if item.rule == rule:
                return item
        raise KeyError(rule)

    def to_json(self) -> dict:
        """The public JSON shape of `outreach check --json`."""
        return {
            "sendable": self.sendable,
            "findings": [f.to_json() for f in self.findings],
            "stats": {
                "words": self.stats.words,
                "questions": self.stats.questions,
                "grade": self.stats.grade,
            },
        }
