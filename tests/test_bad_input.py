"""The bad-input matrix (docs/reliability.md): every file the app reads, spoiled
every way we know; what the user sees, and that nothing is overwritten.

Each cell runs the command that reads that file and checks its one-line
message; the composer's side (all five files bad at once) is in
tests/tui/test_composer.py and below.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from composer.storage import Paths
from composer.tui.themes import user_themes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "draft.toml"
NOBODY = 65534

VALID = {
    "draft": EXAMPLE.read_bytes(),
    "template": (ROOT / "templates" / "share-article.toml").read_bytes(),
    "config": b'theme = "outreach-light"\n[profile]\nname = "Sam Ortiz"\nrole = "Recruiter"\n',
    "theme": b'name = "mine"\nprimary = "#336699"\ndark = true\n',
    "history": (
        b'{"timestamp": "2026-01-02T03:04:05+00:00", "recipient": "Ana Ruiz", '
        b'"email": "ana@example.com", "subject": "Hello", "text": "Subject: Hello\\n\\nHi"}\n'
    ),
}
WRONG_TYPES = {
    "draft": b"point = 3\n[recipient]\nname = 4\n",
    "template": b'name = "mine"\nsubject = 3\nbody = ["x"]\n',
    "config": b"theme = 3\n[profile]\nname = 4\n",
    "theme": b'name = "mine"\nprimary = 3\ndark = "yes"\n',
    "history": b'{"timestamp": 3, "recipient": [], "email": null, "subject": 1, "text": 2}\n',
}
CONDITIONS = (
    "empty",
    "binary",
    "truncated",
    "invalid TOML",
    "wrong types",
    "huge",
    "unreadable",
    "symlink elsewhere",
    "dangling symlink",
)

# What the user sees for each cell (a fragment of the one line printed or shown).
EXPECTED = {
    "draft": {
        "empty": "",  # an empty draft is a draft: every tip is listed as still to do
        "binary": "binary data, not text",
        "truncated": "invalid TOML: Unterminated string",
        "invalid TOML": "invalid TOML: Invalid statement",
        "wrong types": "'point' must be text, not int",
        "huge": "too large (over 4 MB)",
        "unreadable": "permission denied",
        "symlink elsewhere": "",
        "dangling symlink": "which does not exist",
    },
    "template": {
        "empty": "the template needs 'subject' as text (skipped)",
        "binary": "binary data, not text (skipped)",
        "truncated": "invalid TOML: Unterminated string",
        "invalid TOML": "invalid TOML: Invalid statement (skipped)",
        "wrong types": "the template needs 'subject' as text (skipped)",
        "huge": "too large (over 4 MB) (skipped)",
        "unreadable": "permission denied (skipped)",
        "symlink elsewhere": "",
        "dangling symlink": "which does not exist (skipped)",
    },
    "config": {
        "empty": "",
        "binary": "not UTF-8 text; using defaults",
        "truncated": "invalid TOML: Unterminated string",
        "invalid TOML": "invalid TOML: Invalid statement; using defaults",
        "wrong types": "'theme' must be text",
        "huge": "too large to be a config file; using defaults",
        "unreadable": "cannot read (Permission denied); using defaults",
        "symlink elsewhere": "",
        "dangling symlink": "which does not exist; using defaults",
    },
    "theme": {
        "empty": "(theme skipped)",
        "binary": "binary data, not text (theme skipped)",
        "truncated": "invalid TOML: Unterminated string",
        "invalid TOML": "invalid TOML: Invalid statement (theme skipped)",
        "wrong types": "(theme skipped)",
        "huge": "too large (over 4 MB) (theme skipped)",
        "unreadable": "permission denied (theme skipped)",
        "symlink elsewhere": "",
        "dangling symlink": "which does not exist (theme skipped)",
    },
    "history": {
        "empty": "",
        "binary": "skipped unreadable lines 1",
        "truncated": "skipped unreadable lines 1",
        "invalid TOML": "skipped unreadable lines 1",
        "wrong types": "skipped unreadable lines 1",
        "huge": "skipped unreadable lines 1",
        "unreadable": "cannot read (Permission denied); history not shown",
        "symlink elsewhere": "",
        "dangling symlink": "which does not exist",
    },
}


def spoil(kind: str, condition: str, path: Path, elsewhere: Path) -> None:
    """Put a `condition` file of `kind` at `path` (`elsewhere` is outside the home)."""
    valid = VALID[kind]
    if condition == "empty":
        path.write_bytes(b"")
    elif condition == "binary":
        path.write_bytes(b"\x00\x01\xfe\xff" * 64)
    elif condition == "truncated":
        # Cut inside a quoted value, as a crash or a full disk leaves it.
        cut = valid.index(b'"', valid.index(b'"') + 1) - 2
        path.write_bytes(valid[:cut])
    elif condition == "invalid TOML":
        path.write_bytes(b"= nope\n")
    elif condition == "wrong types":
        path.write_bytes(WRONG_TYPES[kind])
    elif condition == "huge":
        path.write_bytes(b"#" * (5 * 1024 * 1024))
    elif condition == "unreadable":
        path.write_bytes(valid)
        path.chmod(0)
    elif condition == "symlink elsewhere":
        elsewhere.write_bytes(valid)
        path.symlink_to(elsewhere)
    elif condition == "dangling symlink":
        path.symlink_to(elsewhere.with_name("gone.toml"))


def snapshot(path: Path) -> tuple:
    """What must not change: the link itself, or the file's bytes and mode."""
    if path.is_symlink():
        return ("link", os.readlink(path))
    return ("file", path.read_bytes() if os.access(path, os.R_OK) else None, path.stat().st_mode)


@contextlib.contextmanager
def as_a_user(home: Path):
    """Run as an ordinary user: root reads files whatever their mode, so
    "unreadable" needs someone else (nobody, owning the home) to be real."""
    if os.geteuid() != 0:
        yield
        return
    for folder, _, files in os.walk(home):
        os.chown(folder, NOBODY, NOBODY)
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                os.chown(os.path.join(folder, name), NOBODY, NOBODY, follow_symlinks=False)
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def home():
    """A home outside pytest's root-only folder, so an ordinary user can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="outreach-bad-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def place(kind: str, home: Path) -> Path:
    """Where the app reads a file of this kind."""
    return {
        "draft": home / "mine.toml",
        "template": home / "templates" / "mine.toml",
        "config": home / "config.toml",
        "theme": home / "themes" / "mine.toml",
        "history": home / "history.jsonl",
    }[kind]


def read_as_the_app_does(kind: str, path: Path, home: Path, run_cli) -> tuple[int, str]:
    """Run what reads this file; (exit code, what the user was told)."""
    if kind == "draft":
        result = run_cli("check", str(path), "--home", str(home))
    elif kind == "template":
        result = run_cli("templates", "list", "--home", str(home))
        assert "share-and-ask" in result.out, "the other templates still work"
    elif kind == "config":
        result = run_cli("check", str(EXAMPLE), "--home", str(home))
    elif kind == "history":
        result = run_cli("history", "--home", str(home))
    else:  # themes are read by the composer only; this is its reader
        _, problems = user_themes(path.parent)
        return 0, " ".join(problems)
    return result.code, result.err


@pytest.fixture
def warmed(home, run_cli):
    """Every reader run once as ourselves first: an ordinary user cannot import
    the rest of the standard library from root's Python installation."""
    for kind in VALID:
        path = place(kind, home)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(VALID[kind])
        read_as_the_app_does(kind, path, home, run_cli)
        path.unlink()


@pytest.mark.parametrize("condition", CONDITIONS)
@pytest.mark.parametrize("kind", list(VALID))
def test_every_bad_file_gets_one_clear_line_and_is_left_as_it_was(
    kind, condition, home, warmed, run_cli
):
    path = place(kind, home)
    path.parent.mkdir(parents=True, exist_ok=True)
    elsewhere = home.parent / f"{home.name}-elsewhere" / "target.toml"
    elsewhere.parent.mkdir(exist_ok=True)
    try:
        spoil(kind, condition, path, elsewhere)
        before = snapshot(path)
        with as_a_user(home):
            code, told = read_as_the_app_does(kind, path, home, run_cli)
        assert "Traceback" not in told
        expected = EXPECTED[kind][condition]
        if expected:
            assert expected in told, told
            assert str(path) in told or (kind == "theme" and path.name in told), told
        else:
            assert "warning" not in told and told.strip() == "", told
        if kind == "draft":
            assert code == (2 if expected else code), told
        else:
            assert code in (0, 1), told  # a bad side file never stops the command
        assert snapshot(path) == before, "the file was changed"
    finally:
        shutil.rmtree(elsewhere.parent, ignore_errors=True)


def test_a_valid_file_behind_a_symlink_is_read_through_it_and_never_written_through_it(
    home, run_cli
):
    """A dotfiles link: the config is read through it; a theme chosen in the
    composer replaces the link with a file of its own (what the link showed,
    plus the theme), and the target is left as it was."""
    from composer.config import load_config, set_theme

    target = home.parent / f"{home.name}-dotfiles" / "config.toml"
    target.parent.mkdir()
    try:
        target.write_bytes(VALID["config"])
        (home / "config.toml").symlink_to(target)
        paths = Paths(config=home, data=home)
        config, problems = load_config(paths)
        assert problems == [] and config.profile.name == "Sam Ortiz"
        assert set_theme(paths, "outreach-contrast") is None
        assert target.read_bytes() == VALID["config"]
        assert not (home / "config.toml").is_symlink()
        config, problems = load_config(paths)
        assert problems == [] and config.profile.name == "Sam Ortiz"
        assert config.theme == "outreach-contrast"
    finally:
        shutil.rmtree(target.parent, ignore_errors=True)


def test_the_matrix_in_the_docs_has_every_cell():
    """docs/reliability.md shows this very matrix: one row per file, one column per condition."""
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| file | empty |"))
    assert [c.strip() for c in header.strip("|").split("|")][1:] == list(CONDITIONS)
    for kind in VALID:
        row = next(
            line
            for line in text.splitlines()
            if line.startswith(f"| {kind} | ") and line.count("|") == len(CONDITIONS) + 2
        )
        assert row, kind
