"""The ledger: what each email you sent a person gave and asked, with dates.

What an email gave and asked is read by the checklist's own evidence (the
sentences the `giver` rule counts as gifts or fair exchanges, the asks of
the body as the `ledger` rule counts them, with the user's [phrases]), so
the ledger and the checklist never disagree about a sentence. Reading an
email costs milliseconds, so each one is read once and the result kept in
the database, under a digest of what the reading depends on (the cue and
rule data, the user's phrases, the app's version): when any of it changes,
old readings are redone, with no number to remember to bump.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from composer.checklist.ledger import LedgerEntry
from composer.store import Sent, Store

Phrases = Mapping[str, Sequence[str]]


def _cues(phrases: Phrases | None):
    from composer.checklist.data import load_cues

    phrases = phrases or {}
    return load_cues(tuple(phrases.get("vague", ())), tuple(phrases.get("jargon", ())))


def reading_key(phrases: Phrases | None = None) -> int:
    """What a stored reading was made with, as one number (it fits SQLite's
    INTEGER): a digest of the data files, the phrases and the app's version."""
    import hashlib
    from pathlib import Path

    from composer import __version__
    from composer.checklist import data

    folder = Path(data.__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for name in ("cues.toml", "rules.toml"):
        digest.update(folder.joinpath(name).read_bytes())
    phrases = phrases or {}
    digest.update(repr([list(phrases.get(k, ())) for k in ("vague", "jargon")]).encode())
    return int(digest.hexdigest()[:15], 16)


def give_and_ask(
    text: str, phrases: Phrases | None = None
) -> tuple[list[str], list[str], list[str]]:
    """(gift sentences, links in them, asks) of one sent email."""
    from composer.checklist.doc import Doc
    from composer.checklist.evidence import gather
    from composer.checklist.ledger import body_asks

    doc = Doc(text, _cues(phrases))
    evidence = gather(doc, None)
    given = [*evidence.gifts, *evidence.exchanges]
    gave = [" ".join(s.text.split()) for s in given]
    links = list(
        dict.fromkeys(_word_at(doc.text, start) for s in given for start, _ in s.spans("link"))
    )
    asked = [" ".join(a.sentence.text.split()) for a in body_asks(doc, evidence)]
    return gave, links, asked


def _word_at(text: str, offset: int) -> str:
    """The whole link a cue found part of ("example.com/notes", not ".com"),
    without the punctuation that ends its sentence."""
    start = offset
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = offset
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip("()<>[]\"'“”").rstrip(".,;:!?")


def contact_ledger(
    store: Store | None,
    address: str,
    sent: Sequence[Sent] | None = None,
    phrases: Phrases | None = None,
) -> tuple[LedgerEntry, ...]:
    """Every email sent to `address` (or the sends `sent`, as the caller
    listed them), oldest first, with what it gave and asked. Without a
    store (there is no database yet) `sent` is read afresh; a store opened
    to read only keeps its readings as they are."""
    if sent is None:
        sent = store.sends(address) if store is not None and address.strip() else []
    key = reading_key(phrases)
    known = store.ledger_rows(key, [s.id for s in sent]) if store is not None else {}
    new = {s.id: give_and_ask(s.entry.text, phrases) for s in sent if s.id not in known}
    if new and store is not None and not store.read_only:
        store.save_ledger_rows(key, new)
    readings = {**known, **new}
    return tuple(
        LedgerEntry(
            when=s.entry.when.astimezone(),
            name=s.entry.recipient,
            subject=s.entry.subject,
            gave=tuple(readings[s.id][0]),
            links=tuple(readings[s.id][1]),
            asked=tuple(readings[s.id][2]),
        )
        for s in sent
    )
