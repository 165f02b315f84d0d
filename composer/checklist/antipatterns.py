"""The blog's bad networkers, as shapes of an email rather than single phrases."""

from __future__ import annotations

import re

from composer.checklist.base import Context, quote, verdict
from composer.checklist.finding import Finding
from composer.checklist.roles import asks_something, is_lesson


def check_job_dump(ctx: Context) -> Finding:
    """A requisition pasted on a stranger with "any help would be greatly appreciated"."""
    doc = ctx.doc
    req = [s for s in doc.sentences if s.has("requisition")]
    pleas = [s for s in doc.sentences if s.has("plea")]
    hits = sum(len(s.cues["requisition"]) for s in req)
    units = max(1, len(doc.sentences))
    share = len(req) / units
    setting = ctx.settings["job-dump"]
    # A requisition shows as many job-ad sentences, or as one crammed with
    # years, stack, location and pay; either way with a plea, fewer suffice.
    pasted = (
        len(req) >= setting["min_requisition_lines"] and share >= setting["min_requisition_share"]
    )
    with_plea = bool(pleas) and (
        len(req) >= setting["min_requisition_lines_with_plea"]
        or hits >= setting["min_requisition_cues_with_plea"]
    )
    # The requisition attached or linked, not pasted ("Attached is our job
    # description. Can you send me candidates?"): with a plea, the same dump.
    handed = [s for s in doc.sentences if s.has("job_posting") and s.has("attachment", "link")]
    req = req or (handed if pleas else [])
    dump = pasted or with_plea or bool(handed and pleas)
    if dump:
        plea = f", then {quote(pleas[0], 50)}" if pleas else ""
        return verdict(
            ctx,
            "job-dump",
            False,
            f"{len(req)} of {units} lines read like a job description{plea} — "
            "don't make a stranger do your job: ask one question they can answer "
            "from experience, or link the posting and say why it's for them.",
            req + pleas,
        )
    return verdict(ctx, "job-dump", True, "No job description dumped on the reader.")


def check_flattery(ctx: Context) -> Finding:
    """Compliments as the whole content: the "not sure what I want, but want to know ya" mail."""
    doc, ev = ctx.doc, ctx.evidence
    praise = ev.compliments
    if not praise:
        return verdict(ctx, "flattery", True, "No compliments standing in for a purpose.")
    share = len(praise) / max(1, len(doc.sentences))
    if not ev.has_purpose and (
        len(praise) >= 2 or share >= ctx.setting("flattery", "min_share_without_purpose")
    ):
        return verdict(
            ctx,
            "flattery",
            False,
            f"{quote(praise[0], 50)} — take the compliments away and no purpose is left. "
            "Keep one, then add a gift or one specific ask.",
            praise,
        )
    if ev.has_purpose and (
        len(praise) >= ctx.setting("flattery", "min_compliments_for_share")
        and share > ctx.setting("flattery", "max_compliment_share")
    ):
        finding = verdict(
            ctx,
            "flattery",
            True,
            f"{len(praise)} of {len(doc.sentences)} sentences are compliments: one is warm, "
            "more reads as flattery. Cut to one.",
            praise,
        )
        return _as_warning(finding)
    if not ev.has_purpose:
        return verdict(
            ctx,
            "flattery",
            True,
            "One compliment, not the whole mail; the mail still needs a purpose (see point).",
        )
    return verdict(ctx, "flattery", True, "Compliments sit beside a real ask or gift: fine.")


def _as_warning(finding: Finding) -> Finding:
    from dataclasses import replace

    return replace(finding, status="warn")


# The cues that make a sentence a lesson (roles.is_lesson): a finding marks them.
_LESSON_CUES = ("teach_me", "general_lesson", "teach_me_own", "beginner")


def _says_looked(s) -> bool:
    """The sentence says the sender looked first, not merely that they read their post."""
    return s.has("looked_first") and not s.has("their_work")


def check_google_it(ctx: Context) -> Finding:
    """Asking to be taught what a search answers, with no sign of having looked."""
    doc = ctx.doc
    # Each lesson with the sentences that may say the sender looked first: the
    # lesson itself and the two before it, or for the subject the first two.
    lessons = []
    headline = doc.headline
    if headline is not None and asks_something(headline) and is_lesson(headline):
        lessons.append((headline, doc.sentences[:2]))
    for index, s in enumerate(doc.sentences):
        if is_lesson(s, doc.sentences[index - 1] if index else None):
            lessons.append((s, doc.sentences[max(0, index - 2) : index + 1]))
    if not lessons:
        return verdict(ctx, "google-it", True, "No question a quick search would answer.")
    # Looking first counts when it is about the question: said in it or just
    # before it, and not merely reading their post (that is research).
    unanswered = [s for s, around in lessons if not any(map(_says_looked, around))]
    if not unanswered:
        return verdict(ctx, "google-it", True, "You ask to be taught, but show you looked first.")
    return verdict(
        ctx,
        "google-it",
        False,
        f"{quote(unanswered[0], 50)} is answered by a quick search. Search first, then "
        "ask what only they can answer (how they did it, what they'd do in your place).",
        [span for s in unanswered for span in (s.spans(*_LESSON_CUES) or [(s.start, s.end)])],
    )


def check_collector(ctx: Context) -> Finding:
    """A bare "let's connect" with nothing exchanged."""
    doc, ev = ctx.doc, ctx.evidence
    requests = [s for s in doc.sentences if s.has("connect_request")]
    if not requests:
        return verdict(ctx, "collector", True, "Not a bare request to connect.")
    if ev.has_purpose:
        return verdict(ctx, "collector", True, "You ask to connect and offer an exchange.")
    return verdict(
        ctx,
        "collector",
        False,
        f"{quote(requests[0], 50)} — a connection with nothing exchanged makes them a number. "
        "Say what you'd share and what you'd ask.",
        [span for s in requests for span in s.spans("connect_request")],
    )


_PLACEHOLDER_WORDS = re.compile(r"[A-Za-z_]+")


def check_placeholders(ctx: Context) -> Finding:
    """Unfilled template bits anywhere in the email, subject and signature included."""
    text = ctx.doc.text
    hits = ctx.doc.placeholder_spans
    if not hits:
        return verdict(ctx, "placeholders", True, "No unfilled placeholders.")
    greeting = ctx.doc.greeting_span
    shown = ", ".join(
        dict.fromkeys(
            f"the name after “{text[a:b].split()[0]}”"
            if greeting is not None and a == greeting[0]
            else text[a:b]
            for a, b in hits[:3]
        )
    )
    more = f" and {len(hits) - 3} more" if len(hits) > 3 else ""
    return verdict(
        ctx,
        "placeholders",
        False,
        f"Fill in {shown}{more} before sending.",
        hits,
    )
