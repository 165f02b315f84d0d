"""The checklist judged on the blog's own cases and on the contracts other parts rely on."""

from __future__ import annotations

import pytest

from composer.checklist import RULE_IDS, run_checklist
from composer.model import Draft, Recipient
from composer.render import render
from composer.templates_store import parse_template


def status(text: str, rule: str, draft: Draft | None = None) -> str:
    return run_checklist(text, draft).finding(rule).status


HEATHER_ARTICLE = """Subject: An article on sourcing

Hey Heather,

You are fabulous, and your ERE talk on blogging changed how I source. By the way,
I thought you would be interested in this article on comment-trail sourcing:
https://example.com/comment-trails

Cheers,
Dana
"""

VOICEMAIL = """Subject: Question

Hi Heather,

I saw you presented at the ERE conference last October. Could you explain the
blogging methodology to me? I'm not sure what a blog is or how it works for sourcing.

Thanks,
Pat
"""

REQUISITION = """Subject: Java opening

Hello,

We are hiring a Senior Java Developer for a client in Chicago.

Responsibilities:
- Design and build microservices in Java 17 and Spring Boot
- Own CI/CD pipelines

Requirements:
- 7+ years of experience with Java
- Bachelor's degree in Computer Science
- Full-time, hybrid, $150k-$170k

Any help would be greatly appreciated.

Regards,
Tom
"""

SYNCH_UP = "Subject: Hello\n\nHi Heather,\n\nI'd love to synch up sometime soon!\n\nBest,\nGreg\n"


def test_compliment_plus_gift_passes_like_the_blog_says():
    report = run_checklist(HEATHER_ARTICLE)
    assert report.finding("flattery").status == "pass"
    assert report.finding("giver").status == "pass"
    assert report.finding("point").status == "pass"  # the gift is the point


def test_the_blogging_voicemail_fails_google_it():
    finding = run_checklist(VOICEMAIL).finding("google-it")
    assert finding.status == "fail" and finding.blocking
    flagged = [VOICEMAIL[s.start : s.end] for s in finding.spans]
    assert any("explain" in f for f in flagged), flagged


def test_a_pasted_requisition_fails_job_dump():
    finding = run_checklist(REQUISITION).finding("job-dump")
    assert finding.status == "fail"
    flagged = " ".join(REQUISITION[s.start : s.end] for s in finding.spans)
    assert "greatly appreciated" in flagged and "7+ years" in flagged


def test_synch_up_has_no_point():
    finding = run_checklist(SYNCH_UP).finding("point")
    assert finding.status == "fail"
    assert "synch up" in " ".join(SYNCH_UP[s.start : s.end] for s in finding.spans)


def test_pure_praise_is_flattery_but_praise_with_an_ask_is_not():
    praise = (
        "Subject: Hi\n\nHi Ana,\n\nYou are truly an inspiration. I'm a huge fan of everything "
        "you do, and I'd love to stay in touch.\n\nBest,\nBo\n"
    )
    assert status(praise, "flattery") == "fail"
    with_ask = praise.replace(
        "I'd love to stay in touch.",
        "Would you share how you structured the mentoring program at Acme?",
    )
    assert status(with_ask, "flattery") == "pass"


def test_asking_about_their_own_practice_is_not_google_it():
    text = (
        "Subject: Your intake meetings\n\nHi Ana,\n\nCould you explain how you run intake "
        "meetings with hiring managers at Acme?\n\nThanks,\nBo\n"
    )
    assert status(text, "google-it") == "pass"


def test_a_bare_connect_request_is_a_collector():
    text = "Hi Ana,\n\nI'd like to add you to my professional network on LinkedIn.\n\n- Bo\n"
    report = run_checklist(text)
    assert report.finding("collector").status == "fail"
    assert report.finding("point").status == "fail"


def test_vague_help_is_not_a_gift_but_a_named_intro_is():
    base = "Subject: Intro\n\nHi Ana,\n\n{}\n\nBest,\nBo\n"
    assert status(base.format("Let me know if I can ever help."), "giver") == "fail"
    assert (
        status(
            base.format("I'd be happy to introduce you to Grace Okafor, who ran fraud at Tessera."),
            "giver",
        )
        == "pass"
    )


@pytest.mark.parametrize(
    ("line", "verdict"),
    [
        ("Did you ever fix #412?", "fail"),  # their fix, asked about: nothing handed over
        ("Have you already patched the parser?", "fail"),
        ("I fixed #412 in our fork: https://example.com/fork/pull/9", "pass"),
        ("This fixes #412; the tests pass on all three platforms.", "pass"),
    ],
)
def test_a_giving_verb_counts_only_when_the_sender_does_it(line, verdict):
    base = "Subject: Parser bug\n\nHi Ana,\n\n{}\n\nThanks,\nMara\n"
    assert status(base.format(line), "giver") == verdict


@pytest.mark.parametrize(
    ("lines", "verdict"),
    [
        # The blog's "do my job for me", with the requisition attached instead of pasted.
        (
            "Attached is our job description for a Senior Java Developer. "
            "Can you send me candidates?",
            "fail",
        ),
        ("Here is the job posting: https://example.com/jobs/42. Know anyone who'd fit?", "fail"),
        # A recruiter to the candidate: the posting is for them, and nothing is asked of their network.
        (
            "Attached is the job description for the data role we discussed at PyData. "
            "Would you like to talk it over on Thursday?",
            "pass",
        ),
    ],
)
def test_a_job_posting_handed_over_with_a_plea_is_a_job_dump(lines, verdict):
    base = "Subject: A Java role\n\nHi Heather,\n\nI saw your ERE talk. {}\n\nBest,\nMara\n"
    assert status(base.format(lines), "job-dump") == verdict


def test_generic_praise_is_not_research():
    base = "Subject: Hi\n\nHi Ana,\n\n{} Would you share how you hire SREs?\n\nBest,\nBo\n"
    assert (
        status(base.format("I came across your profile and your amazing work."), "research")
        == "fail"
    )
    assert (
        status(
            base.format('I read your post "Hiring SREs without LeetCode" last week.'), "research"
        )
        == "pass"
    )


@pytest.mark.parametrize(
    "leftover",
    [
        "Hi [Name],",
        "Hi {{ first_name }},",
        "Hi {first_name},",
        "Hi <First Name>,",
        "Hi Ana, TODO intro",
    ],
)
def test_placeholders_anywhere_are_caught(leftover):
    text = f"Subject: Hello\n\n{leftover}\n\nWould you review my draft?\n"
    finding = run_checklist(text).finding("placeholders")
    assert finding.status == "fail"
    assert finding.spans


@pytest.mark.parametrize("greeting", ["Hi ,", "Dear  ,", "Hello !"])
def test_a_greeting_whose_name_rendered_empty_is_a_placeholder(greeting):
    text = f"Subject: Hello\n\n{greeting}\n\nWould you review my draft?\n"
    finding = run_checklist(text).finding("placeholders")
    assert finding.status == "fail"
    assert "the name after" in finding.message
    assert finding.spans[0].start == text.index(greeting)


@pytest.mark.parametrize("greeting", ["Hi,", "Hi Ana,", "Hi Ana ,", "Hello there!"])
def test_a_greeting_without_a_gap_is_not_a_placeholder(greeting):
    text = f"Subject: Hello\n\n{greeting}\n\nWould you review my draft?\n"
    assert status(text, "placeholders") == "pass"


def test_links_and_addresses_in_angle_brackets_are_not_placeholders():
    text = "Subject: Notes\n\nHi Ana,\n\nSee <https://example.com/a> or [the notes](https://example.com/b), or write <ana@example.com>.\n"
    assert status(text, "placeholders") == "pass"


def test_a_template_that_drops_the_offer_fails_giver():
    draft = Draft(
        point="Would you share how you run intake meetings?",
        offer="Here are my notes from your ERE talk: https://example.com/notes",
        recipient=Recipient(name="Heather Hamilton"),
    )
    drops = parse_template(
        'subject = "x"\nbody = "Hi {{ recipient.first_name }},\\n\\n{{ point }}\\n"\n',
        "t",
        "t",
        "t",
    )
    report = run_checklist(render(draft, drops).text, draft)
    giver = report.finding("giver")
    assert giver.status == "fail"
    assert "offer does not appear" in giver.message


def test_draft_hints_mark_the_offer_even_without_cue_words():
    draft = Draft(offer="Our 2025 salary survey of 400 SREs is at https://example.com/survey.")
    text = "Subject: Survey\n\nHi Ana,\n\n" + draft.offer + "\n"
    assert status(text, "giver", draft) == "pass"


def test_greeting_uses_the_recipients_name_from_the_draft():
    draft = Draft(recipient=Recipient(name="Heather Hamilton"))
    assert status("Subject: x\n\nHi Heather,\n\nHello.\n", "greeting", draft) == "pass"
    assert status("Subject: x\n\nHi Bob,\n\nHello.\n", "greeting", draft) == "warn"
    assert status("Subject: x\n\nHi there,\n\nHello.\n", "greeting") == "warn"


@pytest.mark.parametrize("greeting", ["Hi ,", "Dear ,"])
def test_greeting_fails_on_a_greeting_that_names_no_one(greeting):
    text = f"Subject: Notes\n\n{greeting}\n\nWould you share your notes?\n\nBest,\nSam\n"
    draft = Draft(recipient=Recipient(name="Ana Lee"))
    finding = run_checklist(text, draft).finding("greeting")
    assert finding.status == "warn"
    assert finding.message == f"“{greeting}” names no one: greet them by name, “Hi Ana,”."
    assert finding.spans[0].start == text.index(greeting)
    unnamed = run_checklist(text).finding("greeting")
    assert "names no one: put their name after" in unnamed.message
    blocking = run_checklist(text, draft, overrides={"greeting": {"severity": "block"}})
    assert blocking.finding("greeting").status == "fail"


@pytest.mark.parametrize("end", ["Best,", "Thanks so much!", "Best regards,\n\n"])
def test_greeting_warns_when_the_email_ends_at_a_sign_off_with_no_name(end):
    text = f"Subject: Notes\n\nHi Ana,\n\nWould you share your notes?\n\n{end}\n"
    finding = run_checklist(text).finding("greeting")
    assert finding.status == "warn"
    assert "with no name: sign it with yours" in finding.message
    assert text[finding.spans[0].start : finding.spans[0].end] == end.strip()


@pytest.mark.parametrize(
    "end", ["Best,\nSam", "Best, Sam", "— Sam", "Thanks - Sam", "Sam Ortiz", ""]
)
def test_greeting_passes_a_signed_email_or_one_with_no_sign_off(end):
    text = f"Subject: Notes\n\nHi Ana,\n\nWould you share your notes?\n\n{end}\n"
    assert status(text, "greeting") == "pass"


def test_writing_rules_warn_and_never_block():
    report = run_checklist("x")
    for rule in ("subject", "length", "questions", "greeting"):
        finding = report.finding(rule)
        assert finding.status == "warn" and not finding.blocking


def test_every_rule_reports_once_in_order():
    report = run_checklist(SYNCH_UP)
    assert [f.rule for f in report.findings] == list(RULE_IDS)


def test_severity_overrides():
    report = run_checklist(
        SYNCH_UP, overrides={"point": {"severity": "warn"}, "length": {"severity": "block"}}
    )
    assert report.finding("point").status == "warn"
    assert report.finding("length").status == "fail" and report.finding("length").blocking
    off = run_checklist(SYNCH_UP, overrides={"point": {"severity": "off"}})
    assert off.finding("point").status == "skip"


def test_gate_is_open_only_when_no_blocking_rule_fails(example_draft):
    from composer.model import parse_draft

    draft = parse_draft(example_draft.read_text())
    assert run_checklist(render(draft).text, draft).sendable
    assert not run_checklist(SYNCH_UP).sendable


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "Subject:",
        "Subject: only",
        "?" * 500,
        "🙂" * 50,
        "Hi,\r\n\r\nCRLF text?\r\n",
        "a\x00b",
        "\u202eRTL override\u202c?",
        "e\u0301" * 30,
        "[" * 200,
        "{{" * 300,
    ],
)
def test_odd_text_never_raises_and_spans_stay_inside(text):
    report = run_checklist(text)
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    for finding in report.findings:
        for span in finding.spans:
            assert 0 <= span.start < span.end <= len(normalised)


def test_stats():
    stats = run_checklist("Subject: x\n\nHi Ana,\n\nOne two three? Four five.\n\nBest,\nBo\n").stats
    assert stats.questions == 1
    assert stats.words == 7  # "Hi Ana" and the five body words; the signature is not counted


def test_word_keyed_scan_finds_what_a_full_scan_finds():
    """`Cues.scan` tries each pattern only where a word it can start with begins;
    on every corpus email it must find hits in the same sentences as scanning
    every position (before doc.py drops the ones inside links)."""
    from corpus_agreement import load

    from composer.checklist.data import load_cues
    from composer.checklist.doc import Doc

    cues = load_cues()
    for name in ("dev", "holdout"):
        for stem, text, _ in load(name):
            doc = Doc(text)
            if not doc.sentences:
                continue
            start, end = doc.sentences[0].start, doc.sentences[-1].end
            scanned = cues.scan(doc._norm, start, end)
            for cls in cues.body_classes:
                full = {
                    doc.sentence_at(a).start
                    for a, _ in cues.finditer(
                        cls, doc._norm, doc.sentences[0].start, doc.sentences[-1].end
                    )
                    if doc.sentence_at(a)
                }
                fast = {
                    doc.sentence_at(a).start for a, _ in scanned.get(cls, ()) if doc.sentence_at(a)
                }
                assert fast == full, (stem, cls)


def test_rules_toml_order_is_the_checklist_order():
    from composer.checklist.data import load_rules

    assert list(load_rules()) == list(RULE_IDS)


def test_cue_patterns_in_lower_cased_classes_have_no_capitals():
    from composer.checklist.data import Cues

    with pytest.raises(ValueError, match="capitals"):
        Cues({"bad": {"patterns": [r"\bWould you\b"]}})


def test_a_plea_names_a_deliverable_only_when_it_asks_for_one():
    base = "Subject: Role\n\nHi Ana,\n\n{}\n\nBest,\nBo\n"
    assert status(base.format("Any help would be greatly appreciated."), "point") == "fail"
    assert (
        status(base.format("Do you know anyone who might be a fit for our SRE role?"), "point")
        == "pass"
    )


def test_a_draft_field_hint_still_needs_a_benefit():
    draft = Draft(wiift="Hope you are well.")
    text = "Subject: Hi\n\nHi Ana,\n\nHope you are well.\n"
    assert status(text, "wiift", draft) == "fail"


def test_a_line_ending_in_a_link_ends_its_sentence():
    from composer.checklist.doc import Doc

    doc = Doc(
        "Subject: x\n\nHi Ana,\n\nMy notes: https://example.com/n\nHappy to share more if useful.\n"
    )
    assert [s.text for s in doc.sentences] == [
        "My notes: https://example.com/n",
        "Happy to share more if useful.",
    ]
