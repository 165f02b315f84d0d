"""The checklist: pure rules that judge an email like the blog's author.

`run_checklist(text, draft)` reads the email once, works out which sentence
does what, runs every rule and returns a Report whose `sendable` is the gate.
Rules never do I/O; their phrase lists and thresholds live in data/*.toml.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from composer.checklist.antipatterns import (
    check_collector,
    check_flattery,
    check_google_it,
    check_job_dump,
    check_placeholders,
)
from composer.checklist.base import Context, SentEmail
from composer.checklist.data import load_cues, load_rules
from composer.checklist.doc import Doc
from composer.checklist.evidence import gather
from composer.checklist.finding import Finding, Report, Span, Stats
from composer.checklist.ledger import LedgerEntry, check_ledger
from composer.checklist.recycled import check_recycled
from composer.checklist.tips import check_giver, check_point, check_research, check_wiift
from composer.checklist.writing import (
    check_greeting,
    check_length,
    check_questions,
    check_readability,
    check_subject,
    check_you_focus,
)
from composer.model import Draft, suggest

if TYPE_CHECKING:
    from composer.checklist.data.compiled import CueCache
    from composer.slips import GrammarResult

__all__ = [
    "RULE_IDS",
    "Finding",
    "Report",
    "Span",
    "check_overrulable",
    "overrule_reason",
    "rule_severity",
    "run_checklist",
]

RULES: dict[str, Callable[[Context], Finding]] = {
    "point": check_point,
    "wiift": check_wiift,
    "giver": check_giver,
    "ledger": check_ledger,
    "research": check_research,
    "job-dump": check_job_dump,
    "flattery": check_flattery,
    "google-it": check_google_it,
    "collector": check_collector,
    "recycled": check_recycled,
    "placeholders": check_placeholders,
    "subject": check_subject,
    "length": check_length,
    "questions": check_questions,
    "readability": check_readability,
    "greeting": check_greeting,
    "you-focus": check_you_focus,
}

RULE_IDS = (*RULES, "grammar")
"""Every rule id, in checklist order. A public contract (docs/rules.md)."""


OVERRULABLE_FAMILIES = ("tips", "anti-patterns")
"""A user may overrule these rules' blocks: they judge meaning, and no
reader of meaning is right every time. The writing rules never block by
default, and grammar has its own ignore list."""

NEVER_OVERRULED = {
    "placeholders": "an unfilled placeholder would reach the recipient as it is: fill it in",
    "recycled": "research sent to someone else is not about this person: write theirs",
}
"""Blocks that are facts about the text, not judgements: no reason makes them wrong."""

MAX_REASON_CHARS = 200


def check_overrulable(rule: str) -> None:
    """Nothing when a block of `rule` may be overruled; ValueError says why not
    (the composer asks this before asking for a reason)."""
    if rule not in RULE_IDS:
        raise ValueError(f"no rule '{rule}'{suggest(rule, list(RULE_IDS))}")
    if rule in NEVER_OVERRULED:
        raise ValueError(f"'{rule}' cannot be overruled: {NEVER_OVERRULED[rule]}")
    if load_rules()[rule]["family"] not in OVERRULABLE_FAMILIES:
        raise ValueError(f"'{rule}' only advises; there is no block to overrule")


def overrule_reason(rule: str, reason: str) -> str:
    """The reason for overruling `rule`, tidied to one line; ValueError says
    why a rule cannot be overruled or a reason is not one."""
    check_overrulable(rule)
    tidy = " ".join("".join(c if c.isprintable() else " " for c in reason).split())
    if not tidy:
        raise ValueError(f"say why '{rule}' is met: the reason is kept with the email")
    if len(tidy) > MAX_REASON_CHARS:
        raise ValueError(f"keep the reason to one line ({MAX_REASON_CHARS} characters at most)")
    return tidy


def _accept(finding: Finding, reason: str) -> Finding:
    """The finding overruled, unless the mark is not a valid one (a draft is a
    file anyone can edit: a mark on `placeholders` there is ignored)."""
    try:
        reason = overrule_reason(finding.rule, reason)
    except ValueError:
        return finding
    return replace(finding, status="pass", message=f"Met by you: {reason}", accepted=reason)


def _settings(overrides: Mapping[str, Mapping] | None) -> dict[str, dict]:
    settings = {rule: dict(values) for rule, values in load_rules().items()}
    for rule, values in (overrides or {}).items():
        settings[rule].update(values)
    return settings


def rule_severity(rule: str, overrides: Mapping[str, Mapping] | None = None) -> str:
    """A rule's severity ("block", "warn", "off") with the user's settings applied."""
    return _settings(overrides)[rule]["severity"]


def _skipped(rule: str, settings: dict, message: str) -> Finding:
    spec = settings[rule]
    return Finding(
        rule=rule,
        status="skip",
        blocking=spec["severity"] == "block",
        message=message,
        tip=spec["tip"],
        family=spec["family"],
        title=spec["title"],
    )


def run_checklist(
    text: str,
    draft: Draft | None = None,
    overrides: Mapping[str, Mapping] | None = None,
    phrases: Mapping[str, list[str]] | None = None,
    grammar: GrammarResult | None = None,
    grammar_note: str = "",
    compiled: CueCache | None = None,
    accepted: Mapping[str, str] | None = None,
    history: Sequence[SentEmail] = (),
    now: datetime | None = None,
    ledger: Sequence[LedgerEntry] | None = (),
) -> Report:
    """Judge one email (`Subject:` line, blank line, body) and return every finding.

    `draft`, when the email was rendered from one, tells the rules where each
    part was meant to be; the text alone decides. `phrases` adds the user's
    own "vague" phrases and "jargon" (config.toml [phrases]). `overrides` replaces rule
    settings by id (e.g. `{"length": {"severity": "block"}}`). `grammar` is what
    LanguageTool or the offline speller found in this text (composer.grammar);
    without it the `grammar` rule is skipped, saying `grammar_note` if given.
    `compiled` keeps the compiled cues between runs (checklist/data/compiled.py).
    `accepted` maps rule ids to the user's reason for overruling their block
    (see `overrule_reason`); a rule that passes by itself keeps its own verdict.
    `history` is the emails sent before (composer.senders.read_history), for
    the `recycled` rule; `now` dates what it reports (today by default).
    `ledger` is what each earlier email to this recipient gave and asked
    (composer.ledger.contact_ledger), for the `ledger` rule; None when it
    could not be read yet (another writer holds the database), which the
    rule says instead of "no earlier email".
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    settings = _settings(overrides)
    phrases = phrases or {}
    cues = load_cues(tuple(phrases.get("vague", ())), tuple(phrases.get("jargon", ())), compiled)
    doc = Doc(text, cues)
    ctx = Context(
        doc=doc,
        evidence=gather(doc, draft),
        draft=draft,
        settings=settings,
        history=history,
        now=now or datetime.now(UTC),
        ledger=ledger,
    )
    findings = []
    for rule, check in RULES.items():
        if settings[rule]["severity"] == "off":
            findings.append(_skipped(rule, settings, "Turned off in your settings."))
        else:
            finding = check(ctx)
            if finding.blocks and rule in (accepted or {}):
                finding = _accept(finding, accepted[rule])
            findings.append(finding)
    findings.append(_grammar_finding(text, grammar, settings, grammar_note))
    stats = Stats(
        words=len(doc.word_spans),
        questions=text.count("?", doc.body_start, doc.signature_start),
        grade=ctx.grade,
    )
    return Report(text=text, findings=tuple(findings), stats=stats, signed=doc.signed)


def _quote_slips(text: str, slips) -> str:
    shown = []
    for slip in slips[:3]:
        fix = f" → “{slip.replacements[0]}”" if slip.replacements else ""
        shown.append(f"“{text[slip.start : slip.end]}”{fix}")
    more = f" and {len(slips) - 3} more" if len(slips) > 3 else ""
    return "; ".join(shown) + more


def _grammar_finding(text: str, result: GrammarResult | None, settings: dict, note: str) -> Finding:
    """The grammar rule's verdict from a check made outside the checklist (it is
    slow and does I/O, so it runs at the edges and its result comes in here)."""
    if settings["grammar"]["severity"] == "off":
        return _skipped("grammar", settings, "Turned off in your settings.")
    if result is None:
        return _skipped(
            "grammar", settings, note or "Not checked: `outreach check --grammar` checks it."
        )
    if not result.ran:
        if not result.problem:
            return _skipped("grammar", settings, f"Turned off: {result.hint}.")
        return _skipped("grammar", settings, f"Grammar check unavailable: {result.problem}.")
    result = result.follow(text)
    slips = result.slips
    spans = tuple(Span(s.start, s.end) for s in slips)
    kind = "possible mistake" if result.full else "possible misspelling"
    found = f"{len(slips)} {kind}{'s' if len(slips) != 1 else ''}: {_quote_slips(text, slips)}"
    spec = settings["grammar"]
    base = _skipped("grammar", settings, "")
    if result.problem:
        # LanguageTool was asked for and could not answer: the speller's finds
        # are shown, but a fallback never decides whether the email may leave.
        message = f"Grammar check unavailable: {result.problem}. Spelling only: " + (
            f"{found}." if slips else "no misspellings."
        )
        return replace(base, message=message, spans=spans, slips=slips)
    # Only LanguageTool's answer may block: the offline speller's guesses
    # (a name or jargon it does not know) advise at most.
    blocking = spec["severity"] == "block" and result.full
    status = ("fail" if blocking else "warn") if slips else "pass"
    if result.full:
        message = f"{found}." if slips else f"No slips found by {result.checker}."
    else:
        message = (found if slips else "No misspellings") + f" (spelling only; {result.hint})."
    return replace(base, status=status, message=message, spans=spans, slips=slips)
