"""`pip install .` must ship the templates, themes, rule data and word list inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_templates_and_rule_data(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").glob("*.toml"):
        assert f"composer/templates/{template.name}" in names
    assert "composer/checklist/data/cues.toml" in names
    assert "composer/checklist/data/rules.toml" in names
    assert "composer/spelling_words.txt" in names
    assert any(n.startswith("composer/themes/") for n in names)
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_package_finds_builtins_without_the_repo():
    """Run from a directory outside the repo: templates come from the package."""
    code = (
        "from composer.templates_store import TemplateStore; print(len(TemplateStore().listed()))"
    )
    result = subprocess.run(
        [sys.executable, "-P", "-c", code], capture_output=True, text=True, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 5
