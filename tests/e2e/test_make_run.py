"""The README's `make run` is a demo: it runs in its own home, so the example
sender never signs the user's drafts and a demo send never reaches the user's
history (issue #14)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from test_tmux import Tmux
from tmux_server import running

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("make") is None,
    reason="needs tmux and make (.ci/run installs tmux)",
)


@pytest.fixture
def tmux():
    yield from running(Tmux())


def _sent(history: Path) -> int:
    if not history.exists():
        return 0
    return sum(1 for line in history.read_text().splitlines() if line.strip())


def test_make_run_keeps_the_demo_out_of_the_users_folders(tmux: Tmux, tmp_path):
    user_home = tmp_path / "user"
    user_home.mkdir()
    # The Makefile's demo home, moved out of .venv so each run starts empty.
    demo_history = tmp_path / "demo" / "history.jsonl"
    # The user's own folders are wherever HOME and XDG say: all inside user_home.
    env = {"HOME": str(user_home), "TERM": "xterm-256color", "PATH": os.environ["PATH"]}
    command = "exec env -i " + " ".join(f"{k}={v}" for k, v in env.items())
    command += f" make --no-print-directory -C {REPO} run DEMO_HOME={demo_history.parent}"
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "composer", "-x", "80", "-y", "24", command)
    tmux.wait_for(lambda: "ready to send" in tmux.screen(), "the demo draft, ready to send", 120)
    tmux("send-keys", "-t", "composer", "C-j")
    tmux.wait_for(lambda: _sent(demo_history) == 1, "the demo send in its history")
    tmux("send-keys", "-t", "composer", "C-q")
    tmux.wait_for(lambda: "composer" not in tmux("ls", check=False), "make run to end")

    assert sorted(p.relative_to(user_home) for p in user_home.rglob("*")) == []
    last = json.loads(demo_history.read_text().splitlines()[-1])
    assert last["recipient"]
