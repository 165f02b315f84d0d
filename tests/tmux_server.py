"""A private tmux server for the tests that drive the composer in a real
terminal: its own socket, so a test never touches the user's sessions."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator

from processes import alive, descendants

OUTLIVE_SECONDS = 20.0
"""How long a pane's processes may take to end once their terminal is gone
(the composer's bound is a few seconds; the machine may be loaded)."""


class TmuxServer:
    """`server(*args)` runs a tmux command on this server and returns its output."""

    target = "composer"
    """The session the tests' windows live in."""

    def __init__(self) -> None:
        self.socket = f"outreach-test-{uuid.uuid4().hex[:8]}"

    def __call__(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=20,
        )
        return result.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", self.target, check=False)

    def wait_for(self, predicate, what: str, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; screen:\n{self.screen()}")


def running(server: TmuxServer) -> Iterator[TmuxServer]:
    """For a fixture: the server, killed afterwards whatever the test did.

    Its panes' processes (a composer, its render worker) must end with it, as
    they do when a user's tmux goes away; one still running is killed, so no
    test leaves an orphan behind, and the test fails.
    """
    try:
        yield server
    finally:
        panes = server("list-panes", "-a", "-F", "#{pane_pid}", check=False).split()
        started = [pid for pane in panes for pid in (int(pane), *descendants(int(pane)))]
        server("kill-server", check=False)
        deadline = time.monotonic() + OUTLIVE_SECONDS
        while any(map(alive, started)) and time.monotonic() < deadline:
            time.sleep(0.2)
        orphans = [pid for pid in started if alive(pid)]
        for pid in orphans:
            os.kill(pid, signal.SIGKILL)
        assert not orphans, f"still running {OUTLIVE_SECONDS:g} s after their terminal: {orphans}"
