"""The CLI in real terminals: colour only where a terminal can show it."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

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
