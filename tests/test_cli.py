"""The `outreach` command's contracts: output, JSON shape, exit codes, errors."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest

from composer import __version__
from composer.checklist import RULE_IDS

GOOD = """Subject: Your ERE talk on blogs

Hi Heather,

I was in the room for your ERE talk in October on sourcing through blogs, and we
tried your comment-trail idea on our firmware roles. I wrote up the results here:
https://example.com/notes.pdf - you're welcome to use any of it.

Would you tell me how you decide which blogs are worth a sourcer's time? If it's
useful, I'm happy to share our reply-rate data for your next talk.

Best,
Sam
"""

SYNCH_UP = """Subject: Synch up?

Hi Heather,

I'd love to synch up sometime. Let me know when works!

Thanks,
Greg
"""


def test_check_sendable_email_exits_0(run_cli, tmp_path):
    path = tmp_path / "email.txt"
    path.write_text(GOOD)
    result = run_cli("check", str(path))
    assert result.code == 0, result.out
    assert "Sendable." in result.out
    assert "✓ point" in result.out


def test_check_blocked_email_exits_1_and_names_the_blockers(run_cli, tmp_path):
    path = tmp_path / "email.txt"
    path.write_text(SYNCH_UP)
    result = run_cli("check", str(path))
    assert result.code == 1
    assert "✗ point" in result.out
    assert "Blocked by:" in result.out and "point" in result.out.split("Blocked by:")[1]


def test_human_output_groups_tips_antipatterns_writing(run_cli, tmp_path):
    path = tmp_path / "email.txt"
    path.write_text(GOOD)
    out = run_cli("check", str(path)).out
    assert out.index("Tips") < out.index("Anti-patterns") < out.index("Writing")
    assert "\033[" not in out  # not a tty: no colour


def test_json_has_every_rule_and_the_documented_shape(run_cli):
    result = run_cli("check", "-", "--json", stdin=SYNCH_UP)
    assert result.code == 1
    data = json.loads(result.out)
    assert set(data) == {"sendable", "findings", "stats"}
    assert data["sendable"] is False
    assert [f["rule"] for f in data["findings"]] == list(RULE_IDS)
    for finding in data["findings"]:
        # The grammar finding adds each slip's details (empty without --grammar).
        extra = {"matches"} if finding["rule"] == "grammar" else set()
        shape = {"rule", "status", "blocking", "message", "tip", "spans", "accepted"}
        assert set(finding) == shape | extra
        assert finding["accepted"] is False
        assert finding.get("matches", []) == []
        assert finding["status"] in {"pass", "fail", "warn", "skip"}
        assert isinstance(finding["blocking"], bool)
        assert finding["message"] and finding["tip"]
        for span in finding["spans"]:
            assert 0 <= span["start"] < span["end"] <= len(SYNCH_UP)
    assert set(data["stats"]) == {"words", "questions", "grade"}
    assert data["stats"]["questions"] == 0


def test_json_spans_point_at_the_words_that_trip_the_rule(run_cli):
    data = json.loads(run_cli("check", "-", "--json", stdin=SYNCH_UP).out)
    point = next(f for f in data["findings"] if f["rule"] == "point")
    words = [SYNCH_UP[s["start"] : s["end"]] for s in point["spans"]]
    assert any("synch up" in w for w in words), words


def test_check_a_draft_renders_it_first(run_cli, example_draft):
    result = run_cli("check", str(example_draft))
    assert result.code == 0, result.out


def test_check_an_eml(run_cli, tmp_path):
    eml = tmp_path / "mail.eml"
    eml.write_bytes(
        b"From: sam@example.com\r\nTo: heather@example.com\r\nSubject: Your ERE talk on blogs\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        + GOOD.split("\n\n", 1)[1].replace("\n", "\r\n").encode()
    )
    result = run_cli("check", str(eml), "--json")
    assert result.code == 0, result.out
    assert json.loads(result.out)["sendable"] is True


def test_render_prints_exactly_the_email(run_cli, example_draft):
    result = run_cli("render", "--draft", str(example_draft))
    assert result.code == 0
    assert result.out.startswith("Subject: Your ERE talk: our numbers\n\nHi Heather,\n\n")
    assert result.out.endswith("Sam Ortiz\nSenior Recruiter, Northwind\n")


def test_render_with_another_template_and_a_template_file(run_cli, example_draft, tmp_path):
    named = run_cli("render", "--draft", str(example_draft), "--template", "offer-intro")
    assert named.code == 0
    own = tmp_path / "mine.toml"
    own.write_text(
        'name = "mine"\nsubject = "Re: {{ subject }}"\nbody = "Hello {{ recipient.first_name }}. {{ point }}"\n'
    )
    result = run_cli("render", "--draft", str(example_draft), "--template", str(own))
    assert result.code == 0, result.err
    assert result.out.startswith(
        "Subject: Re: Your ERE talk: our numbers\n\nHello Heather. Would you"
    )


def test_templates_lists_builtins_with_descriptions(run_cli):
    result = run_cli("templates")
    assert result.code == 0
    names = [line.split()[0] for line in result.out.splitlines()]
    assert len(names) >= 5
    assert "share-and-ask" in names
    assert not any(n.startswith("_") for n in names)  # partials are not offered


def test_version_and_help(run_cli):
    assert run_cli("--version").out.strip() == f"outreach {__version__}"
    for command in ([], ["check"], ["render"], ["templates"]):
        result = run_cli(*command, "--help")
        assert result.code == 0
        assert "usage: outreach" in result.out


BAD_INPUTS = {
    "missing": (None, "no such file"),
    "binary": (b"\x00\x01\x02PNG", "binary data"),
    "latin1": (b"Subject: caf\xe9\n\nhello", "not valid UTF-8"),
    "invalid toml": (b'subject = "unterminated\n', "invalid TOML"),
    "unknown key": (b'subjet = "hi"\n', "did you mean 'subject'"),
    "wrong type": (b"point = 3\n", "'point' must be text"),
    "undefined variable": (b'template = "nope"\n', "no such template"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_exits_2_with_one_line(run_cli, tmp_path, case):
    data, expected = BAD_INPUTS[case]
    path = tmp_path / ("draft.toml" if case not in ("binary", "latin1") else "email.txt")
    if data is not None:
        path.write_bytes(data)
    result = run_cli("check", str(path))
    assert result.code == 2
    assert result.out == ""
    assert expected in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_a_directory_and_an_unreadable_file_exit_2(run_cli, tmp_path):
    assert run_cli("check", str(tmp_path)).code == 2
    locked = tmp_path / "locked.txt"
    locked.write_text("hello")
    locked.chmod(0)
    if os.geteuid() != 0:  # root reads anything
        result = run_cli("check", str(locked))
        assert result.code == 2 and "permission denied" in result.err


def test_template_errors_exit_2_with_template_and_line(run_cli, example_draft, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(
        'name = "broken"\nsubject = "hi"\nbody = """\nHello\n{{ recipient.nmae }\n"""\n'
    )
    result = run_cli("render", "--draft", str(example_draft), "--template", str(broken))
    assert result.code == 2
    assert "template 'broken', line 5" in result.err
    assert "syntax error" in result.err


def test_usage_errors_exit_2(run_cli):
    # `check` without FILE reads a piped stdin: tests/test_check_stdin.py
    assert run_cli("check", "one.txt", "two.txt").code == 2
    assert run_cli("frobnicate").code == 2
    result = run_cli("render")
    assert result.code == 2 and "--draft" in result.err


def test_template_option_refused_for_plain_text(run_cli, tmp_path):
    path = tmp_path / "email.txt"
    path.write_text(GOOD)
    result = run_cli("check", str(path), "--template", "offer-intro")
    assert result.code == 2 and "applies to drafts" in result.err


def _run(args, env=None, stdin=None):
    return subprocess.run(
        [sys.executable, "-P", "-m", "composer", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=stdin,
    )


def test_python_dash_m_and_no_color(tmp_path):
    path = tmp_path / "email.txt"
    path.write_text(SYNCH_UP)
    result = _run(["check", str(path)], env={"NO_COLOR": "1"})
    assert result.returncode == 1
    assert "\033[" not in result.stdout


def test_ascii_terminal_gets_ascii_marks(tmp_path):
    path = tmp_path / "email.txt"
    path.write_text(SYNCH_UP)
    result = _run(["check", str(path)], env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1
    assert "x point" in result.stdout


def test_an_eml_piped_on_stdin_is_read_as_a_message(run_cli):
    message = (
        "From: sam@example.com\nTo: heather@example.com\nDate: Tue, 1 Oct 2024 10:00:00 +0000\n"
        "Subject: Your ERE talk on blogs\n\n" + GOOD.split("\n\n", 1)[1]
    )
    data = json.loads(run_cli("check", "-", "--json", stdin=message).out)
    assert data["sendable"] is True  # the headers are not read as the body


def test_a_drafts_template_path_is_relative_to_the_draft(run_cli, tmp_path):
    (tmp_path / "mine.toml").write_text(
        'subject = "{{ subject }}"\nbody = "Yo {{ recipient.first_name }}"\n'
    )
    draft = tmp_path / "draft.toml"
    draft.write_text('template = "mine.toml"\nsubject = "Hi"\n[recipient]\nname = "Ana Ruiz"\n')
    result = run_cli("render", "--draft", str(draft))
    assert result.code == 0, result.err
    assert result.out == "Subject: Hi\n\nYo Ana\n"


def test_ascii_output_keeps_quotes_readable(tmp_path):
    path = tmp_path / "email.txt"
    path.write_text(SYNCH_UP)
    result = _run(["check", str(path)], env={"PYTHONIOENCODING": "ascii"})
    assert '"' in result.stdout and "?I'd" not in result.stdout


def test_running_from_an_uninstalled_checkout_says_how_to_fix_it(tmp_path):
    import shutil
    from pathlib import Path

    import composer

    copy = tmp_path / "composer"
    shutil.copytree(
        Path(composer.__file__).parent, copy, ignore=shutil.ignore_patterns("templates")
    )
    result = subprocess.run(
        [sys.executable, "-P", "-m", "composer", "templates"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "not installed" in result.stderr and "Traceback" not in result.stderr


def test_history_lists_sends_with_home_before_or_after_the_command(run_cli, tmp_path):
    from composer.model import Email
    from composer.senders import record_send
    from composer.storage import Paths

    record_send(
        Paths(config=tmp_path, data=tmp_path),
        Email("Hello", "Hi Ana,\n", "ana@example.com"),
        "Ana Ruiz",
    )
    for args in (["--home", str(tmp_path), "history"], ["history", "--home", str(tmp_path)]):
        result = run_cli(*args)
        assert result.code == 0
        assert "Ana Ruiz <ana@example.com>  Hello" in result.out
    assert (
        "No emails sent to bob@example.com"
        in run_cli("history", "--home", str(tmp_path), "--to", "bob@example.com").out
    )
    full = run_cli("history", "--home", str(tmp_path), "--full").out
    assert "    Subject: Hello" in full


def test_history_skips_a_torn_line_and_says_so(run_cli, tmp_path):
    (tmp_path / "history.jsonl").write_text(
        '{"timestamp": "2026-01-01T00:00:00+00:00", "recipient": "A", "email": "a@x.io", "subject": "S", "text": "t"}\n{"timest'
    )
    result = run_cli("history", "--home", str(tmp_path))
    assert result.code == 0 and "a@x.io" in result.out
    assert "skipped unreadable lines 2" in result.err


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`outreach history --full | head -1`: no message, the exit code of an
    unpiped run (BrokenPipeError is a kind of OSError, caught first)."""
    from pathlib import Path

    from composer.model import Email
    from composer.senders import record_send
    from composer.storage import Paths

    paths = Paths(config=tmp_path, data=tmp_path)
    record_send(paths, Email("Hello", "Hi Ana,\n" + "A line.\n" * 40, "ana@example.com"), "Ana")
    # Output well past a pipe's 64 KB, so writing it must meet the closed end.
    paths.history.write_text(paths.history.read_text() * 2000)
    outreach = Path(sys.executable).with_name("outreach")
    command = f"'{outreach}' history --full --home '{tmp_path}'"
    alone = subprocess.run(command, shell=True, capture_output=True, check=False)
    piped = subprocess.run(
        f'{command} | head -1; echo "${{PIPESTATUS[0]}}"',
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        check=True,
    )
    assert alone.returncode == 0 and len(alone.stdout) > 200_000
    assert piped.stderr == ""
    assert piped.stdout.endswith("\n0\n")


def test_a_closed_pipe_keeps_checks_verdict(tmp_path):
    """`outreach check blocked.txt | true` still exits 1: a pipeline with
    pipefail must not take a blocked email for a sendable one."""
    from pathlib import Path

    email = tmp_path / "blocked.txt"
    email.write_text(SYNCH_UP)
    outreach = Path(sys.executable).with_name("outreach")
    piped = subprocess.run(
        f"'{outreach}' check --json '{email}' --home '{tmp_path}' | true; "
        'echo "${PIPESTATUS[0]}"',
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        check=True,
    )
    assert piped.stderr == ""
    assert piped.stdout == "1\n"


def test_one_word_is_singular(run_cli):
    assert "1 word, 0 questions" in run_cli("check", "-", stdin="Hello").out


@pytest.mark.parametrize("template", ["gone", "gone/own.toml"])
def test_a_restored_draft_whose_template_is_gone_still_opens(
    run_cli, tmp_path, monkeypatch, template
):
    """Plain `outreach` reopens the last draft; a template it names that was
    deleted since (a name, or a file) means the default and a notice, not exit 2."""
    from composer.drafts import claim_new_draft, save_draft
    from composer.model import Draft
    from composer.storage import Paths
    from composer.tui.app import ComposerApp

    paths = Paths(config=tmp_path, data=tmp_path)
    claim = claim_new_draft(paths)
    saved = claim.path
    save_draft(saved, Draft(point="Would you share one number?", template=template))
    claim.release()  # as when the composer that wrote it quit
    opened = []

    def run(app):
        opened.append(app)
        return None

    monkeypatch.setattr(ComposerApp, "run", run)
    result = run_cli("--home", str(tmp_path))
    assert result.code == 0, result.err
    (app,) = opened
    assert app.draft.point == "Would you share one number?"
    assert app.template == "share-and-ask"
    told = app._notices + ([app._unknown_template] if app._unknown_template else [])
    assert any("gone" in note for note in told)


# ----- hostile input on the command line (issue #12, items 9 and 10, and the crashes) -----


def test_stdin_is_read_no_further_than_the_size_limit(tmp_path):
    """`outreach check - </dev/zero` once read until memory ran out."""
    from composer.cli import main
    from composer.model import MAX_INPUT_BYTES

    endless = io.BytesIO(b"a" * (MAX_INPUT_BYTES + 1024 * 1024))
    stdin = io.TextIOWrapper(endless, encoding="utf-8")  # the command reads its bytes
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["check", "-", "--home", str(tmp_path)], out=io.StringIO(), stdin=stdin)
    assert code == 2
    assert err.getvalue() == "outreach: <stdin>: too large (over 4 MB)\n"
    assert endless.tell() <= MAX_INPUT_BYTES + 1


def _eml(headers: bytes, body: bytes = b"Hi Ana,\r\n\r\nWould you share your notes?\r\n") -> bytes:
    return b"From: a@example.com\r\nTo: b@example.com\r\n" + headers + b"\r\n" + body


def _nested_eml(levels: int, content_type: bytes = b"multipart/mixed") -> bytes:
    message = _eml(b'Content-Type: %s; boundary="b0"\r\n' % content_type, b"")
    for level in range(1, levels):
        message += b'--b%d\r\nContent-Type: %s; boundary="b%d"\r\n\r\n' % (
            level - 1,
            content_type,
            level,
        )
    message += b"--b%d\r\nContent-Type: text/plain\r\n\r\nHi Ana, would you share it?\r\n" % (
        levels - 1
    )
    for level in range(levels - 1, -1, -1):
        message += b"--b%d--\r\n" % level
    return message


def test_an_eml_with_a_huge_subject_is_refused_before_parsing(run_cli, tmp_path):
    """The standard library parses a long header in quadratic time (0.8 MB: 12 s)."""
    path = tmp_path / "long.eml"
    path.write_bytes(_eml(b"Subject: " + b"word " * 160_000 + b"\r\n"))
    result = run_cli("check", str(path))
    assert result.code == 2
    assert result.err == f"outreach: {path}: the Subject header is too long (over 64 KB)\n"


def test_an_eml_with_a_long_but_real_header_is_read(run_cli, tmp_path):
    people = b", ".join(b"person%d@example.com" % n for n in range(200))
    path = tmp_path / "many.eml"
    path.write_bytes(_eml(b"Cc: " + people + b"\r\nSubject: Notes\r\n"))
    result = run_cli("check", str(path), "--json")
    assert result.code in (0, 1), result.err


def test_an_eml_nested_thousands_deep_is_refused(run_cli, tmp_path):
    path = tmp_path / "nested.eml"
    path.write_bytes(_nested_eml(3000))
    result = run_cli("check", str(path))
    assert result.code == 2
    assert result.err == (
        f"outreach: {path}: too many nested parts (over 100 multipart or message parts)\n"
    )


def test_nesting_the_count_misses_is_still_one_line(run_cli, tmp_path, monkeypatch):
    """Past the count (here: switched off), the parser's own recursion is caught."""
    from composer import model

    monkeypatch.setattr(model, "MAX_EML_CONTAINERS", 10**9)
    path = tmp_path / "nested.eml"
    path.write_bytes(_nested_eml(3000))
    result = run_cli("check", str(path))
    assert result.code == 2
    assert result.err == f"outreach: {path}: its parts are nested too deeply to read\n"


def test_an_eml_nested_a_few_levels_is_read(run_cli, tmp_path):
    path = tmp_path / "nested.eml"
    path.write_bytes(_nested_eml(20))
    result = run_cli("check", str(path), "--json")
    assert result.code in (0, 1), result.err
    assert json.loads(result.out)["stats"]["words"] > 0


@pytest.mark.parametrize(
    ("editor", "message"),
    [
        ('"x', "outreach: $EDITOR: '\"x' is not a command (No closing quotation); set $EDITOR\n"),
        ("  ", "outreach: $EDITOR: is blank; set $EDITOR to your editor (e.g. nano)\n"),
    ],
    ids=["unclosed-quote", "blank"],
)
def test_an_unusable_editor_is_one_line(tmp_path, editor, message):
    env = {"EDITOR": editor, "VISUAL": "", "OUTREACH_HOME": str(tmp_path)}
    result = _run(["config", "edit"], env=env)
    assert result.returncode == 2
    assert result.stderr == message
    assert not (tmp_path / "config.toml").exists()  # nothing was started on it


def test_json_to_an_ascii_terminal_is_escaped_json(tmp_path):
    path = tmp_path / "email.txt"
    path.write_text(SYNCH_UP.replace("Greg", "José"))
    result = _run(["check", str(path), "--json"], env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1, result.stderr
    assert result.stdout.isascii()
    assert any("“" in f["message"] for f in json.loads(result.stdout)["findings"])


def test_render_to_an_ascii_terminal_says_why_it_cannot(tmp_path):
    draft = tmp_path / "draft.toml"
    draft.write_text('point = "Would you share the café notes?"\n')
    result = _run(
        ["render", "--draft", str(draft)],
        env={"PYTHONIOENCODING": "ascii", "OUTREACH_HOME": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "outreach: <stdout>: cannot print U+00E9 in the ascii encoding; "
        "not printed (set PYTHONIOENCODING=utf-8 or a UTF-8 locale)\n"
    )


def test_history_to_an_ascii_terminal_is_escaped(tmp_path):
    from datetime import UTC, datetime

    from composer.model import Email
    from composer.senders import record_send
    from composer.storage import resolve_paths

    email = Email(subject="Café notes", body="Hi José", to="jose@example.com")
    record_send(resolve_paths(str(tmp_path)), email, "José", now=datetime(2026, 1, 2, tzinfo=UTC))
    result = _run(
        ["history", "--full"], env={"PYTHONIOENCODING": "ascii", "OUTREACH_HOME": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    assert "Jos\\xe9 <jose@example.com>  Caf\\xe9 notes" in result.stdout


@pytest.mark.parametrize("number", ["²", "#¹²", "٣", "99999999999999999999999", "0"])
def test_history_reply_takes_a_plain_number_in_range(run_cli, tmp_path, number):
    from composer.model import Email
    from composer.senders import record_send
    from composer.storage import Paths

    record_send(Paths(config=tmp_path, data=tmp_path), Email("One", "Hi\n", "a@x.io"), "Ana")
    result = run_cli("history", "reply", number, "--home", str(tmp_path))
    assert result.code == 2 and result.err.count("\n") == 1 and "Traceback" not in result.err


def test_followup_days_are_capped(run_cli, tmp_path):
    from composer.model import Email
    from composer.senders import record_send
    from composer.storage import Paths

    record_send(Paths(config=tmp_path, data=tmp_path), Email("One", "Hi\n", "a@x.io"), "Ana")
    home = ("--home", str(tmp_path))
    result = run_cli("followups", "--days", "1000000", *home)
    assert result.code == 2 and "--days" in result.err and "36500" in result.err
    (tmp_path / "config.toml").write_text("[followups]\nafter_days = 100000000000\n")
    result = run_cli("followups", *home)
    assert result.code == 0 and "after_days must be" in result.err and "36500" in result.err
    assert result.out == "No one is due a follow-up (no reply after 7 days).\n"


def _ask_dana(tmp_path, to: str):
    from datetime import UTC, datetime

    from composer.model import Email
    from composer.senders import record_send
    from composer.storage import Paths

    body = "Hi Dana,\n\nWould you review my draft of the sourcing guide by Friday?\n\nBest,\nSam\n"
    paths = Paths(config=tmp_path, data=tmp_path)
    record_send(
        paths,
        Email("A review?", body, "dana@example.com"),
        "Dana Kim",
        now=datetime(2026, 12, 2, tzinfo=UTC),
    )
    eml = tmp_path / "next.eml"
    eml.write_text(
        f"To: {to}\nFrom: sam@example.com\nSubject: One more thing\n\n"
        "Hi Dana,\n\nCould you introduce me to your data team lead?\n\nBest,\nSam\n"
    )
    return paths, eml


def _ledger_finding(result) -> dict:
    return next(f for f in json.loads(result.out)["findings"] if f["rule"] == "ledger")


def test_check_finds_the_ledger_of_an_eml_addressed_with_a_name(run_cli, tmp_path):
    _, eml = _ask_dana(tmp_path, '"Kim, Dana" <Dana@Example.com>, bo@example.com')
    result = run_cli("check", str(eml), "--json", "--home", str(tmp_path))
    assert _ledger_finding(result)["status"] == "warn"


def test_check_reads_the_database_without_creating_or_waiting_on_it(run_cli, tmp_path):
    import sqlite3

    paths, eml = _ask_dana(tmp_path, "Dana Kim <dana@example.com>")
    result = run_cli("check", str(eml), "--json", "--home", str(tmp_path))
    assert _ledger_finding(result)["status"] == "warn", "with no database, read from the log"
    assert not paths.database.exists(), "check never creates the database"
    run_cli("history", "reply", "1", "--home", str(tmp_path))
    before = paths.database.read_bytes()
    assert (
        _ledger_finding(run_cli("check", str(eml), "--json", "--home", str(tmp_path)))["status"]
        == "warn"
    )
    locker = sqlite3.connect(paths.database, isolation_level=None)
    # In WAL a writer's lock does not stop readers; a connection in exclusive mode does.
    locker.execute("PRAGMA locking_mode = EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    try:
        result = run_cli("check", str(eml), "--json", "--home", str(tmp_path))
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert _ledger_finding(result)["status"] == "skip"
    assert "the ledger rule is skipped" in result.err and result.err.count("\n") == 1
    assert paths.database.read_bytes() == before


def test_dates_are_local_and_times_without_a_zone_are_utc(tmp_path):
    """Kiritimati is UTC+14: 23:30 UTC on 1 Dec is 2 Dec there, in every listing."""
    tmp_path.joinpath("history.jsonl").write_text(
        "".join(
            json.dumps(
                {
                    "timestamp": when,
                    "recipient": "Dana",
                    "email": "dana@example.com",
                    "subject": subject,
                    "text": "Hi\n",
                }
            )
            + "\n"
            for when, subject in (
                ("2026-11-30T10:00:00+00:00", "First"),
                ("2026-12-01T23:30:00", "Naive"),
                ("2026-12-01T20:00:00+12:00", "Earlier, written later"),
            )
        )
    )
    env = {"TZ": "Pacific/Kiritimati"}
    home = ["--home", str(tmp_path)]
    listed = _run(["contacts", "list", *home], env=env).stdout
    assert listed == "Dana <dana@example.com>  3 emails, last 2026-12-02\n"
    shown = _run(["contacts", "show", "dana@example.com", *home], env=env).stdout
    assert "#2  2026-12-02  Naive" in shown and "#3  2026-12-01  Earlier" in shown
    history = _run(["history", *home], env=env).stdout
    assert "2026-12-02 13:30  Dana <dana@example.com>  Naive" in history
    due = _run(["followups", "--days", "0", *home], env=env).stdout
    assert due.startswith("#3  2026-12-01")
