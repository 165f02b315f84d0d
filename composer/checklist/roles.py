"""Who a sentence is about and what it does to them: the direction signals
the rules share.

"Your talk at X" is about the recipient, "my talk at X" about the sender;
"can you explain what X is?" asks to be taught, "X doesn't match line 33"
reports a fault. These read one sentence (or its neighbours) and never the
draft, so evidence.py and the anti-pattern rules can both ask them.
"""

from __future__ import annotations

import re

from composer.checklist.doc import PLATFORMS, Doc, Sentence

YOU = re.compile(r"\byou(?:r|rs|rself)?\b", re.I)
_AGENT_PREFIX = re.compile(
    r"(?:(?:can|could|would|will) you (?:please |kindly )?|(?:love|like|appreciate|be grateful|grateful) (?:it )?if you (?:could|would|can) )",
    re.I,
)
# A sentence about the sender ("I'm a third-year student at Leeds", "I work
# at Acme"): the names in it are theirs, not knowledge of the recipient.
_SELF_INTRO = re.compile(
    r"^\W*(?:my name is|i am an?\b|i\W?m (?:currently |now )?(?:an? |studying|pursuing|"
    r"working (?:at|as|in|for|on)|in my|based in|from)|i am (?:currently |now )?(?:studying|pursuing|"
    r"working|based|from)|i (?:work|worked|study|studied|graduated|majored|completed|received|earned|"
    r"hold|lead|run|founded|co-founded|manage)\b|as an? \w+|we(?:\W?re| are) an?\b)",
    re.I,
)
# What the sender owns: "my fork", "our 2.0 release", "we built".
_OWNER = re.compile(r"(?i)\b(?:my|our|mine|ours)\b(?:\W+[\w.-]+){0,3}\W*$")
_THIS_WORK = re.compile(
    r"(?i)\bth(?:is|e) (?:project|library|lib|tool|work|repo|book|blog|podcast|app|package|site|talk|paper)\b"
)
_INTERROGATIVE = re.compile(
    r"(?i)^\W*(?:what|which|how|where|why|who|is there|are there|can (?:i|you|someone)|"
    r"could (?:i|you|someone)|should i|do you|does (?:it|this|anyone))\b"
)
_FIRST_PERSON = re.compile(r"(?i)\b(?:i|i'm|i’m|we|we're|we’re|my|our)\b")
_PLEASANTRY = re.compile(r"(?i)^\W*(?:i )?hope (?:you|your|this|all)\b|^\W*happy \w+")
_ABOUT_TOPIC = re.compile(
    r"(?i)\b(?:on|about|regarding|covering)\s+(?:how |why |what |the |a |an |using )?"
    r"(?!(?:your|their|this|that|these|those|my|our|you|it|some|any|all|more|what|everything|"
    r"anything|things?|stuff|them|github|linkedin|twitter|medium|youtube)\b)"
    r"[a-z][\w-]{3,}\W+(?:in |for |of |and |to )?[a-z][\w-]{2,}"
)
_LIKE_YOU = re.compile(r"(?i)\b(?:like|as \w+ as) you\b")
_QUOTED_NAME = re.compile(r"[\"“][^\"“”\n]{3,60}[\"”]|(?<!\w)'[^'\n]{2,40}'(?!\w)")
# A name: capitalised ("FooTool"), camelCase ("pyFoo") or letters with digits
# ("s3fs"); not "I'm" or a day or month ("Monday I'm free" names nothing).
_NAME = re.compile(
    r"\b(?!(?:I|I'm|I've|I'd|I'll|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"January|February|March|April|May|June|July|August|September|October|November|December)\b)"
    r"(?:[A-Z][\w&'’.+-]*[\w+]|[a-z]+[A-Z]\w*|[a-z]+\d\w*)\b"
)


def teaches_general(sentence: Sentence) -> bool:
    """A "teach me" cue whose lesson is general knowledge, not the recipient's
    own practice: no "you" after it, once "can you" and "like you" are set aside.

    The sentence's last "you" is found once: checking each cue's rest of the
    sentence copied and scanned it per cue, quadratic in one long sentence."""
    text = sentence.text
    # "like you" compares, it does not ask about them: blanked, offsets kept.
    masked = _LIKE_YOU.sub(lambda m: " " * len(m.group()), text)
    last_you = max((m.start() for m in YOU.finditer(masked)), default=-1)
    for start, _ in sentence.spans("teach_me"):
        at = start - sentence.start
        prefix = _AGENT_PREFIX.match(text, at)
        if last_you < (prefix.end() if prefix else at):
            return True
    return False


# "Did you ever fix", "have you already patched", "you fixed": the verb right
# after "you" (and an adverb or two) is something the recipient did.
_THEY_ACT = re.compile(
    r"(?i)\byou(?:\W?(?:ve|d|ll)| have| had| guys| all)?"
    r"(?:\s+(?:ever|already|just|still|also|yet|actually|finally|recently))*\s+$"
)


def done_by_them(sentence: Sentence, names: tuple[str, ...]) -> bool:
    """Every giving verb among the `names` cues has the recipient as its actor:
    "Did you ever fix #412?" asks about their fix; it hands nothing over."""
    spans = sentence.spans(*names)
    return bool(spans) and all(
        _THEY_ACT.search(sentence.text, 0, start - sentence.start) for start, _ in spans
    )


def asks_something(sentence: Sentence) -> bool:
    """A question, with or without its question mark ("which course should i
    do to become a data scientist"): casual mail often drops it."""
    return sentence.is_question or _INTERROGATIVE.match(sentence.text) is not None


def is_lesson(sentence: Sentence, before: Sentence | None = None) -> bool:
    """The sentence asks to be taught something general: "what is a Kubernetes
    operator?", "how do I become a developer like you?", "which course should
    I do?", or any ask from someone who says they know nothing of it yet."""
    after_beginner = before is not None and before.has("beginner")
    if sentence.has("teach_me_exempt") or not (
        after_beginner or sentence.has("teach_me", "general_lesson", "beginner", "teach_me_own")
    ):
        return False
    if not (asks_something(sentence) or sentence.has("ask", "imperative", "relational")):
        return False
    if teaches_general(sentence):
        return True
    if names_their_work(sentence):
        return False  # "how do I run the 2.3 release's --fast mode?" is theirs to answer
    if sentence.has("general_lesson", "beginner"):
        return True
    if after_beginner and sentence.has("general_lesson", "ask"):
        return True
    return sentence.has("teach_me_own") and not sentence.specific


def is_compliment(sentence: Sentence) -> bool:
    """Praise aimed at the recipient: a stock compliment, or admiration with a "you" in it."""
    if sentence.has("compliment", "generic_praise"):
        return True
    if not sentence.has("admiration") or _PLEASANTRY.match(sentence.text):
        return False  # "I hope you had a wonderful Christmas" is manners, not praise
    # Aimed at them ("your talk was brilliant"), or an exclamation with no
    # other subject ("Incredible work!"); "I'm thrilled to start" is not praise.
    if YOU.search(sentence.text) or _THIS_WORK.search(sentence.text):
        return True
    # A short exclamation with no one else as its subject: "Incredible work!"
    return len(sentence.text.split()) <= 4 and not _FIRST_PERSON.search(sentence.text)


def _owned(sentence: Sentence, at: int) -> bool:
    """The words just before offset `at` make what follows the sender's ("my fork")."""
    return (
        _OWNER.search(sentence.text[max(0, at - sentence.start - 40) : at - sentence.start])
        is not None
    )


def names_a_topic(sentence: Sentence) -> bool:
    """ "Your post about remote onboarding" names what it is about; "your
    paper" or "your phytoplankton research" alone could be anyone's."""
    return _ABOUT_TOPIC.search(sentence.text) is not None


def names_their_work(sentence: Sentence) -> bool:
    """The sentence names a precise piece of someone else's work: a version,
    a function, a figure, an issue number ("the default branch still says
    2.1.5"), a definite reference used or read ("I reran the 2024 paper"), or
    a named project the sender uses ("I'm packaging FooTool for Debian")."""
    if not sentence.has("tech_ref", "named_work", "their_thing", "engaged"):
        return False
    if _SELF_INTRO.match(sentence.text) or sentence.has("requisition", "self_promo", "sales"):
        return False
    # Cues inside an address were dropped when the email was read (doc.py).
    if any(not _owned(sentence, a) for a, _ in sentence.spans("tech_ref")):
        return True
    if any(not _owned(sentence, a) for a, _ in sentence.spans("named_work")):
        return True
    engaged = sentence.spans("engaged")
    things = [a for a, _ in sentence.spans("their_thing") if not _owned(sentence, a)]
    if things and (engaged or sentence.specific):
        return True
    if engaged:
        after = engaged[0][1] - sentence.start
        for name in _NAME.finditer(sentence.text, after):
            if name.group() not in PLATFORMS and not _owned(
                sentence, sentence.start + name.start()
            ):
                return True
    return False


def locates(s: Sentence) -> bool:
    """The sentence says where: a line, an equation, a version, a link, a quoted name."""
    return bool(s.has("tech_ref") or s.has("link") or _QUOTED_NAME.search(s.text))


def precise_reports(doc: Doc) -> list[Sentence]:
    """Faults named with where they are: "Eq. 5 doesn't match line 33", a dead
    link to "the Complex Head Pose dataset". The place may stand in the same
    sentence, the next or previous one, or the subject. Vague reports
    ("updates broken") tell the maintainer nothing they can act on."""
    sentences = doc.sentences
    headline_locates = doc.headline is not None and locates(doc.headline)
    found = []
    for index, s in enumerate(sentences):
        if not s.has("defect") or s.has("requisition", "sales"):
            continue
        near = sentences[max(0, index - 1) : index + 2]
        if headline_locates or any(locates(n) for n in near):
            found.append(s)
    headline_defect = doc.headline is not None and doc.headline.has("defect")
    if not found and headline_defect and (headline_locates or any(map(locates, sentences[:2]))):
        found.append(sentences[0] if sentences else doc.headline)
    return found
