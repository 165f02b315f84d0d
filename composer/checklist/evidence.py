"""Which sentence does what: the ask, the gift, the benefit, the research.

Several rules need the same answers (flattery and collector both ask "is there a
real ask or a gift?"), so they are worked out here once per check, from the
sentences' cues and, when the email came from a draft, the draft's fields as
hints of where each part was meant to be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from composer.checklist.doc import Doc, Sentence, Spans
from composer.checklist.roles import (
    YOU,
    done_by_them,
    is_compliment,
    is_lesson,
    names_a_topic,
    names_their_work,
    precise_reports,
)
from composer.model import Draft

_DELIVERABLE = re.compile(
    r"(?i)\b(?:anyone|someone|somebody|referrals?|names|candidates|resumes|profiles|share|pass|forward|circulate|post)\b"
)
# A sentence with none of these cues can be no kind of gift, vague or pitched.
_GIFT_CUES = (
    "patch",
    "gift_here",
    "gift_now",
    "gift_offer",
    "attachment",
    "report_offered",
    "link",
    "introduction",
    "vague_help",
    "sales",
    "self_promo",
)
# A link to the recipient's own page is where the sender found them, not a gift.
_THEIR_PAGE = re.compile(
    r"(?i)\byour (?:\w+ ){0,2}(?:site|blog|website|page|repo|repository|project|post|article|"
    r"paper|channel|podcast|newsletter|profile|shop|store)\b"
)
_RHETORICAL = re.compile(r"(?i)^#+\s|\byou (?:might|may|could) (?:ask|wonder|say)\b")
_HEADER = re.compile(r"(?i)(?:from|to|cc|bcc|date|sent|subject|reply-to):\s")
_CONTENT_WORD = re.compile(r"\b[a-z]{4,}\b", re.I)
_FUNCTION_WORDS = frozenset(
    [
        "would",
        "could",
        "should",
        "about",
        "with",
        "your",
        "that",
        "this",
        "have",
        "from",
        "they",
        "them",
        "their",
        "there",
        "what",
        "when",
        "where",
        "which",
        "while",
        "were",
        "will",
        "into",
        "just",
        "like",
        "love",
        "some",
        "time",
        "call",
        "chat",
        "quick",
        "brief",
        "short",
        "open",
        "free",
        "sometime",
        "soon",
        "week",
        "connect",
        "catch",
        "sync",
        "touch",
        "base",
        "coffee",
        "meet",
        "know",
        "hear",
        "talk",
        "also",
        "very",
        "really",
        "been",
        "more",
        "much",
        "maybe",
        "perhaps",
        "thanks",
        "thank",
        "hope",
        "happy",
        "glad",
    ]
)


@dataclass
class Hints:
    """Where the draft's fields landed in the email (sentences they overlap)."""

    by_field: dict[str, list[Sentence]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def of(self, name: str) -> list[Sentence]:
        return self.by_field.get(name, [])


def locate_fields(doc: Doc, draft: Draft | None) -> Hints:
    """Find each non-empty draft field in the email text.

    A field the template dropped is listed in `missing`: the recipient never
    sees it, so it cannot satisfy a rule.
    """
    hints = Hints()
    if draft is None:
        return hints
    for name in ("point", "wiift", "offer", "research", "context"):
        value = getattr(draft, name).strip()
        if not value:
            continue
        found = _find_value(doc, value)
        if found is None:
            hints.missing.append(name)
            continue
        start, end = found
        hints.by_field[name] = [s for s in doc.sentences if s.start < end and s.end > start]
    return hints


def _find_value(doc: Doc, value: str) -> tuple[int, int] | None:
    at = doc.text.find(value, doc.body_start)
    if at >= 0:
        return at, at + len(value)
    # Templates may re-wrap or trim: fall back to the first line of the field.
    head = value.splitlines()[0].strip()[:60]
    if len(head) >= 12:
        at = doc.text.find(head, doc.body_start)
        if at >= 0:
            return at, at + len(value)
    return None


def _content_words(text: str) -> int:
    return sum(1 for w in _CONTENT_WORD.findall(text) if w.lower() not in _FUNCTION_WORDS)


@dataclass
class Ask:
    """A sentence that asks the recipient for something."""

    sentence: Sentence
    concrete: bool


@dataclass
class Evidence:
    """The roles the sentences of one email play."""

    asks: list[Ask]
    gifts: list[Sentence]
    vague_gifts: list[Sentence]
    pitches: list[Sentence]
    benefits: list[Sentence]
    forced: list[Sentence]
    research: list[Sentence]
    compliments: list[Sentence]
    exchanges: list[Sentence]
    hints: Hints

    @property
    def concrete_asks(self) -> list[Ask]:
        return [a for a in self.asks if a.concrete]

    @property
    def real_asks(self) -> list[Ask]:
        """Concrete asks that do not also reach for the relationship: "let's
        connect and see how we might collaborate on X" names X, but what it
        asks for is the connection."""
        return [
            a for a in self.concrete_asks if not a.sentence.has("relational", "connect_request")
        ]

    @property
    def has_purpose(self) -> bool:
        """A real ask or a gift: what makes a mail more than a hello. An ask
        that also reaches for the relationship ("let's connect and see how we
        might collaborate") cannot rescue a mail made of compliments."""
        return bool(self.gifts or self.real_asks or self.exchanges)


def _offers(s: Sentence, names: tuple[str, ...] = ("gift_offer",)) -> bool:
    """The sentence offers something from the sender, not asks the recipient to."""
    asked = Spans(s.spans("asked_to_give"))
    return any(not asked.overlap((a, b + 1)) and not asked.hold((a, b)) for a, b in s.spans(*names))


def _is_offer(s: Sentence) -> bool:
    """ "Would you like me to send the deck?" asks, but what it asks is to give."""
    spans = s.spans("gift_offer", "wiift")
    if not spans:
        return False
    offers = Spans(spans)
    return all(offers.overlap(a) or a[0] >= spans[0][0] for a in s.spans("ask"))


def _asks(doc: Doc, hints: Hints) -> list[Ask]:
    hinted = {id(s) for s in hints.of("point")}
    result = []
    for index, s in enumerate(doc.sentences):
        if not (s.has("ask", "imperative", "plea") or s.is_question or id(s) in hinted):
            continue
        if _RHETORICAL.search(s.text):
            continue  # a heading ("### Breaking change?") or "…, you might ask?"
        if _is_offer(s) and id(s) not in hinted:
            continue
        result.append(_judge_ask(doc, index, s))
    headline = doc.headline
    if headline is not None and (headline.is_question or headline.has("ask", "imperative")):
        # An issue titled "When's the bugfix release?" or "May I translate it
        # into Chinese?" asks in its subject.
        result.append(_judge_ask(doc, None, headline))
    return result


def _judge_ask(doc: Doc, index: int | None, s: Sentence) -> Ask:
    """Is the ask about something? Its own words decide, or the sentence before
    it (`index` is the sentence's place in the body; None for the subject)."""
    if is_lesson(s, doc.sentences[index - 1] if index else None):
        # "Can you explain what X is?" asks them to teach what a search answers.
        return Ask(s, concrete=False)
    if s.has("plea"):
        # "Know anyone who'd fit?" names a deliverable (referrals); "any help
        # would be greatly appreciated" names nothing.
        return Ask(s, concrete=bool(_DELIVERABLE.search(s.text)))
    relational_spans = s.spans("relational", "connect_request")
    # The sentence with its relationship words cut out, each cut a space; the
    # pieces are joined once (cutting one span at a time copied the sentence
    # once per span).
    pieces, kept_from = [], s.start
    for a, b in relational_spans:
        if a >= kept_from:
            pieces.append(s.text[kept_from - s.start : a - s.start])
        kept_from = max(kept_from, b)
    pieces.append(s.text[kept_from - s.start :])
    named = _content_words(" ".join(pieces))
    relational = Spans(relational_spans)
    topic = any(not relational.hold(t) for t in s.spans("topic"))
    anchored = topic or s.has("timebox", "artifact", "link") or s.specific
    if relational_spans:
        # "Coffee sometime?" is about the relationship unless a subject remains.
        concrete = (topic or s.has("artifact")) and named >= 3
    else:
        prev = doc.sentences[index - 1] if index else None  # 0 and None: nothing before
        context = (
            prev is not None
            and "\n\n" not in doc.text[prev.end : s.start]
            and not prev.has("relational")
            and _content_words(prev.text) >= 4
        )
        # A question is a point when it names something itself ("Has it been
        # abandoned?"); a bare "Still looking?" after a long sentence is not.
        concrete = (anchored and (named >= 3 or context)) or (s.is_question and named >= 2)
    return Ask(s, concrete=concrete)


def _own_artifact(s: Sentence) -> bool:
    """An artefact that is the sender's to give, not the recipient's ("your post")."""
    for a, _ in s.spans("artifact"):
        before = s.text[max(0, a - s.start - 12) : a - s.start].lower()
        if "your " not in before:
            return True
    return False


def _gifts(
    doc: Doc, hints: Hints, reports: set[int]
) -> tuple[list[Sentence], list[Sentence], list[Sentence]]:
    gifts, vague, pitches = [], [], []
    hinted = {id(s) for s in hints.of("offer")}
    for_them = any(s.has("wiift", "gift_now") for s in doc.sentences)
    for index, s in enumerate(doc.sentences):
        reported = id(s) in reports
        if not (reported or id(s) in hinted or s.has(*_GIFT_CUES)):
            continue  # nothing in it points at, hands over or offers anything
        if not reported and done_by_them(s, _GIFT_CUES):
            continue  # what the recipient did ("did you fix #412?") is not the sender's gift
        if _HEADER.match(s.text) or (
            s.has("requisition") and not s.has("attachment", "gift_now", "gift_here")
        ):
            # A forward's "From:" line, or a line of a job ad: neither is a gift.
            continue
        if s.has("sales") or (s.has("self_promo") and not _own_artifact(s)):
            if s.has("link", "gift_now", "gift_here", "gift_offer"):
                pitches.append(s)
            continue
        if s.has("self_offer") and not s.has("link", "attachment"):
            # "Happy to send my resume" hands over the sender, not a gift.
            continue
        if s.has("vague_help") and not s.has("artifact", "link"):
            vague.append(s)
            continue
        own = _own_artifact(s)
        specific = s.specific
        prev_specific = index > 0 and doc.sentences[index - 1].specific
        # "Here's" points at something; it is a gift only when what follows is theirs to take.
        pointed = s.has("gift_here") and (own or s.has("link"))
        handed = s.has("attachment", "report_offered", "patch") or (
            s.has("gift_now") and (own or s.has("link") or specific)
        )
        # An offer counts when it names what ("the rubric") or whom ("an intro to
        # Grace"); "happy to share what we learned" names nothing.
        intro = s.has("introduction") and (specific or prev_specific)
        offered = (_offers(s) and (own or s.has("link") or intro)) or (
            intro and not s.has("gift_offer", "ask")
        )
        # A bare link is a gift when the email says it is for them ("This
        # might interest you." and, further down, the address).
        linked = s.has("link") and (own or for_them) and not _THEIR_PAGE.search(s.text)
        if (
            pointed
            or handed
            or offered
            or linked
            or reported
            or (id(s) in hinted and (own or specific))
        ):
            gifts.append(s)
        elif id(s) in hinted:
            vague.append(s)
    return gifts, vague, pitches


def _change_handed_over(doc: Doc) -> Sentence | None:
    """A patch or pull request: the subject names a change ("Fix link", "Add
    Interlingua translation") and the body does not ask them to make it."""
    headline = doc.headline
    if headline is None or not headline.has("change_title"):
        return None
    if any(s.has("change_request") for s in (headline, *doc.sentences)):
        return None
    return doc.sentences[0] if doc.sentences else headline


def gather(doc: Doc, draft: Draft | None) -> Evidence:
    """Work out every sentence's role once; the rules read the result."""
    hints = locate_fields(doc, draft)
    reports = {id(s) for s in precise_reports(doc)}
    gifts, vague, pitches = _gifts(doc, hints, reports)
    change = _change_handed_over(doc)
    if change is not None and change not in gifts:
        gifts.insert(0, change)
    benefit_hinted = {id(s) for s in hints.of("wiift")}
    benefits, forced = [], []
    for s in doc.sentences:
        if s.has("forced"):
            forced.append(s)
        elif _offers(s, ("wiift",)) and not s.has("vague_help", "self_offer"):
            benefits.append(s)
        elif id(s) in benefit_hinted and YOU.search(s.text) and _content_words(s.text) >= 3:
            # The draft says this is the benefit; it must still name one ("Hope
            # you are well" in that field is not what's in it for them).
            benefits.append(s)
    research_hinted = {id(s) for s in hints.of("research")}
    research, praise = [], []
    placeholders = Spans(doc.placeholder_spans)
    for s in doc.sentences:
        if is_compliment(s):
            praise.append(s)
        if id(s) in reports:
            research.append(s)
            continue
        if placeholders and placeholders.overlap((s.start, s.end)):
            continue  # "your recent post on [TOPIC]" knows nothing yet
        if s.has("shared_history"):
            research.append(s)
            continue
        hinted = id(s) in research_hinted and YOU.search(s.text) is not None
        about_them = s.has("their_work") or hinted
        if not about_them:
            if names_their_work(s):
                research.append(s)
            continue
        if s.has("generic_praise", "generic_source"):
            # "Your amazing work at Google" names a company, not their work.
            # A link here is to their own page: where the sender found them.
            strong = bool(re.search(r"\d|[\"“”]", s.text)) or (
                s.has("link") and not s.has("generic_source")
            )
            if strong:
                research.append(s)
        elif s.names_something or names_a_topic(s):
            # Named (a title, a number, a proper noun) or about something ("your
            # post about remote onboarding"); "I've followed your blog for years" is neither.
            research.append(s)
    headline = doc.headline
    if (
        not research
        and headline is not None
        and (headline.has("their_work") or names_their_work(headline))
    ):
        research.append(headline)
    if not research:
        # A patch, port, translation or security report made for their
        # project cannot be made without knowing it: the work is the research.
        research.extend(g for g in gifts if g.has("work_on_theirs") or g is change)
    return Evidence(
        asks=_asks(doc, hints),
        gifts=gifts,
        vague_gifts=vague,
        pitches=pitches,
        benefits=benefits,
        forced=forced,
        research=research,
        compliments=praise,
        exchanges=[
            s
            for s in (*doc.sentences, *((doc.headline,) if doc.headline else ()))
            if s.has("exchange") and not s.has("requisition")
        ],
        hints=hints,
    )
