"""Fixtures for driving the composer with Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.model import Draft, parse_draft
from composer.storage import Paths
from composer.tui import send
from composer.tui.app import ComposerApp

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "draft.toml"


@pytest.fixture
def paths(tmp_path) -> Paths:
    return Paths(config=tmp_path / "config", data=tmp_path / "data")


@pytest.fixture
def system_clipboard(monkeypatch) -> list[str]:
    """What the app handed to the system clipboard (never the real one in tests)."""
    copied: list[str] = []

    def fake(text: str) -> None:
        copied.append(text)

    monkeypatch.setattr(send, "copy_to_system_clipboard", fake)
    return copied


@pytest.fixture
def example() -> Draft:
    return parse_draft(EXAMPLE.read_text(), str(EXAMPLE))


class RecordingApp(ComposerApp):
    """The composer, remembering every notification it showed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.notes: list[tuple[str, str]] = []

    def notify(
        self, message: str, *, title: str = "", severity="information", timeout=None, markup=True
    ) -> None:
        self.notes.append((severity, message))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


@pytest.fixture
def make_app(paths, system_clipboard):
    def make(draft: Draft | None = None, template: str | None = None) -> RecordingApp:
        return RecordingApp(draft or Draft(), paths, template=template)

    return make
