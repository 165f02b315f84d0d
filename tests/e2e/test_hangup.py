"""The composer when its terminal goes away (a tmux server killed, an SSH
connection dropped): it saves what was typed and exits, instead of living on
as an orphan that no SIGHUP or SIGTERM stops."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

from processes import alive, descendants

OUTREACH = Path(sys.executable).with_name("outreach")

EXIT_SECONDS = 20.0
"""Generous: this catches a hang, it does not time the exit (the bound is a few seconds)."""


class Terminal:
    """The composer on a pseudo-terminal of its own, as a terminal emulator or sshd runs it."""

    def __init__(self, home: Path) -> None:
        env = {**os.environ, "OUTREACH_HOME": str(home), "TERM": "xterm-256color"}
        # pty.fork makes the terminal the child's controlling one, so closing
        # it hangs the child up, as closing a window does.
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(OUTREACH, [str(OUTREACH)], env)
        self.resize(80)
        self.screen = b""

    def resize(self, columns: int) -> None:
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))

    def read(self, seconds: float, until: bytes | None = None) -> None:
        """What the composer draws for `seconds`, or until `until` is drawn."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (until and until in self.screen):
            if select.select([self.fd], [], [], 0.01)[0]:
                self.screen += os.read(self.fd, 65536)
        if until:
            assert until in self.screen, f"never drew {until!r}"

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def close(self) -> None:
        os.close(self.fd)

    def exited_within(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                return True
            time.sleep(0.1)
        return False

    def kill(self) -> None:
        """Whatever a test did, no composer outlives it."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def test_a_composer_whose_terminal_goes_away_saves_and_exits(tmp_path):
    (tmp_path / "config.toml").touch()  # no first-run question
    terminal = Terminal(tmp_path)
    try:
        terminal.read(30, until=b"^q")
        terminal.type("Zelda Quux")
        terminal.read(10, until=b"Quux")
        workers = descendants(terminal.pid)  # the render worker
        # The terminal goes while frames are on their way, as when a connection
        # drops mid-repaint: each resize repaints the whole screen.
        for columns in [100, 80] * 15:
            terminal.read(0.01)
            terminal.resize(columns)
        terminal.close()
        assert terminal.exited_within(EXIT_SECONDS), (
            f"still running {EXIT_SECONDS:g} s after its terminal closed"
        )
        deadline = time.monotonic() + EXIT_SECONDS
        while any(map(alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(alive, workers)), "its render worker outlived it"
    finally:
        terminal.kill()
    saved = [draft.read_text() for draft in tmp_path.glob("drafts/*.toml")]
    assert any('name = "Zelda Quux"' in text for text in saved), saved
