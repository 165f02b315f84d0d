"""The composer in a real terminal: tmux runs it, ctrl+j copies through OSC 52,
and tmux's own paste buffer must then hold exactly what `outreach render` prints."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tmux_server import TmuxServer, running

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "draft.toml"
OUTREACH = Path(sys.executable).with_name("outreach")

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)


class Tmux(TmuxServer):
    """The test server, with an 80x24 window for the composer."""

    def open_window(self) -> None:
        """An 80x24 window whose pane is all 24 rows (no status line)."""
        self("-f", "/dev/null", "new-session", "-d", "-s", "composer", "-x", "80", "-y", "24")
        self("set-option", "-t", "composer", "status", "off")


@pytest.fixture
def tmux():
    yield from running(Tmux())


def test_ctrl_j_puts_exactly_the_rendered_email_on_the_terminal_clipboard(tmux, tmp_path):
    expected = subprocess.run(
        [str(OUTREACH), "render", "--draft", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    env = f"OUTREACH_HOME={tmp_path} TERM=xterm-256color"
    tmux.open_window()
    tmux("set-option", "-g", "set-clipboard", "on")
    tmux("send-keys", "-t", "composer", f"env {env} {OUTREACH} --draft {EXAMPLE}", "Enter")
    tmux.wait_for(
        lambda: "Checklist" in tmux.screen() and "ready to send" in tmux.screen(), "the composer"
    )

    tmux("send-keys", "-t", "composer", "C-j")
    tmux.wait_for(
        lambda: tmux("show-buffer", check=False) == expected, "the email in tmux's buffer"
    )
    assert (tmp_path / "history.jsonl").exists()

    tmux("send-keys", "-t", "composer", "C-q")
    tmux.wait_for(lambda: "Checklist" not in tmux.screen(), "the composer to quit")


def test_the_composer_fits_80x24(tmux, tmp_path):
    tmux.open_window()
    tmux(
        "send-keys",
        "-t",
        "composer",
        f"env OUTREACH_HOME={tmp_path} {OUTREACH} --draft {EXAMPLE}",
        "Enter",
    )
    tmux.wait_for(
        lambda: "ready to send" in tmux.screen() and "^q" in tmux.screen(), "the composer"
    )
    lines = tmux.screen().splitlines()
    assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
    text = "\n".join(lines)
    for visible in ("Template", "1 · Recipient", "Email", "Checklist", "Send", "^q Quit"):
        assert visible in text, visible


def _start(tmux: Tmux, home: Path, *args: str) -> int:
    """Run the composer as the pane's own process; returns its pid.

    A config file is there already, so the first-run profile question is not asked.
    """
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").touch()
    command = f"exec env OUTREACH_HOME={home} TERM=xterm-256color {OUTREACH} {' '.join(args)}"
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "composer", "-x", "80", "-y", "24", command)
    tmux("set-option", "-t", "composer", "status", "off")
    # Keys go in once the start-up work is drawn (the checklist's verdict
    # comes after the first frame).
    tmux.wait_for(
        lambda: (
            "^q" in (screen := tmux.screen())
            and ("to fix ─" in screen or "ready to send ─" in screen)
        ),
        "the composer",
    )
    return int(tmux("display-message", "-p", "-t", "composer", "#{pane_pid}").strip())


@pytest.mark.parametrize("signal_name", ["KILL", "TERM"])
def test_a_killed_composer_gives_the_text_back(tmux, tmp_path, signal_name):
    text = "Priya Raman of Northwind"
    pid = _start(tmux, tmp_path)
    # Into the field that has focus: keys sent in one burst can outrun a Tab
    # (it travels to the focused field and back before focus moves, while the
    # characters after it are already queued for that field), which on a
    # loaded CI machine once split the text across two fields.
    tmux("send-keys", "-t", "composer", "-l", text)
    drafts = tmp_path / "drafts"
    # The autosave follows the debounce; wait until the text is on disk, then kill.
    tmux.wait_for(
        lambda: (
            any(text in p.read_text() for p in drafts.glob("*.toml")) if drafts.exists() else False
        ),
        "the autosave",
    )
    os.kill(pid, getattr(signal, f"SIG{signal_name}"))
    tmux.wait_for(
        lambda: tmux("has-session", "-t", "composer", check=False) == "" and not _alive(pid),
        "the exit",
    )
    tmux("kill-server", check=False)
    tmux.socket += "-2"
    _start(tmux, tmp_path)
    tmux.wait_for(lambda: text in tmux.screen(), "the restored text")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_typo_is_caught_offline_and_f4_fixes_it_at_80x24(tmux, tmp_path):
    """No LanguageTool anywhere: the offline speller still underlines the typo,
    the footer (with F4 in it) still fits 80 columns, and F4 fixes the field."""
    draft = tmp_path / "draft.toml"
    draft.write_text(
        EXAMPLE.read_text().replace("which blogs are worth", "wich blogs are worth"),
        encoding="utf-8",
    )
    _start(tmux, tmp_path / "home", "--draft", str(draft))
    # A detached tmux pane is an unfocused terminal, where Textual leaves the
    # footer as it is; the focus-in report is what a terminal sends when used.
    tmux("send-keys", "-t", "composer", "-l", "\x1b[I")
    tmux.wait_for(lambda: "f4 Fix" in tmux.screen(), "F4 in the footer")
    footer = tmux.screen().splitlines()[-1]
    assert "^n New" in footer and "^p palette" in footer, footer
    tmux("send-keys", "-t", "composer", "F4")
    tmux.wait_for(lambda: "“wich” → “which”" in tmux.screen(), "the fix's notification")
    tmux.wait_for(lambda: "f4 Fix" not in tmux.screen(), "F4 to leave the footer")


def test_a_fresh_home_asks_who_you_are_in_one_line_at_80x24(tmux, tmp_path):
    from composer.tui.screens import ProfileScreen

    tmux.open_window()
    tmux("send-keys", "-t", "composer", f"env OUTREACH_HOME={tmp_path} {OUTREACH}", "Enter")
    tmux.wait_for(lambda: "Escape skips" in tmux.screen(), "the first-run question")
    welcome = [line for line in tmux.screen().splitlines() if "Welcome" in line]
    assert len(welcome) == 1 and ProfileScreen.WELCOME in welcome[0]
    assert welcome[0].index(ProfileScreen.WELCOME) + len(ProfileScreen.WELCOME) <= 78
    tmux("send-keys", "-t", "composer", "Escape")
    tmux.wait_for(lambda: "Escape skips" not in tmux.screen(), "the question to close")
    assert (tmp_path / "config.toml").exists()
    tmux("send-keys", "-t", "composer", "C-q")
    tmux.wait_for(lambda: "Checklist" not in tmux.screen(), "the composer to quit")
