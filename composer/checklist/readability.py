"""Readability: Flesch–Kincaid grade from syllables counted offline.

Its own module because the rules' shared Context computes the grade once for
the readability rule and the stats, and the rules import Context: keeping the
metric apart keeps the imports one-way (base -> readability <- writing).
"""

from __future__ import annotations

import re
from functools import lru_cache

from composer.checklist.doc import Doc

_VOWELS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    """Syllables by vowel groups, the usual offline estimate (no dictionary download)."""
    word = word.lower().strip("'’")
    if len(word) <= 3:
        return 1
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        word = word[:-1]
    elif word.endswith(("es", "ed")) and not word.endswith(
        ("ies", "ted", "ded", "ses", "zes", "ces", "ges")
    ):
        word = word[:-2]
    return max(1, len(_VOWELS.findall(word)))


def grade(doc: Doc) -> float:
    """Flesch–Kincaid grade level of the body's sentences."""
    words = [w for _, _, w in doc.content_words if w[:1].isalpha()]
    sentences = max(1, len(doc.sentences))
    if not words:
        return 0.0
    total = sum(map(syllables, words))
    score = 0.39 * len(words) / sentences + 11.8 * total / len(words) - 15.59
    return round(max(0.0, score), 1)
