"""Print the checklist's agreement with the labelled corpora.

    python benchmarks/agreement.py [--misses] [--holdout] [--fresh]
    python benchmarks/agreement.py --disagreements

First the real-message corpus (tests/corpus/real/): its size by genre and
sender, how far the two labellers agree with each other, and how far the
checklist agrees with the labels they share. Then the older corpora written
from the blog post (`dev`, `dev2`, `holdout`).

The real-message holdout is only ever scored, and only with `--holdout`, so
that nobody tunes the rules while watching it; `--fresh` also scores
holdout2, which no one had scored when it was added (issue #11's last round); `--misses` lists the messages
the checklist misjudges in the dev sets alone.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus_agreement import (
    LABELLED_RULES,
    REAL_VERDICTS,
    evaluate,
    evaluate_real,
    labeller_agreement,
    load,
    load_real,
)


def _counts(counter: Counter) -> str:
    return ", ".join(f"{name} {count}" for name, count in counter.most_common())


def print_real(show_misses: bool, splits: tuple[str, ...]) -> None:
    messages = {split: load_real(split) for split in splits}
    print("Real messages (tests/corpus/real)")
    for split, items in messages.items():
        good = sum(m.expected_fail("sendable") is False for m in items)
        print(f"  {split}: {len(items)} labelled, {good} agreed sendable")
        print(f"    genre:  {_counts(Counter(m.genre for m in items))}")
        print(f"    sender: {_counts(Counter(m.sender for m in items))}")
    humans = {split: labeller_agreement(split) for split in splits}
    checker = {split: evaluate_real(split, messages[split]) for split in splits}
    header = f"{'':<11}" + "".join(f"{f'labellers, {s}':>20}{f'checker, {s}':>27}" for s in splits)
    print(header)
    print(
        f"{'verdict':<11}"
        + "".join(
            f"{'balanced':>11}{'kept':>9}{'balanced':>11}{'fails':>8}{'n':>8}" for _ in splits
        )
    )
    for verdict in REAL_VERDICTS:
        row = f"{verdict:<11}"
        for split in splits:
            h, c = humans[split][verdict], checker[split][verdict]
            kept = h.tp + h.tn
            row += f"{h.balanced:>11.2f}{kept:>9}{c.balanced:>11.2f}{c.tp + c.fn:>8}{c.total:>8}"
        print(row)
    if show_misses:
        for verdict, tally in checker["dev"].items():
            for miss in tally.misses:
                print(f"real-dev {verdict:11} {miss}")
    print()


def print_disagreements() -> None:
    """The dev calls the two labellers made differently, as a Markdown list
    (tests/corpus/real/DISAGREEMENTS.md is this output)."""
    print("# Where the two labellers disagree (real dev set)\n")
    print("Regenerate: `.venv/bin/python -P benchmarks/agreement.py --disagreements`.")
    print("These calls are left out of the scores; the holdout's are not listed.\n")
    for message in load_real("dev"):
        a, b = (message.labels[who] for who in ("a", "b"))
        split = [v for v in REAL_VERDICTS if a[v] != b[v]]
        if not split:
            continue
        calls = ", ".join(f"{v} (a: {a[v]}, b: {b[v]})" for v in split)
        print(f"- **{message.id}** ({message.genre}, {message.sender}): {calls}")
        for who, labels in (("a", a), ("b", b)):
            if labels.get("why"):
                print(f"  - {who}: {' '.join(labels['why'].split())}")


def print_written(show_misses: bool) -> None:
    sets = {name: evaluate(name) for name in ("dev", "dev2", "holdout")}
    sizes = {name: len(load(name)) for name in sets}
    print("Messages written from the blog post (tests/corpus/dev, dev2, holdout)")
    header = f"{'rule':<13}" + "".join(f"{name + f' (n={sizes[name]})':>28}" for name in sets)
    print(header)
    print(f"{'':<13}" + "".join(f"{'agree':>9}{'balanced':>10}{'fails':>9}" for _ in sets))
    for rule in LABELLED_RULES:
        row = f"{rule:<13}"
        for tallies in sets.values():
            t = tallies[rule]
            row += f"{t.accuracy:>9.0%}{t.balanced:>10.0%}{t.tp + t.fn:>9}"
        print(row)
    for name, tallies in sets.items():
        mean = sum(t.balanced for t in tallies.values()) / len(tallies)
        print(f"mean balanced accuracy, {name}: {mean:.1%}")
    if show_misses:
        for name in ("dev", "dev2"):
            for rule, t in sets[name].items():
                for miss in t.misses:
                    print(f"{name:8} {rule:13} {miss}")


def main() -> None:
    if "--disagreements" in sys.argv:
        print_disagreements()
        return
    show_misses = "--misses" in sys.argv
    splits = ("dev", "holdout") if "--holdout" in sys.argv else ("dev",)
    if "--fresh" in sys.argv:
        splits = (*splits, "holdout2")
    print_real(show_misses, splits)
    print_written(show_misses)


if __name__ == "__main__":
    main()
