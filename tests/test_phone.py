"""The email as a phone shows it: the cut subject, the inbox line, the 40-column
body and the reading time (composer/phone.py)."""

from __future__ import annotations

from composer.phone import (
    PHONE_COLUMNS,
    READING_BUDGET_SECONDS,
    SUBJECT_CHARS,
    cut,
    inbox_preview,
    phone_view,
    reading_seconds,
    say_seconds,
    wrap,
)

LINK = "https://example.com/blog-sourcing-notes"

EMAIL = (
    "Subject: Your ERE talk about reading candidates' blogs first\n\n"
    "Hi Heather,\n\n"
    "I'm a recruiter at Northwind, and I was in the room for your ERE talk.\n\n"
    f"We tried it for six months, and I wrote up what worked: {LINK}\n\n"
    "Best,\nSam Ortiz"
)


def test_a_short_subject_is_shown_whole():
    assert cut("Your ERE talk: our numbers", SUBJECT_CHARS) == "Your ERE talk: our numbers"


def test_a_long_subject_is_cut_at_a_word_boundary_near_35_with_an_ellipsis():
    subject = "Your ERE talk about reading candidates' blogs first"
    shown = cut(subject, SUBJECT_CHARS)
    assert shown == "Your ERE talk about reading…"
    assert len(shown) <= SUBJECT_CHARS
    assert subject.startswith(shown[:-1])


def test_a_subject_without_a_space_near_the_cut_is_cut_at_35():
    subject = "Re: " + "x" * 60
    shown = cut(subject, SUBJECT_CHARS)
    assert len(shown) == SUBJECT_CHARS
    assert shown.endswith("…")


def test_the_inbox_line_skips_the_greeting():
    assert inbox_preview(EMAIL) == "I'm a recruiter at Northwind, and I was…"
    assert len(inbox_preview(EMAIL)) <= PHONE_COLUMNS


def test_the_inbox_line_without_a_greeting_starts_with_the_body():
    email = "Subject: Notes\n\nYour talk changed how my team works."
    assert inbox_preview(email) == "Your talk changed how my team works."


def test_the_inbox_line_keeps_the_text_after_a_greeting_on_the_same_line():
    email = "Subject: Notes\n\nHi Ana, your talk changed how my team works."
    assert inbox_preview(email).startswith("your talk changed")


def test_wrapping_breaks_at_spaces_within_40_columns():
    lines = wrap(
        "I'm a recruiter at Northwind, and I was in the room for your ERE talk last October."
    )
    assert all(len(line) <= PHONE_COLUMNS for line in lines)
    assert " ".join(lines).split() == [
        "I'm",
        "a",
        "recruiter",
        "at",
        "Northwind,",
        "and",
        "I",
        "was",
        "in",
        "the",
        "room",
        "for",
        "your",
        "ERE",
        "talk",
        "last",
        "October.",
    ]
    assert lines[0] == "I'm a recruiter at Northwind, and I was"


def test_a_link_that_fits_on_a_line_is_never_split():
    assert len(LINK) <= PHONE_COLUMNS
    for lead in range(0, 40):
        text = "word " * (lead // 5) + "x" * (lead % 5) + f" {LINK} and after"
        assert LINK in wrap(text), lead


def test_a_word_longer_than_a_line_is_folded_and_nothing_is_lost():
    link = "https://example.com/" + "a" * 70
    lines = wrap(f"See {link} now")
    assert all(len(line) <= PHONE_COLUMNS for line in lines)
    assert "".join(lines).replace(" ", "") == f"See{link}now"


def test_wrapping_keeps_blank_lines_between_paragraphs():
    assert wrap("Hi Heather,\n\nBest,\nSam") == ["Hi Heather,", "", "Best,", "Sam"]


def test_reading_time_is_words_at_200_a_minute_rounded_up():
    assert reading_seconds(0) == 0
    assert reading_seconds(100) == 30
    assert reading_seconds(125) == 38
    assert reading_seconds(201) == 61
    assert say_seconds(38) == "38 s"
    assert say_seconds(72) == "1 min 12 s"
    assert say_seconds(120) == "2 min"


def test_the_phone_view_of_an_email():
    view = phone_view(EMAIL, "Sam  Ortiz")
    assert view.sender == "Sam Ortiz"
    assert view.subject == "Your ERE talk about reading…"
    assert view.full_subject == "Your ERE talk about reading candidates' blogs first"
    assert view.preview == "I'm a recruiter at Northwind, and I was…"
    assert view.lines[0] == "Hi Heather,"
    assert LINK in view.lines
    assert view.lines[-1] == "Sam Ortiz"
    # The body's words as the length rule counts them: greeting 2, then 15
    # and 12; the link is not words, the signature is not read.
    assert view.words == 29
    assert view.seconds == reading_seconds(29)
    assert view.within_budget


def test_a_long_email_is_over_the_reading_budget():
    body = " ".join(["word"] * 200) + "."
    view = phone_view(f"Subject: Long\n\nHi Ana,\n\n{body}", "Sam")
    assert view.seconds > READING_BUDGET_SECONDS
    assert not view.within_budget
