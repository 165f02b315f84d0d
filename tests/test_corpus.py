"""Agreement with the hand-labelled corpus (tests/corpus/).

The floors are below today's figures (see benchmarks/agreement.py) so that a
change which makes the checklist judge worse fails here, while a small shift
from an intentional trade-off does not.
"""

from __future__ import annotations

import re

import pytest
from corpus_agreement import (
    LABELLED_RULES,
    LABELLERS,
    REAL_VERDICTS,
    evaluate,
    evaluate_real,
    labeller_agreement,
    load,
    load_real,
)

DEV_FLOOR = 0.85
HOLDOUT_MEAN_FLOOR = 0.80


@pytest.fixture(scope="module", params=["dev", "dev2"])
def dev(request):
    return evaluate(request.param)


def test_corpus_is_big_and_varied_enough():
    dev_items, holdout_items = load("dev"), load("holdout")
    assert len(dev_items) + len(holdout_items) >= 40
    for rule in LABELLED_RULES:
        fails = sum(expect[rule] == "fail" for _, _, expect in dev_items)
        assert fails >= 3, f"dev corpus needs failing examples of {rule}"


@pytest.mark.parametrize("rule", LABELLED_RULES)
def test_each_rule_agrees_with_the_dev_labels(dev, rule):
    tally = dev[rule]
    assert tally.balanced >= DEV_FLOOR, (rule, f"{tally.balanced:.0%}", tally.misses)


def test_holdout_mean_balanced_accuracy():
    holdout = evaluate("holdout")
    mean = sum(t.balanced for t in holdout.values()) / len(holdout)
    assert mean >= HOLDOUT_MEAN_FLOOR, {r: round(t.balanced, 2) for r, t in holdout.items()}


# ----- real messages (tests/corpus/real): published mail, labelled twice -----

# Below the measured figures (benchmarks/agreement.py; the issue #11 note has
# them) by a few points, so a change that judges real mail worse fails here.
REAL_DEV_FLOORS = {
    "sendable": 0.80,
    "point": 0.80,
    "wiift": 0.78,
    "giver": 0.79,
    "research": 0.77,
    "job-dump": 0.95,
    "flattery": 0.77,
    "google-it": 0.84,
    "collector": 0.90,
}


@pytest.fixture(scope="module")
def real_dev():
    return evaluate_real("dev")


def test_real_corpus_is_big_varied_and_twice_labelled():
    dev_items, holdout_items = load_real("dev"), load_real("holdout")
    assert len(dev_items) + len(holdout_items) >= 300
    assert len(holdout_items) >= 100
    genres = {m.genre for m in dev_items + holdout_items}
    assert {"email", "linkedin", "issue", "pull-request"} <= genres
    assert all(set(m.labels) == set(LABELLERS) for m in dev_items + holdout_items)
    good = sum(m.expected_fail("sendable") is False for m in dev_items + holdout_items)
    assert good >= 60, "the corpus needs good messages too, or blocking everything scores well"


@pytest.mark.parametrize("verdict", REAL_VERDICTS)
def test_the_two_labellers_mostly_agree(verdict):
    """A sanity check on the labels: two careful readers agree far more than chance."""
    assert labeller_agreement("dev")[verdict].balanced >= 0.85


@pytest.mark.parametrize("verdict", REAL_VERDICTS)
def test_each_verdict_agrees_with_real_dev_labels(real_dev, verdict):
    tally = real_dev[verdict]
    assert tally.balanced >= REAL_DEV_FLOORS[verdict], (verdict, f"{tally.balanced:.2f}")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", text.lower()))


def test_no_holdout_message_is_a_rewording_of_a_dev_message():
    """Collectors sometimes picked the same published message; a twin in dev
    would let tuning leak into the holdout (issue #11 removed eleven)."""
    dev = [(m, _words(m.text)) for m in load_real("dev")]
    for held in load_real("holdout") + load_real("holdout2"):
        words = _words(held.text)
        for other, other_words in dev:
            overlap = len(words & other_words) / max(1, len(words | other_words))
            assert overlap <= 0.5, (held.id, other.id, round(overlap, 2))
            assert held.source != other.source or overlap <= 0.3, (held.id, other.id)
