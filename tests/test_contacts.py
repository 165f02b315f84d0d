"""Contacts (`outreach contacts`): made from sends, edited, imported from
LinkedIn's export or a plain CSV (hostile rows skipped and counted), and
`outreach followups`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from composer.contacts import MAX_FIELD, parse_contacts_csv
from composer.model import Email
from composer.senders import record_send
from composer.storage import Paths
from composer.store import open_store

LINKEDIN = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing. You will only see email addresses for connections who have allowed it."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Dana,Kim,https://www.linkedin.com/in/danakim,Dana@Example.com,Acme,Head of Data,02 Dec 2026\n"
    "Ravi,Shah,https://www.linkedin.com/in/ravi,,Northwind,Sourcer,01 Dec 2026\n"
    '"O\'Neil, Jr",Pat,https://www.linkedin.com/in/pat,pat@example.org,"Blue, Inc",CTO,03 Jan 2025\n'
    "Lee,Wu,https://www.linkedin.com/in/lee,lee at example.com,X,Y,03 Jan 2025\n"
)


@pytest.fixture
def paths(tmp_path):
    return Paths(config=tmp_path, data=tmp_path)


def test_a_linkedin_export_with_its_notes_lines():
    found = parse_contacts_csv(LINKEDIN)
    dana, pat = found.contacts
    assert (dana.address, dana.name, dana.company, dana.role) == (
        "dana@example.com",
        "Dana Kim",
        "Acme",
        "Head of Data",
    )
    assert dana.url == "https://www.linkedin.com/in/danakim" and dana.connected == "02 Dec 2026"
    assert (pat.name, pat.company) == ("O'Neil, Jr Pat", "Blue, Inc")
    assert found.skipped == [(6, "no email address"), (8, "not an email address")]


def test_a_plain_csv_with_or_without_its_heading():
    headed = parse_contacts_csv("name,email,company,role\nAna Ruiz,ana@x.io,Acme,CTO\n")
    bare = parse_contacts_csv("Ana Ruiz,ana@x.io,Acme,CTO\n")
    for found in (headed, bare):
        (ana,) = found.contacts
        assert (ana.name, ana.address, ana.company, ana.role) == (
            "Ana Ruiz",
            "ana@x.io",
            "Acme",
            "CTO",
        )
        assert found.skipped == []


def test_hostile_rows_are_skipped_and_said_why():
    text = (
        "name,email,company,role\n"
        f"Huge,huge@x.io,{'A' * (MAX_FIELD + 1)},r\n"
        "Nul,nul@x.io,Ac\0me,r\n"
        "Twice,ana@x.io,,\n"
        "Ana,ANA@x.io,,\n"
        '"Broken,broken@x.io,"never closed\n'
    )
    found = parse_contacts_csv(text)
    assert [c.name for c in found.contacts] == ["Twice"]
    reasons = dict(found.skipped)
    assert reasons[2] == f"malformed (a field over {MAX_FIELD} characters)"
    assert reasons[3] == "malformed (a NUL character)"
    assert reasons[5] == "the same address as line 4"
    assert len(found.skipped) == 4


def test_import_reports_counts_and_escapes_what_it_shows(paths, run_cli, tmp_path):
    csv_file = tmp_path / "Connections.csv"
    csv_file.write_text(LINKEDIN + "Esc\x1b]0;x\x07,,,esc@x.io,,,\n", encoding="utf-8")
    result = run_cli("contacts", "import", str(csv_file), "--home", str(paths.data))
    assert result.code == 0, result.err
    assert "Read 3 contacts" in result.out and "3 new" in result.out
    assert "Skipped 2 rows: 1 no email address, 1 not an email address." in result.out
    assert "  line 6: no email address\n" in result.out
    listed = run_cli("contacts", "--home", str(paths.data)).out
    assert "\x1b" not in listed and "Esc]0;x <esc@x.io>" in listed, "controls are not kept"
    assert "Dana Kim <dana@example.com>  Acme, Head of Data  no emails yet" in listed


def test_a_file_that_is_not_a_csv_is_one_line(paths, run_cli, tmp_path):
    missing = run_cli("contacts", "import", str(tmp_path / "none.csv"), "--home", str(paths.data))
    assert missing.code == 2 and missing.err.count("\n") == 1 and "no such file" in missing.err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,email\nJos\xe9,j@x.io\n".encode("latin-1"))
    result = run_cli("contacts", "import", str(latin), "--home", str(paths.data))
    assert result.code == 2 and "not valid UTF-8" in result.err and str(latin) in result.err


def test_sends_make_contacts_and_edits_and_imports_keep_what_you_wrote(paths, run_cli, tmp_path):
    record_send(paths, Email("Hello", "Hi Dana,\n", "Dana@Example.com"), "Dana")
    home = ("--home", str(paths.data))
    edited = run_cli(
        "contacts",
        "edit",
        "dana@example.com",
        "--met",
        "PyCon 2026",
        "--notes",
        "likes data",
        *home,
    )
    assert edited.code == 0 and edited.out == "Saved Dana <dana@example.com>\n"
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(LINKEDIN)
    assert "1 updated" in run_cli("contacts", "import", str(csv_file), *home).out
    with open_store(paths) as store:
        dana = store.contact("DANA@example.com")
    assert (dana.name, dana.met, dana.notes, dana.company) == (
        "Dana",
        "PyCon 2026",
        "likes data",
        "Acme",
    )
    shown = run_cli("contacts", "show", "dana@example.com", *home).out
    assert "  met: PyCon 2026\n" in shown and "#1  " in shown and "Hello" in shown


@pytest.mark.parametrize(
    ("args", "told"),
    [
        (["edit", "not-an-address", "--notes", "x"], "not an email address"),
        (["edit", "a@x.io"], "say what to set"),
        (["show", "nobody@x.io"], "no such contact"),
    ],
)
def test_contact_mistakes_are_one_line(paths, run_cli, args, told):
    result = run_cli("contacts", *args, "--home", str(paths.data))
    assert result.code == 2 and result.err.count("\n") == 1 and told in result.err


def test_followups_oldest_first_without_replies_or_answered_threads(paths, run_cli):
    now = datetime.now(UTC)
    for days, subject, to in (
        (20, "First to Ana", "ana@x.io"),
        (12, "Bo's email", "bo@x.io"),
        (10, "Ana again", "ana@x.io"),
        (9, "Cy, answered", "cy@x.io"),
        (2, "Too recent", "di@x.io"),
    ):
        record_send(paths, Email(subject, "Hi\n", to), to[:2], now=now - timedelta(days=days))
    home = ("--home", str(paths.data))
    assert run_cli("history", "reply", "4", *home).code == 0
    lines = run_cli("followups", *home).out.splitlines()
    assert [line.split("  ")[0] for line in lines] == ["#2", "#3"]
    assert lines[0].endswith("Bo's email  (12 days, no reply)")
    assert len(run_cli("followups", "--days", "1", *home).out.splitlines()) == 3
    (paths.config / "config.toml").write_text("[followups]\nafter_days = 11\n")
    assert [line.split("  ")[0] for line in run_cli("followups", *home).out.splitlines()] == ["#2"]


def test_followups_config_mistakes_are_warned_and_defaulted(paths, run_cli):
    (paths.config / "config.toml").write_text("[followups]\nafter_dayz = 3\n")
    result = run_cli("followups", "--home", str(paths.data))
    assert "unknown key 'after_dayz' in [followups] (did you mean 'after_days'?)" in result.err
    assert result.out == "No one is due a follow-up (no reply after 7 days).\n"
    (paths.config / "config.toml").write_text("[followups]\nafter_days = -1\n")
    assert "after_days must be 0 or more" in run_cli("followups", "--home", str(paths.data)).err


def test_only_a_line_break_ends_a_row_and_controls_are_removed():
    found = parse_contacts_csv(
        '"A\x0cB",a@x.co\n"C\x1cD\u2028E\x85F",c@x.co\nGi\x1b[31m,g@x.co\nBad,"b\x01@x.co"\nLast,l@x.co\n'
    )
    assert [(c.name, c.address) for c in found.contacts] == [
        ("AB", "a@x.co"),
        ("CD EF", "c@x.co"),
        ("Gi[31m", "g@x.co"),
        ("Bad", "b@x.co"),
        ("Last", "l@x.co"),
    ]
    assert found.skipped == []


@pytest.mark.parametrize("address", ["a[b]@x.co", "a@x.co]", "a@[x].co"])
def test_brackets_are_no_address(address):
    from composer.contacts import is_address

    assert not is_address("a\x01b@x.co") and not is_address("a@x.co\x7f")
    found = parse_contacts_csv(f"Ana,{address}\n")
    assert found.contacts == [] and found.skipped == [(1, "not an email address")]


def test_an_unmatched_quote_skips_its_line_not_the_rest_of_the_file():
    rows = "".join(f"P{n},p{n}@x.co\n" for n in range(200))
    found = parse_contacts_csv('Ana,a@x.co\n"Bo,bo@x.co\n' + rows)
    assert len(found.contacts) == 201
    assert [line for line, _ in found.skipped] == [2]
    assert found.skipped[0][1].startswith("malformed")
    assert found.contacts[-1].name == "P199"
    headed = parse_contacts_csv('name,email\nAna,"a@x.co\nBo,b@x.co\n')
    assert [c.name for c in headed.contacts] == ["Bo"] and headed.skipped[0][0] == 2


def test_one_skipped_row_is_one_row(paths, run_cli, tmp_path):
    csv_file = tmp_path / "plain.csv"
    csv_file.write_text("name,email\nAna Ruiz,ana@example.com\nNo Address,\n", encoding="utf-8")
    result = run_cli("contacts", "import", str(csv_file), "--home", str(paths.data))
    assert "Skipped 1 row: 1 no email address." in result.out


def test_a_send_gives_its_contact_the_company_and_role_the_form_had(paths, run_cli):
    email = Email("Hello", "Hi Ana,\n", "ana@yamlette.dev")
    record_send(paths, email, "Ana Ruiz", company="Yamlette", role="Maintainer")
    line = paths.history.read_text(encoding="utf-8")
    assert '"company": "Yamlette"' in line and '"role": "Maintainer"' in line
    home = ("--home", str(paths.data))
    assert run_cli("contacts", "edit", "ana@yamlette.dev", "--role", "Lead", *home).code == 0
    # A later send with other words fills nothing the contact already has.
    record_send(paths, email, "Ana", company="Other Co", role="Intern")
    with open_store(paths) as store:
        ana = store.contact("ana@yamlette.dev")
    assert (ana.name, ana.company, ana.role) == ("Ana Ruiz", "Yamlette", "Lead")


def test_a_send_without_company_or_role_writes_the_line_as_before(paths):
    record_send(paths, Email("Hello", "Hi\n", "a@x.io"), "Ana")
    assert (
        '"company"' not in paths.history.read_text() and '"role"' not in paths.history.read_text()
    )
