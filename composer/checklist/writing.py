"""Writing quality: advisory by default. Thresholds come from rules.toml."""

from __future__ import annotations

import re

from composer.checklist.base import Context, verdict
from composer.checklist.finding import Finding

_SELF = frozenset(["i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"])
_OTHER = frozenset(["you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll"])
_GENERIC_NAMES = frozenset(
    [
        "there",
        "all",
        "everyone",
        "team",
        "folks",
        "friend",
        "friends",
        "sir",
        "madam",
        "sirs",
        "colleague",
        "colleagues",
        "hiring",
        "manager",
        "recruiter",
        "to",
        "whom",
        "it",
        "may",
        "concern",
    ]
)


def check_subject(ctx: Context) -> Finding:
    doc = ctx.doc
    low, high = int(ctx.setting("subject", "min_words")), int(ctx.setting("subject", "max_words"))
    limit = int(ctx.setting("subject", "max_chars"))
    if not doc.subject:
        return verdict(
            ctx, "subject", False, f"Add a subject of {low}–{high} words that names your point."
        )
    words = len(doc.subject.split())
    spans = [doc.subject_span] if doc.subject_span else []
    if words < low:
        return verdict(
            ctx, "subject", False, f"One word says little: use {low}–{high} words.", spans
        )
    if words > high or len(doc.subject) > limit:
        return verdict(
            ctx,
            "subject",
            False,
            f"{words} words, {len(doc.subject)} characters: keep it to {high} words "
            f"and {limit} characters so it fits a phone's inbox.",
            spans,
        )
    return verdict(ctx, "subject", True, f"{words} words, {len(doc.subject)} characters.")


def check_length(ctx: Context) -> Finding:
    words = len(ctx.doc.word_spans)
    low, high = int(ctx.setting("length", "min_words")), int(ctx.setting("length", "max_words"))
    if words < low:
        return verdict(
            ctx,
            "length",
            False,
            f"{words} words: under {low} rarely carries an ask, a gift and a reason.",
        )
    if words > high:
        return verdict(
            ctx, "length", False, f"{words} words: cut to {high} or fewer; busy people skim."
        )
    return verdict(ctx, "length", True, f"{words} words, within {low}–{high}.")


def check_questions(ctx: Context) -> Finding:
    doc = ctx.doc
    marks = [m.span() for m in re.finditer(r"\?", doc.text[: doc.signature_start])]
    marks = [s for s in marks if s[0] >= doc.body_start]
    low, high = (
        int(ctx.setting("questions", "min_questions")),
        int(ctx.setting("questions", "max_questions")),
    )
    count = len(marks)
    if count < low:
        return verdict(
            ctx, "questions", False, "No question: end with the one question you want answered."
        )
    if count > high:
        return verdict(
            ctx,
            "questions",
            False,
            f"{count} questions: keep the {high} that matter; a questionnaire gets archived.",
            [s for s in doc.sentences if "?" in s.text],
        )
    return verdict(ctx, "questions", True, f"{count} question{'s' if count > 1 else ''}.")


def check_readability(ctx: Context) -> Finding:
    limit = ctx.setting("readability", "max_grade")
    score = ctx.grade
    jargon = [span for s in ctx.doc.sentences for span in s.spans("jargon")]
    if jargon:
        words = ", ".join(dict.fromkeys(ctx.doc.text[a:b] for a, b in jargon))
        return verdict(
            ctx, "readability", False, f"Grade {score:g}; jargon from your list: {words}.", jargon
        )
    if score > limit:
        long_ones = sorted(ctx.doc.sentences, key=lambda s: -len(s.text.split()))[:2]
        return verdict(
            ctx,
            "readability",
            False,
            f"Grade {score:g}: aim for {limit:g} or below — shorter sentences, plainer words.",
            [s for s in long_ones if len(s.text.split()) > 20],
        )
    return verdict(ctx, "readability", True, f"Grade {score:g}: easy to read.")


def check_greeting(ctx: Context) -> Finding:
    doc, draft = ctx.doc, ctx.draft
    name = draft.recipient.first_name if draft is not None else ""
    example = f"“Hi {name},”" if name else "their first name"
    if doc.greeting_span is None:
        return verdict(ctx, "greeting", False, f"Open with {example}.")
    greeting = doc.text[slice(*doc.greeting_span)]
    shown = greeting.strip().rstrip(",:!—– ")
    if doc.empty_greeting is not None:
        # "Hi ,": a template's name that rendered empty (placeholders blocks it too).
        empty = doc.text[slice(*doc.empty_greeting)]
        fix = f"greet them by name, “Hi {name},”" if name else f"put their name after “{shown}”"
        return verdict(
            ctx, "greeting", False, f"“{empty}” names no one: {fix}.", [doc.empty_greeting]
        )
    words = re.findall(r"[^\W\d_][\w'’.-]*", greeting)
    # "Hi Ana," names after the salutation; a bare "Ana," is all name.
    opener = bool(words) and bool(doc.cues.search("greeting", words[0]))
    names = [w for w in (words[1:] if opener else words) if w.lower() not in _GENERIC_NAMES]
    if draft is not None and draft.recipient.name.strip():
        expected = {
            draft.recipient.first_name.lower(),
            *(p.lower() for p in draft.recipient.name.split()),
        }
        if not any(n.lower().strip(".,") in expected for n in names):
            return verdict(
                ctx,
                "greeting",
                False,
                f"Greet them by name: “Hi {draft.recipient.first_name},”.",
                [doc.greeting_span],
            )
        return _greeted(ctx, shown)
    if not names or not names[0][:1].isupper():
        return verdict(
            ctx,
            "greeting",
            False,
            f"“{shown}” could be to anyone: open with {example}.",
            [doc.greeting_span],
        )
    return _greeted(ctx, shown)


def _greeted(ctx: Context, shown: str) -> Finding:
    """The greeting names them; what is left to say is an end that names no sender."""
    doc = ctx.doc
    if doc.signature and not doc.signed:
        # "Best," and nothing after it: the reader cannot tell who wrote.
        start = doc.signature_start
        return verdict(
            ctx,
            "greeting",
            False,
            f"Greets them by name, but ends at “{doc.signature}” with no name: sign it with yours.",
            [(start, start + len(doc.signature))],
        )
    return verdict(ctx, "greeting", True, f"Opens with their name: “{shown}”.")


def check_you_focus(ctx: Context) -> Finding:
    doc = ctx.doc
    words = doc.content_words
    selves = [(a, b) for a, b, word in words if word in _SELF]
    others = [(a, b) for a, b, word in words if word in _OTHER]
    ratio = len(others) / max(1, len(selves))
    minimum = ctx.setting("you-focus", "min_ratio")
    summary = f"{len(others)} you/your to {len(selves)} I/me/my"
    if selves and ratio < minimum:
        return verdict(
            ctx,
            "you-focus",
            False,
            f"{summary}: turn a sentence about you into one about them.",
            selves,
        )
    return verdict(ctx, "you-focus", True, f"{summary}.")
