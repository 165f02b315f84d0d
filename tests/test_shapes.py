"""The shapes issue #11 found misjudged on real mail, one small email each.

Each case is a whole email and the verdicts it must get; the corpus in
tests/corpus/real/ measures how far the rules generalise beyond these.
"""

from __future__ import annotations

import pytest

from composer.checklist import run_checklist
from composer.checklist.doc import Doc

SHAPES = [
    pytest.param(
        "Subject: Debian package\n\nHi Ana,\n\nI'm packaging FooTool for Debian and the 2.3 "
        "tarball fails one test on arm64 (test_clock_skew). I've attached the build log and a "
        "two-line patch that fixes it. Would you take the patch upstream, or do you prefer I "
        "carry it in Debian?\n\nThanks,\nLi",
        {"research": "pass", "giver": "pass", "point": "pass", "wiift": "pass"},
        id="packager-names-the-project-without-your",
    ),
    pytest.param(
        "Subject: Figure 3\n\nDear Prof. Kim,\n\nI reran Figure 3 of the 2024 paper on sparse "
        "attention with the released code and got 71.2 instead of 74.0 on the long split. My "
        "notebook and result table are here: https://example.org/nb — you're welcome to use or "
        "cite them. Did you use a different warmup schedule for that run?\n\nBest,\nSam",
        {"research": "pass", "giver": "pass", "point": "pass", "wiift": "pass"},
        id="reproduction-with-notebook",
    ),
    pytest.param(
        "Subject: README version\n\nHi,\n\nThe default branch still says 2.1.5 in the install "
        "section, but PyPI has 2.2.0. I opened a PR that updates it. Could you merge it when you "
        "have a minute?\n\nCheers,\nJo",
        {"research": "pass", "giver": "pass", "point": "pass"},
        id="version-on-the-default-branch",
    ),
    pytest.param(
        "Subject: Fix incorrect equations in Lemma 0.5\n\nAlso fixes a couple of typos.\n",
        {"research": "pass", "giver": "pass", "point": "pass", "wiift": "pass"},
        id="terse-pull-request",
    ),
    pytest.param(
        "Subject: Some mismatches\n\nThe code and the paper disagree in two places:\n\n"
        "1. Eq. 5 doesn't match line 33\n2. Eq. 13 doesn't match line 49\n",
        {"research": "pass", "giver": "pass"},
        id="precise-fault-report",
    ),
    pytest.param(
        "Subject: Feature request\n\nHi,\n\nPlease add Rust support. It would be great.\n",
        {"giver": "fail"},
        id="a-change-asked-for-is-not-handed-over",
    ),
    pytest.param(
        "Subject: upstream moved\n\nHi Ana,\n\nHeads-up: libyaml-ng, which your 1.4 release "
        "depends on, went read-only last week and the fork moved to https://example.org/libyaml. "
        "Want me to open a PR switching the dependency?\n\nBest,\nLi",
        {"giver": "pass", "research": "pass", "point": "pass"},
        id="heads-up-upstream-read-only",
    ),
    pytest.param(
        "Hi Dana,\n\nI've followed you for years and admire all you do; hoping we can connect "
        "so I can keep learning from you.\n\nBest,\nTom",
        {"flattery": "fail", "point": "fail"},
        id="admiration-and-connect",
    ),
    pytest.param(
        "Hi Dana,\n\nI've read every word you've written and would be thrilled to work with you "
        "in any way at all.\n\nBest,\nTom",
        {"flattery": "fail", "point": "fail"},
        id="admiration-and-any-way-at-all",
    ),
    pytest.param(
        "Hi Dana,\n\nHow do I become a product manager? Which classes should I take?\n\n"
        "Thanks,\nTom",
        {"google-it": "fail"},
        id="how-do-i-become",
    ),
    pytest.param(
        "Subject: How do I become a developer like you?\n\nAny tips or habits?\n",
        {"google-it": "fail"},
        id="how-do-i-become-in-the-subject",
    ),
    pytest.param(
        "Hi Dana,\n\nIn your guide you skip unit tests for the prototype stage. Why did you "
        "decide that, given the 2019 outage you described?\n\nThanks,\nTom",
        {"google-it": "pass", "research": "pass"},
        id="question-about-their-published-choice",
    ),
    pytest.param(
        "Hi Dana,\n\nCan you explain what a Kubernetes operator is?\n\nThanks,\nTom",
        {"google-it": "fail", "point": "fail"},
        id="teach-me-is-not-a-point",
    ),
    pytest.param(
        "Hi Dana,\n\nI'm a recent grad looking for roles in data. Happy to share more about my "
        "background.\n\nThanks,\nTom",
        {"wiift": "fail", "giver": "fail"},
        id="sharing-my-background-is-not-their-gain",
    ),
    pytest.param(
        "Subject: Your ERE talk\n\nHi Heather,\n\nYour point that sourcers should read a "
        "candidate's blog before writing to them changed how my team works. I'd love to synch "
        "up sometime!\n\nBest,\nSam",
        {"point": "fail"},
        id="should-read-in-praise-is-not-a-fault-report",
    ),
    pytest.param("hey can we connect? thx", {"collector": "fail"}, id="bare-connect"),
    pytest.param(
        "Hi,\n\nI'd like to add you to my professional network.\n\n"
        "Here's my page: https://www.linkedin.com/in/someone\n",
        {"collector": "fail", "giver": "fail"},
        id="linkedin-profile-is-not-a-gift",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SHAPES)
def test_shape(text, expected):
    report = run_checklist(text)
    got = {rule: report.finding(rule).status for rule in expected}
    assert got == expected


@pytest.mark.parametrize(
    ("body", "sentences"),
    [
        ("Our p99 dropped to 40 ms. Would you share how?", 2),
        ("We met Dr. Lee at 3 p.m. Then we left.", 2),
        ("Tools, e.g. Python, etc. Fine.", 2),
        ("Eq. 5 and Fig. 2 disagree.", 1),
        ("Thanks to J. Smith for the intro.", 1),
    ],
)
def test_sentences_end_after_units_but_not_abbreviations(body, sentences):
    doc = Doc(f"Subject: x\n\nHi Ana,\n\n{body}\n\nBest,\nLi")
    assert len(doc.sentences) == sentences, [s.text for s in doc.sentences]


def test_words_inside_a_link_are_not_cues():
    doc = Doc("Subject: x\n\nHi Ana,\n\nCode: https://example.org/tf-vision/parse_offset\n")
    assert "requisition" not in doc.sentences[0].cues
    assert "tech_ref" not in doc.sentences[0].cues


def test_an_issue_tag_opening_the_subject_is_not_a_placeholder():
    tagged = run_checklist("Subject: [Bug]: crash on start\n\nHi,\n\nIt crashes in v2.1.0.\n")
    assert tagged.finding("placeholders").status == "pass"
    unfilled = run_checklist("Subject: Hi [Name]\n\nHi [Name],\n\nIt crashes.\n")
    assert unfilled.finding("placeholders").status == "fail"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Subject: Support for ARM\n\nI'm new here.\n",
            {"giver": "fail"},
            id="a-subject-asking-for-support-is-not-a-patch",
        ),
        pytest.param(
            "Hi Ana,\n\nI have an interview for a junior role next week. Any tips?\n",
            {"giver": "fail", "wiift": "fail"},
            id="the-senders-interview-is-no-exchange",
        ),
        pytest.param(
            "Subject: ARM\n\nHi Ana,\n\nIs there any way to run the 2.3 release on ARM boards?\n",
            {"point": "pass"},
            id="any-way-to-do-something-named-is-a-point",
        ),
        pytest.param(
            "Hi Ana,\n\nI'm thrilled to start.\n", {"flattery": "pass"}, id="own-joy-is-not-praise"
        ),
        pytest.param(
            "Hi Ana,\n\nYour work is amazing! We'd love to feature your project in our "
            "newsletter and pay you for a short interview.\n",
            {"flattery": "pass", "point": "pass"},
            id="an-exchange-is-a-purpose-for-flattery-too",
        ),
    ],
)
def test_what_the_review_found(text, expected):
    report = run_checklist(text)
    assert {rule: report.finding(rule).status for rule in expected} == expected


def test_a_lesson_found_by_its_shape_marks_where():
    report = run_checklist("Hi Ana,\n\nI'm new to programming. Can you help me get started?\n")
    finding = report.finding("google-it")
    assert finding.status == "fail"
    assert finding.spans
