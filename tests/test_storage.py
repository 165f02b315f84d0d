"""Files hold other people's contact details: private, and written atomically."""

from __future__ import annotations

import os
import stat

import pytest

from composer.model import Email
from composer.senders import read_history, record_send
from composer.storage import Paths, atomic_write, resolve_paths

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix
def test_new_folders_are_0700_and_files_0600(tmp_path):
    home = tmp_path / "home"
    paths = resolve_paths(home)
    atomic_write(paths.drafts / "d.toml", "point = 'x'\n")
    record_send(paths, Email("S", "B\n", "a@example.com"), "A")
    assert mode(home) == 0o700
    assert mode(paths.drafts) == 0o700
    assert mode(paths.drafts / "d.toml") == 0o600
    assert mode(paths.history) == 0o600


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path, monkeypatch):
    target = tmp_path / "draft.toml"
    atomic_write(target, "old\n")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic_write(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["draft.toml"]  # no temp file left behind


def test_outreach_home_puts_everything_in_one_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("OUTREACH_HOME", str(tmp_path))
    paths = resolve_paths()
    assert paths == Paths(config=tmp_path, data=tmp_path)
    assert resolve_paths(tmp_path / "other").data == tmp_path / "other"


def test_history_round_trip(tmp_path):
    paths = Paths(config=tmp_path, data=tmp_path)
    record_send(paths, Email("Hello", "Hi Ana,\n", "ana@example.com"), "Ana Ruiz")
    entries, bad = read_history(paths)
    assert (
        bad == []
        and entries[0].subject == "Hello"
        and entries[0].text == "Subject: Hello\n\nHi Ana,\n"
    )


def test_history_keeps_the_blocks_a_sender_overruled(tmp_path):
    paths = Paths(config=tmp_path, data=tmp_path)
    email = Email("Hello", "Hi Ana,\n", "ana@example.com")
    record_send(paths, email, "Ana Ruiz")
    record_send(paths, email, "Ana Ruiz", accepted={"giver": "the patch is the gift"})
    lines = paths.history.read_text().splitlines()
    assert "accepted" not in lines[0]
    entries, bad = read_history(paths)
    assert bad == [] and [e.accepted for e in entries] == [{}, {"giver": "the patch is the gift"}]


def test_a_history_line_whose_marks_are_not_reasons_is_skipped(tmp_path):
    paths = Paths(config=tmp_path, data=tmp_path)
    record_send(paths, Email("Hello", "Hi Ana,\n", "ana@example.com"), "Ana Ruiz")
    line = paths.history.read_text().rstrip("\n")
    paths.history.write_text(line[:-1] + ', "accepted": {"giver": 3}}\n' + line + "\n")
    entries, bad = read_history(paths)
    assert len(entries) == 1 and bad == [f"{paths.history}: skipped unreadable lines 1"]


@posix
def test_writing_to_a_symlink_replaces_the_link_not_its_target(tmp_path):
    """Whoever controls a link must not choose which file the app overwrites."""
    real = tmp_path / "dotfiles" / "outreach.toml"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    atomic_write(link, "new\n")
    assert real.read_text() == "old\n"
    assert not link.is_symlink() and link.read_text() == "new\n"


@posix
def test_an_existing_folder_keeps_its_mode_and_a_new_one_is_private(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    atomic_write(shared / "new" / "d.toml", "x = 1\n")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert mode(shared / "new") == 0o700 and mode(shared / "new" / "d.toml") == 0o600
