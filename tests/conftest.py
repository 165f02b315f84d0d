"""Shared fixtures: the example draft and a runner for the CLI in-process."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from composer.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DRAFT = ROOT / "examples" / "draft.toml"


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture(autouse=True)
def no_language_tool(tmp_path_factory, monkeypatch):
    """Tests never see (or download into) the machine's LanguageTool folder."""
    monkeypatch.setenv("LTP_PATH", str(tmp_path_factory.mktemp("language_tool")))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run `outreach ARGS` in-process; stdin text optional."""

    def run(*args: str, stdin: str | bytes = b"") -> Result:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        fake_stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
        out = io.StringIO()
        try:
            code = main(list(args), out=out, stdin=fake_stdin)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        captured = capsys.readouterr()
        return Result(code, out.getvalue() + captured.out, captured.err)

    monkeypatch.setattr(sys, "argv", ["outreach"])
    return run


@pytest.fixture
def example_draft() -> Path:
    return EXAMPLE_DRAFT
