"""Keys in one fast burst (a paste tool, a text expander) keep their order:
the text typed after a Tab lands in the next field, never in the one before."""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from tmux_server import TmuxServer, running

OUTREACH = Path(sys.executable).with_name("outreach")

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)

# In Tab order, every field of the form, from the first to the last step.
FIELDS = {
    "recipient-name": "Ada Lovelace",
    "recipient-email": "ada@example.com",
    "recipient-company": "Analytical Engines",
    "recipient-role": "Countess",
    "context": "I read your notes on the engine",
    "research": "Your note G computes Bernoulli numbers",
    "point": "Would you show me how note G loops",
    "wiift": "A port of note G to Python for your readers",
    "offer": "The port is attached",
    "subject": "Note G in Python",
    "sender-name": "Charles Babbage",
    "sender-role": "Engineer",
    "sender-company": "Difference Ltd",
}


@pytest.fixture
def tmux():
    yield from running(TmuxServer())


def _burst() -> list[str]:
    """tmux send-keys arguments: each field's text, then Tab to the next."""
    keys: list[str] = []
    for text in FIELDS.values():
        keys += [text, "Tab"]
    return keys[:-1]


def _typed(home: Path) -> dict[str, str]:
    """Each field's text in the autosaved draft (empty until it is saved)."""
    folder = home / "drafts"
    drafts = (
        [p for p in folder.glob("*.toml") if not p.name.startswith(".")] if folder.exists() else []
    )
    draft = tomllib.loads(drafts[0].read_text(encoding="utf-8")) if len(drafts) == 1 else {}
    recipient, sender = draft.get("recipient", {}), draft.get("sender", {})
    found = {f"recipient-{k}": recipient.get(k, "") for k in ("name", "email", "company", "role")}
    found |= {key: draft.get(key, "") for key in ("context", "research", "point", "wiift")}
    found |= {"offer": draft.get("offer", ""), "subject": draft.get("subject", "")}
    found |= {f"sender-{k}": sender.get(k, "") for k in ("name", "role", "company")}
    return found


@pytest.mark.parametrize("when", ["as it starts", "once it is drawn"])
def test_a_burst_of_text_and_tabs_fills_each_field_in_order(tmux, tmp_path, when):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").touch()  # no first-run profile question
    command = f"exec env OUTREACH_HOME={home} TERM=xterm-256color {OUTREACH}"
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "composer", "-x", "80", "-y", "24", command)
    if when == "once it is drawn":
        tmux.wait_for(lambda: "^q" in tmux.screen(), "the composer")
    tmux("send-keys", "-t", "composer", *_burst())
    # The autosave follows the last key; by then every field has its text, or never will.
    tmux.wait_for(
        lambda: _typed(home)["sender-company"] == FIELDS["sender-company"], "the autosave"
    )
    assert _typed(home) == FIELDS
    tmux("send-keys", "-t", "composer", "C-q")


def test_a_burst_of_text_and_enters_fills_the_first_run_profile_in_order(tmux, tmp_path):
    home = tmp_path / "home"
    home.mkdir()  # no config.toml: the first run asks who you are
    command = f"exec env OUTREACH_HOME={home} TERM=xterm-256color {OUTREACH}"
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "composer", "-x", "80", "-y", "24", command)
    tmux.wait_for(lambda: "Welcome" in tmux.screen(), "the first-run question")
    profile = ["Ada Lovelace", "Countess", "Analytical Engines", "I write notes on engines"]
    keys: list[str] = []
    for text in profile:
        keys += [text, "Enter"]
    tmux("send-keys", "-t", "composer", *keys)
    config = home / "config.toml"

    def saved() -> list[str | None]:
        text = config.read_text(encoding="utf-8") if config.exists() else ""
        found = tomllib.loads(text).get("profile", {})
        return [found.get(k) for k in ("name", "role", "company", "bio")]

    tmux.wait_for(lambda: any(saved()), "the profile")
    assert saved() == profile
    tmux("send-keys", "-t", "composer", "C-q")
