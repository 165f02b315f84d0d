"""The walls: the core never imports textual, and `check` on plain text imports
neither textual nor jinja2 (nor sqlite3, which only the database needs), so it
starts as fast as plain Python."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import composer

PROBE = """
import sys
from composer.cli import main
try:
    main({args!r})
except SystemExit:
    pass
heavy = sorted(
    m for m in ("textual", "jinja2", "language_tool_python", "sqlite3") if m in sys.modules
)
print("HEAVY:" + ",".join(heavy))
"""


def _heavy_modules(args: list[str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-P", "-c", PROBE.format(args=args)], capture_output=True, text=True
    )
    line = [ln for ln in result.stdout.splitlines() if ln.startswith("HEAVY:")][-1]
    return [m for m in line[len("HEAVY:") :].split(",") if m]


def test_check_on_plain_text_imports_neither_textual_nor_jinja2(tmp_path):
    email = tmp_path / "email.txt"
    email.write_text("Subject: Hi\n\nHi Ana,\n\nWould you review my draft?\n")
    assert _heavy_modules(["check", str(email)]) == []


def test_no_cli_command_imports_textual(example_draft):
    for args in (
        ["check", str(example_draft)],
        ["render", "--draft", str(example_draft)],
        ["templates"],
        ["--version"],
    ):
        assert "textual" not in _heavy_modules(args), args


def test_no_module_outside_tui_imports_textual():
    package = pathlib.Path(composer.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        if "tui" in path.relative_to(package).parts:
            continue
        for line in path.read_text().splitlines():
            if line.strip().startswith(("import textual", "from textual")):
                offenders.append(str(path))
    assert offenders == []
