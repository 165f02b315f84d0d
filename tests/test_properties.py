"""Properties that must hold for any input, checked on generated text (hypothesis).

Any Unicode — emoji, right-to-left scripts, combining marks, NUL, CRLF, lone
surrogates — up to a megabyte: the checklist answers with spans inside the
text and never raises; the speller likewise; rendering never runs what a user
typed and never drops a word of it.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer.checklist import run_checklist
from composer.model import Draft, Recipient, Sender
from composer.render import render
from composer.slips import GrammarResult, Slip
from composer.templates_store import Template, TemplateError, TemplateStore

# Every code point, surrogates included (as a str holds them when a file is
# read with errors="surrogateescape" or pasted from a broken clipboard).
ANY_CHAR = st.characters(codec=None, categories=None)
TRICKY = st.sampled_from(
    [
        "\r\n",
        "\r",
        "\n\n\n",
        "\x00",
        "\u200f",  # right-to-left mark
        "\u202e",  # right-to-left override
        "שלום עולם",
        "مرحبا بالعالم",
        "e\u0301\u0301\u0301",  # stacked combining marks
        "👩🏽‍💻",
        "🇺🇳",
        "\ud800",
        "\udfff",
        "\u2028",
        "\ufeff",
        "Subject: ",
        "Hi Priya,",
        "?",
        "https://example.com/a?b=c",
        "{{ first_name }}",
        "[Name]",
        "synch up",
        "Would you share how you run intake meetings?",
        "I'd love to pick your brain.",
        "— Sam",
    ]
)
# Runs that once made a pattern restart at every character and backtrack (O(n²)):
# a megabyte of them took minutes (tests/test_properties.py found them).
BLOB_SHAPES = ("a-", "a.", "a@", "[", "<", '"', "a'", "{{", "`")

PIECE = st.one_of(st.text(ANY_CHAR, max_size=40), TRICKY)
TEXT = st.lists(PIECE, max_size=30).map("".join)

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def assert_spans_inside(report) -> None:
    for finding in report.findings:
        for span in finding.spans:
            assert 0 <= span.start < span.end <= len(report.text), (finding.rule, span)


@PROPERTY_SETTINGS
@given(TEXT)
def test_the_checklist_answers_any_text_with_spans_inside_it(text):
    report = run_checklist(text)
    assert_spans_inside(report)
    assert report.stats.words >= 0 and report.stats.questions >= 0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.integers(min_value=1, max_value=1_000_000))
def test_large_text_stays_bounded(chunk, size):
    """Repeated up to ~1 MB: never an exception, never a runaway pattern.

    The bound is a hang detector, far above the benchmarked figures
    (benchmarks/checklist_speed.py: ~37 ms for 48 KB)."""
    if not chunk:
        chunk = "a"
    text = (chunk * (size // len(chunk) + 1))[:size]
    started = time.perf_counter()
    report = run_checklist(text)
    assert time.perf_counter() - started < 60
    assert_spans_inside(report)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_000_000,
        "?" * 1_000_000,
        ("Hi Priya, " * 100_000)[:1_000_000],
        ("x " * 500_000)[:1_000_000],
        "\n" * 1_000_000,
        ("We are hiring a senior engineer. Requirements: 5+ years of Python. " * 16_000)[
            :1_000_000
        ],
        "👩🏽‍💻" * 100_000,
        # One endless question full of "teach me" cues and "you": each cue once
        # rescanned the rest of the sentence (200 KB took 83 s).
        ("what is you " * 84_000)[:1_000_000],
        *(shape * (1_000_000 // len(shape)) for shape in BLOB_SHAPES),
    ],
    ids=[
        "letters",
        "questions",
        "greetings",
        "words",
        "newlines",
        "job-ad",
        "emoji",
        "lessons",
        *BLOB_SHAPES,
    ],
)
def test_a_megabyte_of_the_worst_shapes_is_judged(text):
    report = run_checklist(text)
    assert_spans_inside(report)


@pytest.mark.parametrize(
    "shape", ["{x}. ", "[Name]? ", "would you connect ", "What is Kubernetes? "]
)
def test_many_sentences_full_of_cues_cost_linear_time(shape):
    """Sentences by the ten thousand, each with a placeholder or a cue, once
    compared every sentence with every placeholder (300 KB: ~80 s; hypothesis
    found it), and every search-engine question looked itself up in the list of
    sentences. The bound is a hang detector: this takes ~2 s."""
    text = shape * (300_000 // len(shape))
    started = time.perf_counter()
    report = run_checklist(text)
    assert time.perf_counter() - started < 30
    assert_spans_inside(report)


@pytest.mark.parametrize("shape", BLOB_SHAPES)
def test_the_speller_takes_a_pasted_blob_in_its_stride(shape):
    """The grammar thread shares the GIL with the UI: a pattern that
    backtracks on a long unbroken run would stall typing for seconds."""
    text = shape * (200_000 // len(shape))
    for slip in _speller().check(text):
        assert 0 <= slip.start < slip.end <= len(text)


@PROPERTY_SETTINGS
@given(TEXT)
def test_the_offline_speller_answers_any_text_with_spans_inside_it(text):
    speller = _speller()
    for slip in speller.check(text):
        assert 0 <= slip.start < slip.end <= len(text)


_SPELLER = []


def _speller():
    from composer.spelling import Speller

    if not _SPELLER:
        _SPELLER.append(Speller("en-US"))
    return _SPELLER[0]


@PROPERTY_SETTINGS
@given(TEXT, TEXT, st.lists(st.tuples(st.integers(0, 300), st.integers(1, 20)), max_size=8))
def test_grammar_results_follow_any_edit_with_spans_inside(old, new, places):
    slips = tuple(
        Slip(start, min(start + length, len(old)), "m")
        for start, length in places
        if start < len(old)
    )
    moved = GrammarResult(old, slips, "test", True).follow(new)
    assert moved.text == new
    for slip in moved.slips:
        assert 0 <= slip.start < slip.end <= len(new)
        # A kept slip still covers the same words it did.
        assert any(new[slip.start : slip.end] == old[s.start : s.end] for s in slips)


FIELD = st.lists(PIECE, max_size=8).map("".join)


@PROPERTY_SETTINGS
@given(
    subject=FIELD,
    context=FIELD,
    research=FIELD,
    point=FIELD,
    wiift=FIELD,
    offer=FIELD,
    name=FIELD,
)
def test_rendering_keeps_every_word_typed_and_runs_none_of_it(
    subject, context, research, point, wiift, offer, name
):
    draft = Draft(
        subject=subject,
        context=context,
        research=research,
        point=point,
        wiift=wiift,
        offer=offer,
        recipient=Recipient(name=name),
        sender=Sender(name="Sam Ortiz"),
    )
    email = render(draft)
    body_words = email.body.split()
    for value in (context, research, point, wiift, offer):
        words = value.split()
        if words:
            assert _contains_run(body_words, words), value
    assert email.subject.split() == subject.split()


def _contains_run(haystack: list[str], needle: list[str]) -> bool:
    width = len(needle)
    return any(haystack[i : i + width] == needle for i in range(len(haystack) - width + 1))


JINJA = st.sampled_from(
    [
        "{{ ",
        " }}",
        "{% ",
        " %}",
        "{# ",
        " #}",
        "{% for x in range(10**9) %}",
        "{% endfor %}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ lipsum.__globals__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ config }}",
        "{{ 'x' * 10**9 }}",
        "{{ 9**9**9 }}",
        "{{ '%s' % 'x' }}",
        "{{ '{:>999999999}'.format('x') }}",
        "{% include '_base' %}",
        "{% extends 'share-and-ask' %}",
        "{% set x = [] %}{% for i in x %}{% do x.append(i) %}{% endfor %}",
        "{{ recipient.first_name }}",
        "{{ point | sentences }}",
        "{% raw %}",
        "{% endraw %}",
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    ]
)
TEMPLATE_BODY = st.lists(st.one_of(JINJA, st.text(ANY_CHAR, max_size=10)), max_size=12).map("".join)


@PROPERTY_SETTINGS
@given(TEMPLATE_BODY)
def test_any_template_renders_or_fails_with_one_clear_error(body):
    template = Template(name="fuzz", description="", subject="{{ subject }}", body=body)
    store = TemplateStore(extra=[template])
    try:
        email = render(Draft(point="Would you share it?"), "fuzz", store)
    except TemplateError as exc:
        assert str(exc)
        return
    assert len(email.body) <= 1_100_000
