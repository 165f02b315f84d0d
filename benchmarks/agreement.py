"""Print the checklist's per-rule agreement with the labelled corpus.

    python benchmarks/agreement.py [--misses]

`dev` and `dev2` are the sets the rules were tuned on; `holdout` was written
separately and only ever scored, so its figures are the honest estimate on
unseen mail.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus_agreement import LABELLED_RULES, evaluate, load


def main() -> None:
    show_misses = "--misses" in sys.argv
    sets = {name: evaluate(name) for name in ("dev", "dev2", "holdout")}
    sizes = {name: len(load(name)) for name in sets}
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
        for name, tallies in sets.items():
            for rule, t in tallies.items():
                for miss in t.misses:
                    print(f"{name:8} {rule:13} {miss}")


if __name__ == "__main__":
    main()
