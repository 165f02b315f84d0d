"""How often the checklist agrees with the hand labels of tests/corpus/.

Shared by tests/test_corpus.py (which asserts floors) and
benchmarks/agreement.py (which prints the tables for the issue notes).

Two kinds of corpus live there. `dev`, `dev2` and `holdout` were written from
the blog post by helpers, each file carrying its own expected verdicts.
`real/` holds reworded messages that people actually published, labelled
twice by readers who never saw the code (tests/corpus/real/README.md): a
verdict is expected only where both labellers gave it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from composer.checklist import run_checklist

CORPUS = Path(__file__).parent / "corpus"
REAL = CORPUS / "real"
LABELLED_RULES = (
    "point",
    "wiift",
    "giver",
    "research",
    "job-dump",
    "flattery",
    "google-it",
    "collector",
    "placeholders",
)
# What the real-message labellers judged: the gate as a whole, then each rule
# (real mail was reworded with its placeholders filled, so they are not labelled).
REAL_VERDICTS = ("sendable", *(rule for rule in LABELLED_RULES if rule != "placeholders"))
LABELLERS = ("a", "b")


@dataclass
class Tally:
    """Confusion counts for one rule; "positive" means the rule fails the email."""

    tp: int = 0
    tn: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.tp + self.tn + self.fp + self.fn

    @property
    def accuracy(self) -> float:
        return (self.tp + self.tn) / self.total if self.total else 1.0

    @property
    def balanced(self) -> float:
        """Mean of the hit rates on failing and passing emails ("fail all" scores 0.5)."""
        rates = []
        if self.tp + self.fn:
            rates.append(self.tp / (self.tp + self.fn))
        if self.tn + self.fp:
            rates.append(self.tn / (self.tn + self.fp))
        return sum(rates) / len(rates) if rates else 1.0

    def add(self, name: str, want_fail: bool, got_fail: bool) -> None:
        if want_fail and got_fail:
            self.tp += 1
        elif not want_fail and not got_fail:
            self.tn += 1
        elif got_fail:
            self.fp += 1
            self.misses.append(f"{name} (flagged, should pass)")
        else:
            self.fn += 1
            self.misses.append(f"{name} (passed, should fail)")


def load(name: str) -> list[tuple[str, str, dict]]:
    """(file stem, email text, expected statuses) for each email of a corpus set."""
    items = []
    for path in sorted((CORPUS / name).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        items.append((path.stem, data["text"], data["expect"]))
    return items


def evaluate(name: str) -> dict[str, Tally]:
    """Per-rule tallies of the checklist against one corpus set."""
    tallies = {rule: Tally() for rule in LABELLED_RULES}
    for stem, text, expect in load(name):
        report = run_checklist(text)
        for rule in LABELLED_RULES:
            got_fail = report.finding(rule).status == "fail"
            tallies[rule].add(stem, expect[rule] == "fail", got_fail)
    return tallies


# ----- the real-message corpus -----


def _failed(verdict: str, value: str) -> bool:
    """A label as "the email fails this": sendable says yes/no, rules pass/fail."""
    return value == "no" if verdict == "sendable" else value == "fail"


@dataclass
class RealMessage:
    """One published message, reworded, with both labellers' verdicts."""

    id: str
    text: str
    genre: str
    sender: str
    source: str
    labels: dict[str, dict[str, str]]

    def expected_fail(self, verdict: str) -> bool | None:
        """True/False where both labellers agree the email fails/passes; None otherwise."""
        values = [self.labels.get(who, {}).get(verdict) for who in LABELLERS]
        if None in values:
            return None
        a, b = (_failed(verdict, v) for v in values)
        return a if a == b else None


def _real_labels() -> dict[str, dict[str, dict[str, str]]]:
    labels: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted((REAL / "labels").glob("*.toml")):
        who = path.stem.rsplit(".", 1)[-1]
        for message_id, values in tomllib.loads(path.read_text(encoding="utf-8")).items():
            labels.setdefault(message_id, {})[who] = values
    return labels


def load_real(split: str) -> list[RealMessage]:
    """The labelled messages of real/dev or real/holdout (unlabelled ones are left out)."""
    labels = _real_labels()
    messages = []
    for path in sorted((REAL / split).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if data["id"] not in labels:
            continue
        messages.append(
            RealMessage(
                data["id"],
                data["text"],
                data["genre"],
                data["sender"],
                data["source"],
                labels[data["id"]],
            )
        )
    return messages


def evaluate_real(split: str, messages: list[RealMessage] | None = None) -> dict[str, Tally]:
    """The checklist against the labels both labellers agree on, per verdict."""
    tallies = {verdict: Tally() for verdict in REAL_VERDICTS}
    for message in load_real(split) if messages is None else messages:
        report = run_checklist(message.text)
        for verdict in REAL_VERDICTS:
            want = message.expected_fail(verdict)
            if want is None:
                continue
            if verdict == "sendable":
                got = not report.sendable
            else:
                got = report.finding(verdict).status == "fail"
            tallies[verdict].add(message.id, want, got)
    return tallies


def labeller_agreement(split: str) -> dict[str, Tally]:
    """Labeller b scored against labeller a, per verdict: how far two careful readers agree."""
    tallies = {verdict: Tally() for verdict in REAL_VERDICTS}
    for message in load_real(split):
        if not all(who in message.labels for who in LABELLERS):
            continue
        a, b = (message.labels[who] for who in LABELLERS)
        for verdict in REAL_VERDICTS:
            if verdict in a and verdict in b:
                tallies[verdict].add(
                    message.id, _failed(verdict, a[verdict]), _failed(verdict, b[verdict])
                )
    return tallies
