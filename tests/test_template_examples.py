"""A template's [examples] (the form's grey text for its kind of email) and
[defaults] (text a draft starts with): read, checked, kept, and never rendered
behind the user's back."""

from __future__ import annotations

import pytest

from composer.checklist import run_checklist
from composer.model import DRAFT_FIELDS, Draft, InputError, Recipient, Sender
from composer.render import render
from composer.templates_store import (
    TemplateStore,
    parse_template,
    template_toml,
    with_defaults,
)

HEAD = 'name = "t"\nsubject = "{{ subject }}"\nbody = "{{ point }}"\n'


def test_examples_are_read_by_field_with_the_recipient_table():
    text = HEAD + (
        '[examples]\npoint = "Would you look at it?"\n'
        '[examples.recipient]\nname = "Lena Fischer"\nrole = "Maintainer"\n'
    )
    spec = parse_template(text, "t.toml", "test", "t")
    assert spec.examples == {
        "point": "Would you look at it?",
        "recipient.name": "Lena Fischer",
        "recipient.role": "Maintainer",
    }


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[examples]\npoitn = "x"\n', r"unknown field 'poitn' in \[examples\]"),
        ("[examples]\npoint = 3\n", r"\[examples\] point must be text"),
        ('examples = "x"\n', r"'examples' must be a table \(\[examples\]\)"),
        ('[examples.recipient]\nage = "x"\n', r"unknown key 'age' in \[examples.recipient\]"),
        ('[examples]\nrecipient = "Lena"\n', "'recipient' in \\[examples\\] must be a table"),
        ("[defaults.recipient]\nname = 1\n", r"\[defaults.recipient\] name must be text"),
    ],
)
def test_bad_examples_and_defaults_are_refused_by_name(table, message):
    with pytest.raises(InputError, match=message):
        parse_template(HEAD + table, "bad.toml", "test", "bad")


def test_examples_and_recipient_defaults_survive_a_write_and_read():
    text = HEAD + (
        '[defaults]\noffer = "The deck."\n[defaults.recipient]\ncompany = "Acme"\n'
        '[examples]\nsubject = "A fix"\n[examples.recipient]\nemail = "lena@example.org"\n'
    )
    spec = parse_template(text, "t.toml", "test", "t")
    again = parse_template(template_toml(spec), "again.toml", "test", "t")
    assert (
        again.examples
        == spec.examples
        == {"subject": "A fix", "recipient.email": "lena@example.org"}
    )
    assert again.defaults == spec.defaults == {"offer": "The deck.", "recipient.company": "Acme"}


def test_examples_never_reach_the_email():
    spec = parse_template(
        HEAD + '[examples]\npoint = "Would you look at it?"\nsubject = "A fix"\n',
        "t.toml",
        "test",
        "t",
    )
    email = render(Draft(), spec)
    assert email.text == "Subject:\n\n\n"


def test_defaults_are_put_into_empty_fields_not_rendered_in_behind_them():
    spec = parse_template(
        HEAD.replace("{{ point }}", "{{ offer }} {{ recipient.company }}")
        + '[defaults]\noffer = "The deck."\n[defaults.recipient]\ncompany = "Acme"\n',
        "d.toml",
        "test",
        "d",
    )
    assert render(Draft(), spec).body == "\n"
    filled, put = with_defaults(Draft(), spec)
    assert (filled.offer, filled.recipient.company) == ("The deck.", "Acme")
    assert put == {"offer": "The deck.", "recipient.company": "Acme"}
    assert render(filled, spec).body == "The deck. Acme\n"
    mine, put = with_defaults(Draft(offer="Mine.", recipient=Recipient(company="Zeta")), spec)
    assert (mine.offer, mine.recipient.company, put) == ("Mine.", "Zeta", {})


def _example_draft(spec) -> Draft:
    """The draft a user gets by typing each grey example of `spec` into its field."""
    examples = spec.examples
    recipient = {k.removeprefix("recipient."): v for k, v in examples.items() if "." in k}
    return Draft(
        **{name: examples[name] for name in DRAFT_FIELDS},
        template=spec.name,
        recipient=Recipient(**recipient),
        sender=Sender(name="Sam Ortiz"),
    )


@pytest.mark.parametrize("spec", TemplateStore().listed(), ids=lambda spec: spec.name)
def test_every_builtin_filled_with_its_own_examples_is_ready_to_send(spec):
    assert set(spec.examples) >= {*DRAFT_FIELDS, "recipient.name", "recipient.role"}
    draft = _example_draft(spec)
    email = render(draft, spec.name)
    report = run_checklist(email.text, draft)
    assert report.sendable, (spec.name, [f.message for f in report.blockers])
    advice = [f.message for f in report.findings if f.status not in ("pass", "skip")]
    assert not advice, (spec.name, advice)


def test_builtins_speak_to_more_than_recruiters():
    names = {spec.name for spec in TemplateStore().listed()}
    assert {"maintainer-patch", "student-to-author", "informational-interview"} <= names


def test_the_profile_line_about_you_signs_the_builtins():
    draft = Draft(
        point="Would you look at it?",
        sender=Sender(name="Sam Ortiz", bio="I maintain the pathkit library."),
    )
    for spec in TemplateStore().listed():
        body = render(draft, spec.name).body
        assert body.endswith("Sam Ortiz\nI maintain the pathkit library.\n"), spec.name


def test_a_draft_file_leaning_on_its_templates_default_still_renders_it(run_cli, tmp_path):
    draft = tmp_path / "old.toml"
    draft.write_text('template = "share-article"\npoint = "Would you try it?"\n')
    result = run_cli("render", "--draft", str(draft), "--home", str(tmp_path / "home"))
    assert result.code == 0, result.err
    assert "No reply needed: I just thought you'd find it useful." in result.out


def test_a_template_keeps_the_recipient_only_when_asked():
    from composer.templates_store import template_from_email

    values = {"point": "Would you look?", "recipient.name": "Lena Fischer"}
    body = "Hi Lena Fischer,\n\nWould you look?\n"
    plain = template_from_email("t", "", "Hi", body, values, keep={"context", "offer"})
    assert plain.defaults == {} and "Lena" not in plain.body
    kept = template_from_email("t", "", "Hi", body, values, keep={"recipient.name"})
    assert kept.defaults == {"recipient.name": "Lena Fischer"}
    draft, _ = with_defaults(Draft(), kept)
    assert draft.recipient.name == "Lena Fischer" and draft.point == ""


def test_examples_survive_import_and_export(run_cli, tmp_path):
    source = tmp_path / "mine.toml"
    source.write_text(
        HEAD.replace('name = "t"', 'name = "mine"')
        + '[examples]\npoint = "Would you look at it?"\n[examples.recipient]\nname = "Lena Fischer"\n'
    )
    home = str(tmp_path / "home")
    assert run_cli("templates", "import", str(source), "--home", home).code == 0
    exported = tmp_path / "out.toml"
    assert run_cli("templates", "export", "mine", str(exported), "--home", home).code == 0
    back = parse_template(exported.read_text(), str(exported), "test", "mine")
    assert back.examples == {"point": "Would you look at it?", "recipient.name": "Lena Fischer"}
