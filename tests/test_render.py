"""Rendering: built-in templates, the sandbox, and one typed error for every failure."""

from __future__ import annotations

import pytest

from composer.checklist import run_checklist
from composer.model import Draft, Recipient, Sender, parse_draft
from composer.render import render
from composer.templates_store import DEFAULT_TEMPLATE, TemplateError, TemplateStore, parse_template


@pytest.fixture
def draft(example_draft) -> Draft:
    return parse_draft(example_draft.read_text(), str(example_draft))


def template(body: str, subject: str = "hi", name: str = "t"):
    text = f'name = "{name}"\nsubject = """{subject}"""\nbody = """\n{body}"""\n'
    return parse_template(text, f"{name}.toml", "test", name)


def test_at_least_five_builtins_each_render_the_example(draft):
    store = TemplateStore()
    listed = store.listed()
    assert len(listed) >= 5
    for spec in listed:
        email = render(draft, spec.name)
        assert email.subject == "Your ERE talk: our numbers"
        assert email.body.startswith("Hi Heather,\n\n")
        for field in ("point", "offer", "research"):
            assert getattr(draft, field) in email.body, (spec.name, field)


def test_default_template_turns_a_complete_draft_into_a_sendable_email(draft):
    draft.template = ""
    email = render(draft)
    report = run_checklist(email.text, draft)
    assert report.sendable, [f.message for f in report.blockers]
    for finding in report.findings:
        assert finding.status in ("pass", "skip"), (finding.rule, finding.message)
    assert DEFAULT_TEMPLATE == "share-and-ask"


def test_email_text_is_subject_blank_line_body(draft):
    email = render(draft)
    assert email.text == f"Subject: {email.subject}\n\n{email.body}"
    assert email.body.endswith("\n") and not email.body.endswith("\n\n")
    assert "\n\n\n" not in email.body


def test_empty_fields_leave_no_holes():
    email = render(Draft(point="Would you review my draft?", recipient=Recipient(name="Ana Ruiz")))
    assert email.body == "Hi Ana,\n\nWould you review my draft?\n\nBest,\n"


def test_user_text_is_never_executed():
    hostile = "{{ ''.__class__.__mro__ }} {% for x in range(3) %}x{% endfor %}"
    email = render(Draft(point=hostile), template("{{ point }}"))
    assert hostile in email.body


def test_subject_is_one_line():
    email = render(Draft(subject="Two\nlines"), template("x", subject="{{ subject }}"))
    assert email.subject == "Two lines"


@pytest.mark.parametrize(
    "body",
    [
        "{{ cycler.__init__.__globals__ }}",
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ recipient.__class__ }}",
        "{{ 'x' * 100000000 }}",
        "{{ 10 ** 1000000 }}",
    ],
)
def test_sandbox_refuses_escapes_and_blowups(body):
    with pytest.raises(TemplateError) as caught:
        render(Draft(), template(body))
    assert caught.value.template == "t"
    assert "not allowed" in caught.value.message or "undefined" in caught.value.message


def test_undefined_variable_names_template_and_file_line():
    with pytest.raises(TemplateError) as caught:
        render(Draft(), template("line one\n{{ recipient.nmae }}\n"))
    error = caught.value
    assert error.template == "t"
    assert error.line == 5  # name, subject, body = """, "line one", then the bad line
    assert "nmae" in error.message


def test_syntax_error_names_line():
    with pytest.raises(TemplateError) as caught:
        render(Draft(), template("ok\n\n{% if point %}unclosed\n"))
    assert caught.value.line is not None
    assert "syntax error" in caught.value.message


def test_missing_template():
    with pytest.raises(TemplateError, match="no such template"):
        render(Draft(), "does-not-exist")
    with pytest.raises(TemplateError, match="'nope', which does not exist"):
        render(Draft(), template('{% extends "nope" %}'))


def test_a_template_that_extends_itself():
    with pytest.raises(TemplateError, match="extends or includes itself") as caught:
        render(Draft(), template('{% extends "loop" %}', name="loop"))
    assert caught.value.template == "loop"


def test_an_include_cycle_between_two_templates():
    a = template('{% include "b" %}', name="a")
    b = template('{% include "a" %}', name="b")
    store = TemplateStore(extra=[a, b])
    with pytest.raises(TemplateError, match="a → b → a"):
        render(Draft(), "a", store)


def test_a_user_template_may_extend_the_builtin_base():
    spec = template('{% extends "_base" %}{% block content %}{{ point }}{% endblock %}')
    email = render(
        Draft(point="One ask?", recipient=Recipient(name="Ana"), sender=Sender(name="Bo")), spec
    )
    assert email.body == "Hi Ana,\n\nOne ask?\n\nBest,\nBo\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('subject = "x"\n', "needs 'body'"),
        ('subject = "x"\nbody = 3\n', "needs 'body'"),
        ('subject = "x"\nbody = "y"\nextra = 1\n', "unknown key 'extra'"),
        ('subject = "x"\nbody = "y"\n[defaults]\nofer = "z"\n', "unknown field 'ofer'"),
    ],
)
def test_bad_template_files_are_refused_by_name(text, message):
    from composer.model import InputError

    with pytest.raises(InputError, match=message):
        parse_template(text, "bad.toml", "test", "bad")


def test_sentences_filter_never_glues_a_bare_link_to_the_next_field():
    spec = template("{{ [offer, wiift] | sentences }}")
    email = render(Draft(offer="Notes: https://example.com/n", wiift="Happy to share more."), spec)
    assert email.body == "Notes: https://example.com/n\nHappy to share more.\n"
    email = render(Draft(offer="Here are my notes.", wiift="Happy to share more."), spec)
    assert email.body == "Here are my notes. Happy to share more.\n"
    assert render(Draft(wiift="Only this."), spec).body == "Only this.\n"


def test_an_email_turned_back_into_a_template_renders_the_same_email(draft):
    from composer.templates_store import template_from_email, with_defaults

    email = render(draft)
    values = {
        f: getattr(draft, f) for f in ("subject", "context", "research", "point", "wiift", "offer")
    }
    values |= {"recipient.first_name": draft.recipient.first_name, "sender.name": draft.sender.name}
    spec = template_from_email("mine", "", email.subject, email.body, values, keep={"offer"})
    assert "{{ point }}" in spec.body and "{{ recipient.first_name" in spec.body
    assert spec.subject == "{{ subject }}"
    assert spec.defaults == {"offer": draft.offer}
    assert render(draft, spec).text == email.text
    other, _ = with_defaults(
        Draft(point="Another ask?", recipient=Recipient(name="Ana Ruiz")), spec
    )
    assert "Hi Ana," in render(other, spec).body and draft.offer in render(other, spec).body


def test_a_saved_templates_greeting_reads_hi_there_until_the_recipient_is_filled(draft):
    from composer.templates_store import template_from_email

    email = render(draft)
    values = {"recipient.first_name": draft.recipient.first_name, "point": draft.point}
    spec = template_from_email("mine", "", email.subject, email.body, values, keep=set())
    assert render(Draft(point="Any ask?"), spec).body.startswith("Hi there,\n")
    named = Draft(point="Any ask?", recipient=Recipient(name="Ana Ruiz"))
    assert render(named, spec).body.startswith("Hi Ana,\n")


def test_jinja_syntax_typed_by_the_user_stays_text_in_a_saved_template():
    from composer.templates_store import template_from_email

    spec = template_from_email("t", "", "Hi", "Use {{ x }} and {% raw %} here.\n", {}, set())
    assert render(Draft(), spec).body == "Use {{ x }} and {% raw %} here.\n"


@pytest.mark.parametrize(
    "body",
    [
        "{{ 'x'.ljust(10000000000)[:1] }}",
        "{{ 'x'.center(10000000000)[:1] }}",
        "{{ ('%099999999999d' % 1)[:1] }}",
        "{{ '{:>99999999999}'.format(1)[:1] }}",
        "{{ ('x' | center(10000000000))[:1] }}",
        "{{ ('%099999999999d' | format(1))[:1] }}",
    ],
)
def test_sandbox_bounds_padding_and_format_widths(body):
    with pytest.raises(TemplateError, match="not allowed"):
        render(Draft(), template(body))


def test_braces_next_to_a_field_survive_a_saved_template():
    from composer.templates_store import template_from_email

    spec = template_from_email(
        "t", "", "Re: {Alice} idea", "Hi {Alice}}\n", {"recipient.name": "Alice"}, set()
    )
    email = render(Draft(recipient=Recipient(name="Alice")), spec)
    assert email.subject == "Re: {Alice} idea" and email.body == "Hi {Alice}}\n"
