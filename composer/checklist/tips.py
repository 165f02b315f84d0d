"""The four tips of the blog post: have a point, know what's in it for them,
be a giver, know who you are writing to."""

from __future__ import annotations

from composer.checklist.base import Context, quote, verdict
from composer.checklist.finding import Finding


def check_point(ctx: Context) -> Finding:
    """One specific ask (or a concrete gift as the purpose), not "let's sync up"."""
    ev = ctx.evidence
    concrete = ev.real_asks
    if concrete:
        return verdict(ctx, "point", True, f"Your ask: {quote(concrete[0].sentence)}")
    if ev.gifts:
        return verdict(ctx, "point", True, f"Your point is what you give: {quote(ev.gifts[0])}")
    if ev.exchanges:
        return verdict(
            ctx, "point", True, f"Your point is the exchange you offer: {quote(ev.exchanges[0])}"
        )
    vague = [a.sentence for a in ev.asks if a.sentence.has("relational", "connect_request")]
    if vague:
        return verdict(
            ctx,
            "point",
            False,
            f"{quote(vague[0], 50)} asks for the relationship, not for something: "
            "say what you want to talk about (a question, a review, a 15-minute call about X).",
            [span for s in vague for span in s.spans("relational")] or vague,
        )
    if ev.asks:
        return verdict(
            ctx,
            "point",
            False,
            f"{quote(ev.asks[0].sentence, 50)} is too vague to answer: "
            "say exactly what you want to know or get, and about what.",
            [a.sentence for a in ev.asks],
        )
    missing = (
        " The draft's point does not appear in the email." if "point" in ev.hints.missing else ""
    )
    return verdict(
        ctx,
        "point",
        False,
        "No ask found: end with one specific question or request "
        "(e.g. “Would you share how you run intake meetings?”)." + missing,
    )


def check_wiift(ctx: Context) -> Finding:
    """What the recipient gains, offered rather than pushed."""
    ev = ctx.evidence
    if ev.benefits:
        return verdict(ctx, "wiift", True, f"What's in it for them: {quote(ev.benefits[0])}")
    if ev.gifts:
        return verdict(ctx, "wiift", True, f"Your gift serves them: {quote(ev.gifts[0])}")
    if ev.exchanges:
        return verdict(ctx, "wiift", True, f"You offer an exchange: {quote(ev.exchanges[0])}")
    if ev.forced:
        return verdict(
            ctx,
            "wiift",
            False,
            f"{quote(ev.forced[0], 50)} pushes the benefit on them: frame it as sharing "
            "(“happy to share what we learned about X if you're interested”).",
            [span for s in ev.forced for span in s.spans("forced")],
        )
    missing = (
        " The draft's answer does not appear in the email." if "wiift" in ev.hints.missing else ""
    )
    return verdict(
        ctx,
        "wiift",
        False,
        "Say what they get from answering, framed as sharing: "
        "“We're doing X with Y — happy to share what we learned if useful.”" + missing,
    )


def check_giver(ctx: Context) -> Finding:
    """Something concrete handed over now: a link, data, a write-up, an intro."""
    ev = ctx.evidence
    if ev.gifts:
        return verdict(ctx, "giver", True, f"You give: {quote(ev.gifts[0])}")
    if ev.exchanges:
        # "If your first contact isn't quid pro quo, be a giver": when it is
        # one, the exchange is what they get.
        return verdict(
            ctx, "giver", True, f"A fair exchange, not a favour: {quote(ev.exchanges[0])}"
        )
    if ev.pitches:
        return verdict(
            ctx,
            "giver",
            False,
            f"{quote(ev.pitches[0], 50)} promotes your own offer; a gift serves them "
            "with no strings: an article, data, notes, an intro to someone named.",
            ev.pitches,
        )
    if ev.vague_gifts:
        return verdict(
            ctx,
            "giver",
            False,
            f"{quote(ev.vague_gifts[0], 50)} is a promise, not a gift: hand over something "
            "concrete now (a link, data, notes, an intro to someone named).",
            ev.vague_gifts,
        )
    missing = (
        " The draft's offer does not appear in the email." if "offer" in ev.hints.missing else ""
    )
    return verdict(
        ctx,
        "giver",
        False,
        "Give something first: an article they'd like, your notes or data, "
        "or an introduction to someone named." + missing,
    )


def check_research(ctx: Context) -> Finding:
    """Specific knowledge of the recipient: their talk, post, project, or your conversation."""
    ev = ctx.evidence
    if ev.research:
        return verdict(ctx, "research", True, f"You know their work: {quote(ev.research[0])}")
    if ev.compliments:
        return verdict(
            ctx,
            "research",
            False,
            f"{quote(ev.compliments[0], 50)} could be sent to anyone: name their talk, "
            "post, project or a fact about their team instead.",
            ev.compliments,
        )
    missing = (
        " The draft's research does not appear in the email."
        if "research" in ev.hints.missing
        else ""
    )
    return verdict(
        ctx,
        "research",
        False,
        "Show you know them: mention their talk, post, project or a fact about "
        "their team — by name." + missing,
    )
