"""A private tmux server for the tests that drive the composer in a real
terminal: its own socket, so a test never touches the user's sessions."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator


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
    """For a fixture: the server, killed afterwards whatever the test did."""
    try:
        yield server
    finally:
        server("kill-server", check=False)
