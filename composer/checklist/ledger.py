"""Give before you ask again: this email asks, the last one to this person
asked too, and nothing was given since (issue #16). "Be a giver ... you can
be a taker later": later, not twice in a row.

Pure, like every rule: the recipient's ledger (what each earlier email gave
and asked, worked out by composer/ledger.py from the same evidence the
`giver` and `point` rules read) comes in as data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from composer.checklist.base import Context, quote, skipped, verdict
from composer.checklist.doc import Doc
from composer.checklist.evidence import Ask, Evidence
from composer.checklist.finding import Finding
from composer.checklist.recycled import day


@dataclass(frozen=True)
class LedgerEntry:
    """One email sent to a contact: when, to what name, what it gave and asked."""

    when: datetime
    name: str
    subject: str
    gave: tuple[str, ...] = ()
    """Its gift sentences (and fair exchanges), as the `giver` rule finds them."""
    links: tuple[str, ...] = ()
    """The links in those sentences."""
    asked: tuple[str, ...] = ()
    """Its asks, as the `point` rule finds them."""


def body_asks(doc: Doc, evidence: Evidence) -> list[Ask]:
    """What the email asks: the asks of its body. The subject line is read
    as a sentence too, but it names what the body asks, it is no ask of its
    own. The stored ledger (composer/ledger.py) reads asks through this too,
    so the rule and the ledger never disagree."""
    return [a for a in evidence.asks if a.sentence.start >= doc.body_start]


def _shorten(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_ledger(ctx: Context) -> Finding:
    if ctx.ledger is None:
        return skipped(
            ctx, "ledger", "Your earlier emails to this address are not read yet: judged when in."
        )
    if not ctx.ledger:
        return skipped(ctx, "ledger", "No earlier email to this address.")
    ev = ctx.evidence
    asks = body_asks(ctx.doc, ev)
    if not asks:
        return verdict(ctx, "ledger", True, "This email asks for nothing.")
    if ev.gifts or ev.exchanges:
        given = (ev.gifts or ev.exchanges)[0]
        return verdict(ctx, "ledger", True, f"You ask, and give too: {quote(given)}")
    last = ctx.ledger[-1]
    if not last.asked or last.gave:
        return verdict(ctx, "ledger", True, "Your last email to them gave, or asked for nothing.")
    who = last.name.split()[0] if last.name.split() else "them"
    return verdict(
        ctx,
        "ledger",
        False,
        f"You asked {who} “{_shorten(last.asked[0])}” on {day(last.when, ctx.now)} "
        "and have given nothing since: give first.",
        [a.sentence for a in asks],
    )
