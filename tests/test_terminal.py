"""The CLI and the composer in real terminals: colour only where a terminal
can show it; text from files shown, never obeyed; SIGHUP and early keys."""

from __future__ import annotations

import base64
import json
import os
import pty
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tmux_server import TmuxServer, running

OUTREACH = Path(sys.executable).with_name("outreach")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "draft.toml"


def run_in_a_terminal(env: dict[str, str]) -> bytes:
    """`outreach check` with its output on a pseudo-terminal, as a person runs it."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [str(OUTREACH), "check", str(EXAMPLE)],
            stdout=terminal,
            stderr=terminal,
            env={**os.environ, **env},
        )
        os.close(terminal)
        output = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            output += chunk
        assert process.wait(timeout=30) == 0
        return output
    finally:
        os.close(controller)


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({"TERM": "xterm-256color"}, True),
        ({"TERM": "dumb"}, False),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False),
    ],
    ids=["xterm", "dumb", "no-color"],
)
def test_colour_only_where_the_terminal_shows_it(tmp_path, monkeypatch, env, coloured):
    monkeypatch.delenv("NO_COLOR", raising=False)
    env = {**env, "OUTREACH_HOME": str(tmp_path)}
    output = run_in_a_terminal(env)
    assert b"Sendable." in output
    assert (b"\x1b[" in output) is coloured


# ----- the composer in tmux: what reaches the terminal, SIGHUP, keys typed at start -----

HIJACK = "\x1b]52;c;" + base64.b64encode(b"rm -rf ~/*").decode() + "\x07"


class Tmux(TmuxServer):
    """A test server with a 100x30 window whose clipboard a test can watch."""

    target = "t"

    def __init__(self) -> None:
        super().__init__()
        self("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "100", "-y", "30")
        self("set-option", "-g", "set-clipboard", "on")
        self("set-buffer", "untouched")

    def start_composer(self, home: Path, *args: str, then: str = "") -> None:
        command = f"env OUTREACH_HOME={home} TERM=xterm-256color {OUTREACH} {' '.join(args)}"
        keys = ["send-keys", "-t", "t", command, "Enter"]
        self(*keys, *([then] if then else []))


needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def tmux():
    yield from running(Tmux())


def _home_with_config(tmp_path: Path) -> Path:
    """A home whose config exists: the composer opens on the form, not the first-run profile."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("")
    return home


@needs_tmux
def test_a_hostile_draft_sets_neither_the_clipboard_nor_the_title(tmux, tmp_path):
    draft = tmp_path / "evil.toml"
    title = "\x1b]2;PWNED\x07"
    draft.write_text(
        f"point = {json.dumps('Would you tell me how you pick blogs? ' + title)}\n"
        f'[recipient]\nname = {json.dumps("Bob " + HIJACK)}\nemail = "bob@example.com"\n'
    )
    tmux.start_composer(_home_with_config(tmp_path), "--draft", str(draft))
    tmux.wait_for(lambda: "Checklist" in tmux.screen(), "the composer")
    tmux.wait_for(lambda: "]52;c;cm0gLXJmIH4vKg==" in tmux.screen(), "the name, shown")
    assert "rm -rf" not in tmux("list-buffers")
    assert tmux("show-buffer") == "untouched"
    assert "PWNED" not in tmux("display-message", "-p", "-t", "t", "#{pane_title}")
    tmux("send-keys", "-t", "t", "C-q")


@needs_tmux
def test_check_in_a_terminal_sets_no_clipboard(tmux, tmp_path):
    email = tmp_path / "email.txt"
    email.write_text(f"Subject: Hi\n\nHi Bob {HIJACK},\n\nWould you share your notes?\n")
    tmux("send-keys", "-t", "t", f"env OUTREACH_HOME={tmp_path} {OUTREACH} check {email}", "Enter")
    tmux.wait_for(lambda: "Blocked by" in tmux.screen(), "the checklist")
    assert tmux("show-buffer") == "untouched"
    assert "␛]52;c;" in tmux.screen()


@needs_tmux
def test_keys_typed_as_the_composer_starts_are_kept(tmux, tmp_path):
    home = _home_with_config(tmp_path)
    tmux.start_composer(home, then="Zelda")
    tmux.wait_for(lambda: "Checklist" in tmux.screen(), "the composer")
    tmux.wait_for(lambda: "Name      Zelda" in tmux.screen(), "the early keys")
    tmux("send-keys", "-t", "t", "C-q")
    tmux.wait_for(lambda: list((home / "drafts").glob("*.toml")), "the saved draft")
    assert 'name = "Zelda"' in next((home / "drafts").glob("*.toml")).read_text()


@needs_tmux
def test_closing_the_terminal_saves_the_draft(tmux, tmp_path):
    """Closing the window sends SIGHUP: what was typed is saved, as on SIGTERM."""
    home = _home_with_config(tmp_path)
    tmux.start_composer(home)
    tmux.wait_for(lambda: "Checklist" in tmux.screen(), "the composer")
    tmux("send-keys", "-t", "t", "Zelda")
    tmux.wait_for(lambda: "Name      Zelda" in tmux.screen(), "the typing")
    tmux("kill-pane", "-t", "t")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not list(home.glob("drafts/*.toml")):
        time.sleep(0.2)
    drafts = list(home.glob("drafts/*.toml"))
    assert drafts, "nothing was saved"
    assert 'name = "Zelda"' in drafts[0].read_text()
