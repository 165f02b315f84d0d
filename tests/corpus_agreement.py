"""How often the checklist agrees with the hand labels of tests/corpus/.

Shared by tests/test_corpus.py (which asserts floors) and
benchmarks/agreement.py (which prints the table for the issue notes).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from composer.checklist import run_checklist

CORPUS = Path(__file__).parent / "corpus"
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


@dataclass
class Tally:
    """Confusion counts for one rule; "positive" means the rule fails the email."""

    tp: int = 0
    tn: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        total = self.tp + self.tn + self.fp + self.fn
        return (self.tp + self.tn) / total if total else 1.0

    @property
    def balanced(self) -> float:
        """Mean of the hit rates on failing and passing emails ("fail all" scores 0.5)."""
        rates = []
        if self.tp + self.fn:
            rates.append(self.tp / (self.tp + self.fn))
        if self.tn + self.fp:
            rates.append(self.tn / (self.tn + self.fp))
        return sum(rates) / len(rates) if rates else 1.0


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
            want_fail = expect[rule] == "fail"
            got_fail = report.finding(rule).status == "fail"
            tally = tallies[rule]
            if want_fail and got_fail:
                tally.tp += 1
            elif not want_fail and not got_fail:
                tally.tn += 1
            elif got_fail:
                tally.fp += 1
                tally.misses.append(f"{stem} (flagged, should pass)")
            else:
                tally.fn += 1
                tally.misses.append(f"{stem} (passed, should fail)")
    return tallies
