"""The ledger: what each email you sent a person gave and asked, with dates.

What an email gave and asked is read by the checklist's own evidence (the
sentences the `giver` rule counts as gifts or fair exchanges, the ones the
`point` rule counts as asks), so the ledger and the checklist never disagree
about a sentence. Reading an email costs milliseconds, so each one is read
once and the result kept in the database, under LEDGER_VERSION: when the
evidence changes, the number goes up and old readings are redone.
"""

from __future__ import annotations

from composer.checklist.ledger import LedgerEntry
from composer.store import Store

LEDGER_VERSION = 1


def give_and_ask(text: str) -> tuple[list[str], list[str], list[str]]:
    """(gift sentences, links in them, asks) of one sent email."""
    from composer.checklist.data import load_cues
    from composer.checklist.doc import Doc
    from composer.checklist.evidence import gather

    doc = Doc(text, load_cues())
    evidence = gather(doc, None)
    given = [*evidence.gifts, *evidence.exchanges]
    gave = [" ".join(s.text.split()) for s in given]
    links = list(
        dict.fromkeys(_word_at(doc.text, start) for s in given for start, _ in s.spans("link"))
    )
    # The subject line is read as a sentence too; what was asked is in the body.
    asks = [a.sentence for a in evidence.asks if a.sentence.start >= doc.body_start]
    asked = [" ".join(s.text.split()) for s in asks]
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


def contact_ledger(store: Store, address: str) -> tuple[LedgerEntry, ...]:
    """Every email sent to `address`, oldest first, with what it gave and asked."""
    sent = store.sends(address) if address.strip() else []
    known = store.ledger_rows(LEDGER_VERSION, [s.id for s in sent])
    new = {s.id: give_and_ask(s.entry.text) for s in sent if s.id not in known}
    if new:
        store.save_ledger_rows(LEDGER_VERSION, new)
    readings = {**known, **new}
    return tuple(
        LedgerEntry(
            when=s.entry.when,
            name=s.entry.recipient,
            subject=s.entry.subject,
            gave=tuple(readings[s.id][0]),
            links=tuple(readings[s.id][1]),
            asked=tuple(readings[s.id][2]),
        )
        for s in sent
    )
