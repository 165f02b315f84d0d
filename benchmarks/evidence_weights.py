"""Which evidence the real-message labels lean on: a diagnostic, not a model.

    .venv/bin/python -m pip install ".[research]"
    .venv/bin/python -P benchmarks/evidence_weights.py [VERDICT ...]

For each verdict it fits a logistic regression on the real dev set
(tests/corpus/real/dev) over per-email evidence: the checklist's own
verdicts, counts of each sentence role (asks, gifts, research, praise, …)
and how many sentences carry each cue class. It prints the regression's
5-fold cross-validated balanced accuracy beside the rules' (in-sample, so
flattered: the rules were tuned on these messages) and the heaviest weights.
A large weight on a cue the rule ignores is a shape worth a rule; issue #11
found "relationship words anywhere make the point fail" this way. Nothing
here ships: the checklist stays hand-written rules over data in cues.toml.
The holdout is never read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus_agreement import REAL_VERDICTS, RealMessage, load_real

from composer.checklist import RULES, run_checklist
from composer.checklist.data import load_cues
from composer.checklist.doc import Doc
from composer.checklist.evidence import Evidence, gather

ROLES = ("concrete_asks", "asks", "gifts", "vague_gifts", "pitches", "benefits", "forced")
ROLES += ("research", "compliments", "exchanges")


def features(message: RealMessage, classes: tuple[str, ...]) -> tuple[list[float], bool, dict]:
    """(log-scaled evidence, the checklist's sendable, its per-rule failures) for one message."""
    doc = Doc(message.text)
    evidence: Evidence = gather(doc, None)
    report = run_checklist(message.text)
    failed = {f.rule: f.status == "fail" for f in report.findings}
    counts = [len(getattr(evidence, role)) for role in ROLES]
    counts += [sum(name in s.cues for s in doc.sentences) for name in classes]
    counts += [int(failed[rule]) for rule in RULES]
    return list(np.log1p(counts)), report.sendable, failed


def main() -> None:
    wanted = sys.argv[1:] or list(REAL_VERDICTS)
    classes = tuple(load_cues().body_classes)
    names = [*ROLES, *(f"cue:{c}" for c in classes), *(f"rule:{r}" for r in RULES)]
    messages = load_real("dev")
    rows = [features(m, classes) for m in messages]
    for verdict in wanted:
        keep = [i for i, m in enumerate(messages) if m.expected_fail(verdict) is not None]
        y = np.array([int(messages[i].expected_fail(verdict)) for i in keep])
        if min(y.sum(), len(y) - y.sum()) < 5:
            print(f"{verdict}: too few examples of one side ({y.sum()} of {len(y)})")
            continue
        x = np.array([rows[i][0] for i in keep])
        ruled = [not rows[i][1] if verdict == "sendable" else rows[i][2][verdict] for i in keep]
        model = LogisticRegression(class_weight="balanced", max_iter=5000)
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        predicted = cross_val_predict(model, x, y, cv=folds)
        print(
            f"{verdict}: rules {balanced_accuracy_score(y, ruled):.2f} (in-sample), "
            f"regression {balanced_accuracy_score(y, predicted):.2f} (5-fold), n={len(y)}"
        )
        weights = model.fit(x, y).coef_[0]
        for j in np.argsort(-np.abs(weights))[:8]:
            print(
                f"    {names[j]:24} {weights[j]:+.2f}  ({'toward fail' if weights[j] > 0 else 'toward pass'})"
            )


if __name__ == "__main__":
    main()
