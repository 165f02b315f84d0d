"""Text from files is shown in the terminal, never obeyed (issue #12, item 1).

A terminal acts on the control characters it is sent, whoever wrote them:
an email holding ``ESC ] 52 ; c ; <base64> BEL`` puts anything on the user's
clipboard. Every printer of the CLI shows such characters as pictures
(composer/safe_text.py); `render` refuses rather than print an email that
holds one; `check --json` escapes them (the same JSON value).
"""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer.cli import main
from composer.model import Email
from composer.safe_text import (
    CONTROL,
    describe_control,
    has_controls,
    one_line,
    strip_controls,
    visible,
)
from composer.senders import record_send
from composer.storage import resolve_paths

CLIPBOARD_HIJACK = "\x1b]52;c;" + base64.b64encode(b"rm -rf ~/*").decode() + "\x07"
TITLE = "\x1b]0;pwned\x07"
CSI_C1 = "\x9b2J"  # the one-byte CSI: "clear the screen" to a terminal that takes C1
HOSTILE = CLIPBOARD_HIJACK + TITLE + CSI_C1 + "\x7f\x08\r"

# What a terminal could act on: ESC, and C1 (which UTF-8 terminals may take).
TERMINAL_CONTROL = re.compile("[\x1b\x80-\x9f]")


def hostile_email(name: str = "Bob") -> str:
    return (
        f"Subject: Your talk {HOSTILE}\n\n"
        f"Hi {name} {CLIPBOARD_HIJACK},\n\n"
        f"I'd love to pick your brain {TITLE} and synch up {CSI_C1}.\n\nBest,\nSam\n"
    )


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (control characters as \\u escapes)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


# ----- the notation -----


def test_visible_shows_each_control_character_as_one_character():
    text = "a\x1bb\x07c\x9bd\x7fe\x00f\tg\nh\ud800"
    shown = visible(text)
    assert shown == "a␛b␇c\ufffdd␡e␀f\tg\nh\ufffd"
    assert len(shown) == len(text)  # spans into the text still line up
    assert not has_controls(shown)


def test_plain_text_is_left_exactly_as_it_is():
    text = "Hi José — 👩🏽‍💻\tté\n[b]x[/b]"
    assert visible(text) is text
    assert strip_controls(text) is text
    assert describe_control(text) == ""


def test_strip_controls_keeps_words_tabs_and_line_breaks():
    assert strip_controls(f"Bob{CLIPBOARD_HIJACK}\r\nline\rtwo\tend") == (
        "Bob]52;c;cm0gLXJmIH4vKg==\nlinetwo\tend"
    )


def test_describe_control_names_the_character_and_where_it_is():
    assert describe_control("one\ntwo \x1b]0;x") == "ESC (U+001B) at line 2, column 5"
    assert describe_control("\x9b") == "U+009B at line 1, column 1"


def test_one_line_shows_a_newline_too():
    assert one_line("Bob\nSmith\x1b") == "Bob␤Smith␛"


# ----- every CLI printer -----


def run(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    """`outreach ARGV` in-process, stdout and stderr as strings."""
    import contextlib
    import sys

    out, err = io.StringIO(), io.StringIO()
    fake_stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    with contextlib.redirect_stderr(err):
        try:
            code = main(argv, out=out, stdin=fake_stdin)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    assert sys.stderr is not err
    return code, out.getvalue(), err.getvalue()


def assert_nothing_obeyed(*outputs: str) -> None:
    for output in outputs:
        found = TERMINAL_CONTROL.search(output)
        assert found is None, f"{found.group()!r} reaches the terminal in {output!r}"


def test_check_shows_the_escape_it_quotes(tmp_path):
    email = tmp_path / "email.txt"
    email.write_text(hostile_email())
    code, out, err = run(["check", str(email), "--home", str(tmp_path / "home")])
    assert code == 1
    assert_nothing_obeyed(out, err)
    assert "“Hi Bob ␛]52;c;cm0gLXJmIH4vKg==␇”" in out  # made visible, not dropped


def test_check_json_escapes_control_characters_and_keeps_the_value(tmp_path):
    email = tmp_path / "email.txt"
    email.write_text(hostile_email())
    code, out, _ = run(["check", str(email), "--json", "--home", str(tmp_path / "home")])
    assert code == 1
    assert_nothing_obeyed(out)
    greeting = next(f for f in json.loads(out)["findings"] if f["rule"] == "greeting")
    assert CLIPBOARD_HIJACK in greeting["message"]  # the JSON value is the exact text


def test_check_reads_an_eml_with_escapes_and_shows_them(tmp_path):
    eml = tmp_path / "mail.eml"
    eml.write_bytes(
        b"From: a@example.com\r\nTo: b@example.com\r\nSubject: Hi\r\n\r\n"
        + f"Hi Bob {CLIPBOARD_HIJACK},\r\n\r\nWould you share your notes?\r\n".encode()
    )
    code, out, err = run(["check", str(eml), "--home", str(tmp_path / "home")])
    assert code == 1
    assert_nothing_obeyed(out, err)


def hostile_draft(tmp_path, text: str = CLIPBOARD_HIJACK):
    draft = tmp_path / "draft.toml"
    draft.write_text(
        f"point = {toml_string('Would you share your notes? ' + text)}\n"
        f"[recipient]\nname = {toml_string('Bob ' + text)}\n"
    )
    return draft


def test_render_refuses_an_email_with_a_control_character_and_says_where(tmp_path):
    draft = hostile_draft(tmp_path)
    code, out, err = run(["render", "--draft", str(draft), "--home", str(tmp_path / "home")])
    assert code == 2
    assert out == ""
    assert_nothing_obeyed(err)
    assert err.count("\n") == 1
    assert re.search(
        rf"^outreach: {re.escape(str(draft))}: the email holds a control character, "
        r"ESC \(U\+001B\) at line \d+, column \d+",
        err,
    )


def test_render_prints_an_email_without_control_characters_exactly(tmp_path, example_draft):
    code, out, err = run(["render", "--draft", str(example_draft), "--home", str(tmp_path)])
    assert code == 0 and err == ""
    assert out.startswith("Subject: ") and "\t" not in out


def test_check_a_hostile_draft_shows_its_escapes(tmp_path):
    draft = hostile_draft(tmp_path, HOSTILE)
    code, out, err = run(["check", str(draft), "--home", str(tmp_path / "home")])
    assert code in (0, 1)
    assert_nothing_obeyed(out, err)


def test_history_shows_escapes_and_keeps_one_line_per_email(tmp_path):
    home = tmp_path / "home"
    paths = resolve_paths(str(home))
    # U+0085 and U+2028 are line breaks to str.splitlines(), not to the history file.
    subject = f"Notes {HOSTILE}\x85\u2028\x1c"
    email = Email(subject=subject, body=f"Hi Bob {HOSTILE}\nline two", to="b@x.com")
    record_send(
        paths, email, f"Bob\nSmith {CLIPBOARD_HIJACK}", now=datetime(2026, 1, 2, tzinfo=UTC)
    )
    code, out, err = run(["history", "--home", str(home)])
    assert code == 0
    assert err == ""  # the entry is read whole, not skipped as torn lines
    assert_nothing_obeyed(out, err)
    # The name's newline does not break the listing: history reads a name as one line.
    assert out.count("\n") == 1
    assert "Bob Smith ␛]52" in out
    code, out, err = run(["history", "--full", "--home", str(home)])
    assert_nothing_obeyed(out, err)
    assert "    Hi Bob ␛]52" in out


def hostile_template(home, name: str = "evil") -> None:
    folder = resolve_paths(str(home)).templates
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(
        f'name = "{name}"\n'
        f"description = {toml_string('For hostile tests ' + HOSTILE)}\n"
        f"subject = {toml_string('Hi ' + TITLE)}\n"
        f"body = {toml_string('Hello {{ recipient.first_name }} ' + CLIPBOARD_HIJACK)}\n"
    )


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["templates", "list"], "For hostile tests ␛]52;c;"),
        # The file as written: TOML's own \u escapes, and the raw C1 character made visible.
        (["templates", "show", "evil"], "\\u0007\ufffd2J"),
        (["config", "show"], "\\u0007\ufffd2J"),
    ],
    ids=["templates-list", "templates-show", "config-show"],
)
def test_template_and_config_printers_show_escapes(tmp_path, argv, shown):
    home = tmp_path / "home"
    hostile_template(home)
    config = resolve_paths(str(home)).config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"[profile]\nname = {toml_string('Sam ' + HOSTILE)}\n")
    code, out, err = run([*argv, "--home", str(home)])
    assert code == 0, err
    assert_nothing_obeyed(out, err)
    assert shown in out


def test_render_with_a_hostile_template_is_refused(tmp_path):
    home = tmp_path / "home"
    hostile_template(home)
    draft = tmp_path / "draft.toml"
    draft.write_text('template = "evil"\n[recipient]\nname = "Bob"\n')
    code, out, err = run(["render", "--draft", str(draft), "--home", str(home)])
    assert code == 2 and out == ""
    assert_nothing_obeyed(err)
    assert "ESC (U+001B) at line 1" in err


def test_a_warning_naming_a_hostile_file_shows_its_name(tmp_path):
    home = tmp_path / "home"
    folder = resolve_paths(str(home)).templates
    folder.mkdir(parents=True)
    (folder / f"bad{TITLE}.toml").write_text("not toml [")
    code, out, err = run(["templates", "list", "--home", str(home)])
    assert code == 0
    assert_nothing_obeyed(out, err)
    assert "bad␛]0;pwned␇.toml" in err


def test_an_unknown_command_line_value_is_shown_not_obeyed(tmp_path):
    code, out, err = run(["history", f"--colour{TITLE}"])
    assert code == 2
    assert_nothing_obeyed(out, err)


# ----- the property: random control characters through every printer -----

CONTROLS = st.sampled_from(
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n"]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
)
HOSTILE_PIECE = st.one_of(
    CONTROLS,
    st.sampled_from([CLIPBOARD_HIJACK, TITLE, CSI_C1, "\x1b[2J", "\x1bP", "\x1b\\"]),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8),
)
HOSTILE_TEXT = st.lists(HOSTILE_PIECE, min_size=1, max_size=12).map("".join)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=HOSTILE_TEXT, words=HOSTILE_TEXT, subject=HOSTILE_TEXT)
def test_no_control_character_from_user_text_reaches_the_terminal(
    tmp_path_factory, name, words, subject
):
    """Every CLI printer, fed random control characters in every field a user
    or a file controls, with colour off (in-memory streams are not terminals):
    no ESC and no C1 character comes out."""
    work = tmp_path_factory.mktemp("case")
    home = work / "home"
    paths = resolve_paths(str(home))
    email_text = (
        f"Subject: {subject}\n\nHi {name},\n\n{words} Would you share it?\n\nBest,\n{name}\n"
    )
    email_file = work / "email.txt"
    email_file.write_text(email_text, encoding="utf-8", errors="surrogatepass")
    draft = work / "draft.toml"
    draft.write_text(
        f"subject = {toml_string(subject)}\npoint = {toml_string(words)}\n"
        f"[recipient]\nname = {toml_string(name)}\nemail = {toml_string(words)}\n"
    )
    hostile_template(home)
    config = paths.config_file
    config.write_text(f"[profile]\nname = {toml_string(name)}\nrole = {toml_string(words)}\n")
    record_send(
        paths,
        Email(subject=subject, body=email_text, to=name),
        name,
        now=datetime(2026, 1, 2, tzinfo=UTC),
    )
    home_args = ["--home", str(home)]
    commands = [
        ["check", str(email_file)],
        ["check", str(email_file), "--json"],
        ["check", str(draft)],
        ["check", "-"],
        ["render", "--draft", str(draft)],
        ["history"],
        ["history", "--full"],
        ["history", "--to", name],
        ["templates", "list"],
        ["templates", "show", "evil"],
        ["config", "show"],
        ["config", "path"],
    ]
    for argv in commands:
        code, out, err = run([*argv, *home_args], stdin=email_text.encode("utf-8", "surrogatepass"))
        assert code in (0, 1, 2), (argv, err)
        assert_nothing_obeyed(out, err)
        if argv[0] == "render" and code == 0:
            assert not CONTROL.search(out)
