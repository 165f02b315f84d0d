"""Hostile files in the app's own folders (issue #12): links that would make
a write land elsewhere, FIFOs and devices that would hang a read, a second
composer on the same home, and values that used to end in a traceback.

Each test says what the user sees; docs/reliability.md ("Files that are not
what they seem") lists the same cases.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from composer.model import Draft, Email, InputError
from composer.storage import Paths

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "draft.toml"
GUARD_SECONDS = 30
"""A read that has not returned by then is hung (a FIFO waits for ever); no
working read comes near it, so this is a hang guard, not a timing target."""

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX links, FIFOs and locks")
pytestmark = posix


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def finishes(action):
    """Run `action` and return its result, failing (not hanging) if it blocks."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = action()
        except BaseException as exc:  # handed back to the test below
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(GUARD_SECONDS)
    assert not worker.is_alive(), "the read hung"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture
def paths(tmp_path) -> Paths:
    return Paths(config=tmp_path / "home", data=tmp_path / "home")


# ----- writes never go through a link, nor chmod a folder the app did not make -----


def test_a_theme_save_replaces_a_linked_config_and_leaves_the_shared_folder_alone(paths, tmp_path):
    from composer.config import load_config, set_theme

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    target = shared / "config.toml"
    target.write_text('[profile]\nname = "Sam Ortiz"\n')
    target.chmod(0o644)
    paths.config.mkdir(mode=0o755)
    paths.config_file.symlink_to(target)
    assert set_theme(paths, "outreach-contrast") is None
    assert mode(shared) == 0o1777, "the shared folder keeps its mode"
    assert target.read_text() == '[profile]\nname = "Sam Ortiz"\n' and mode(target) == 0o644
    assert not paths.config_file.is_symlink()
    config, problems = load_config(paths)
    assert problems == [] and config.theme == "outreach-contrast"
    assert config.profile.name == "Sam Ortiz", "what the link showed is kept"
    assert mode(paths.config) == 0o755, "an existing folder is not the app's to chmod"


def test_a_theme_is_not_saved_over_a_dangling_link(paths, tmp_path):
    from composer.config import set_theme

    paths.config.mkdir()
    gone = tmp_path / "elsewhere" / "config.toml"
    paths.config_file.symlink_to(gone)
    problem = set_theme(paths, "outreach-light")
    assert problem and str(paths.config_file) in problem and "was not saved" in problem
    assert paths.config_file.is_symlink() and not gone.exists()


def test_autosave_replaces_a_link_in_drafts_and_leaves_the_outside_file(paths, tmp_path):
    from composer.drafts import latest_unsent, load_draft, save_draft

    outside = tmp_path / "outside"
    outside.mkdir(mode=0o755)
    victim = outside / "notes.toml"
    victim.write_text('point = "someone else\'s file"\n')
    paths.drafts.mkdir(parents=True)
    link = paths.drafts / "20260101-000000.toml"
    link.symlink_to(victim)
    opened = latest_unsent(paths)
    assert opened is not None and opened.path == link
    draft = load_draft(link)
    draft.point = "Typed in the composer"
    save_draft(link, draft)
    assert victim.read_text() == 'point = "someone else\'s file"\n'
    assert mode(outside) == 0o755
    assert not link.is_symlink() and 'point = "Typed in the composer"' in link.read_text()
    assert mode(link) == 0o600


def test_a_send_replaces_a_linked_history_and_keeps_what_it_showed(paths, tmp_path):
    from composer.senders import read_history, record_send

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "history.jsonl"
    record_send(Paths(config=elsewhere, data=elsewhere), Email("Old", "Hi\n", "a@example.com"), "A")
    before = target.read_bytes()
    paths.data.mkdir()
    paths.history.symlink_to(target)
    record_send(paths, Email("New", "Hi\n", "b@example.com"), "B")
    assert target.read_bytes() == before
    assert not paths.history.is_symlink() and mode(paths.history) == 0o600
    entries, problems = read_history(paths)
    assert problems == [] and [e.subject for e in entries] == ["Old", "New"]


def test_a_send_to_a_dangling_history_link_creates_no_file_elsewhere(paths, tmp_path):
    from composer.senders import read_history, record_send

    paths.data.mkdir()
    gone = tmp_path / "elsewhere" / "history.jsonl"
    gone.parent.mkdir()
    paths.history.symlink_to(gone)
    record_send(paths, Email("New", "Hi\n", "b@example.com"), "B")
    assert not gone.exists()
    assert [e.subject for e in read_history(paths)[0]] == ["New"]


def test_files_are_written_into_an_existing_folder_without_changing_its_mode(tmp_path):
    from composer.storage import atomic_write

    team = tmp_path / "team"
    team.mkdir(mode=0o775)
    team.chmod(0o775)
    atomic_write(team / "mine.toml", "x = 1\n")
    assert mode(team) == 0o775 and mode(team / "mine.toml") == 0o600


def special_files(folder: Path) -> dict[str, Path]:
    """A FIFO, a folder, a link to elsewhere and (as root) a device node, in `folder`."""
    made = {}
    os.mkfifo(folder / "fifo")
    made["FIFO"] = folder / "fifo"
    (folder / "folder").mkdir()
    made["folder"] = folder / "folder"
    (folder / "target.toml").write_text("keep me\n")
    (folder / "link").symlink_to(folder / "target.toml")
    made["symlink"] = folder / "link"
    if os.geteuid() == 0:
        # A device of our own (the same one as /dev/null), never the real /dev/null.
        os.mknod(folder / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        made["device"] = folder / "null"
    return made


def describe_entry(path: Path) -> tuple:
    info = os.lstat(path)
    return (stat.S_IFMT(info.st_mode), info.st_ino)


@pytest.mark.parametrize("kind", ["FIFO", "folder", "symlink", "device"])
def test_templates_export_refuses_anything_but_a_regular_file(kind, tmp_path, run_cli):
    made = special_files(tmp_path)
    if kind not in made:
        pytest.skip("making a device node needs root")
    dest = made[kind]
    before = describe_entry(dest)
    result = finishes(lambda: run_cli("templates", "export", "share-and-ask", str(dest), "--force"))
    assert result.code == 2, result.err
    assert result.err.count("\n") == 1 and str(dest) in result.err
    assert "not a regular file" in result.err
    assert describe_entry(dest) == before
    assert (tmp_path / "target.toml").read_text() == "keep me\n"


def test_templates_export_still_writes_a_new_path_and_replaces_a_file_with_force(tmp_path, run_cli):
    dest = tmp_path / "out.toml"
    assert run_cli("templates", "export", "share-and-ask", str(dest)).code == 0
    dest.write_text("old\n")
    assert run_cli("templates", "export", "share-and-ask", str(dest)).code == 2
    assert run_cli("templates", "export", "share-and-ask", str(dest), "--force").code == 0
    assert "subject" in dest.read_text()


# ----- ownership of templates comes from the path -----


def test_a_team_folder_named_yours_is_not_yours_to_delete(tmp_path, run_cli):
    home = tmp_path / "home"
    team = home / "yours"
    team.mkdir(parents=True)
    shared = (ROOT / "templates" / "share-article.toml").read_text()
    (team / "team-intro.toml").write_text(shared.replace("share-article", "team-intro"))
    (home / "config.toml").write_text('template_dirs = ["yours"]\n')
    listed = run_cli("templates", "list", "--home", str(home)).out
    line = next(ln for ln in listed.splitlines() if ln.startswith("team-intro"))
    assert str(team) in line, "a team folder is never listed as yours"
    result = run_cli("templates", "delete", "team-intro", "--home", str(home))
    assert result.code == 2 and "only your own templates" in result.err
    assert (team / "team-intro.toml").exists()


def test_your_own_templates_are_still_yours_to_delete(tmp_path, run_cli):
    home = tmp_path / "home"
    source = tmp_path / "mine.toml"
    source.write_text('name = "mine"\nsubject = "Hi"\nbody = "Hello {{ recipient.first_name }}"\n')
    assert run_cli("templates", "import", str(source), "--home", str(home)).code == 0
    result = run_cli("templates", "delete", "mine", "--home", str(home))
    assert result.code == 0, result.err
    assert not (home / "templates" / "mine.toml").exists()


# ----- two composers on one home -----


def test_a_draft_held_by_one_composer_cannot_be_taken_by_another(paths):
    from composer.drafts import claim_new_draft, lock_draft

    first = claim_new_draft(paths)
    assert first.held and lock_draft(first.path) is None
    first.release()
    again = lock_draft(first.path)
    assert again is not None and again.held
    again.release()
    assert list(paths.drafts.iterdir()) == [], "a released lock leaves no file"


def test_drafts_claimed_in_the_same_second_get_different_names(paths):
    from composer.drafts import claim_new_draft

    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    claims = [claim_new_draft(paths, now) for _ in range(5)]
    assert len({c.path for c in claims}) == 5
    assert claims[0].path.name == "20260102-030405.toml"


CLAIM = """
import sys
from pathlib import Path
from datetime import UTC, datetime
from composer.drafts import claim_new_draft
from composer.storage import Paths
home = Path(sys.argv[1])
claim = claim_new_draft(Paths(config=home, data=home), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
print(claim.path.name, flush=True)
sys.stdin.read()
"""


def test_composers_started_together_never_share_a_name(paths):
    """Eight processes claim a name for the same second at once (O_EXCL)."""
    paths.drafts.mkdir(parents=True)
    runs = [
        subprocess.Popen(
            [sys.executable, "-P", "-c", CLAIM, str(paths.data)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    try:
        names = [run.stdout.readline().strip() for run in runs]
    finally:
        for run in runs:
            run.communicate("")
    assert len(set(names)) == 8 and all(names), names


HOLD = """
import sys
from pathlib import Path
from composer.drafts import lock_draft
lock = lock_draft(Path(sys.argv[1]))
print("held" if lock else "taken", flush=True)
sys.stdin.read()
"""


def test_a_composer_killed_with_sigkill_leaves_no_lock(paths):
    from composer.drafts import clean_drafts_folder, lock_draft, save_draft

    paths.drafts.mkdir(parents=True)
    draft = paths.drafts / "20260101-000000.toml"
    save_draft(draft, Draft(point="Kept"))
    holder = subprocess.Popen(
        [sys.executable, "-P", "-c", HOLD, str(draft)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    assert lock_draft(draft) is None
    holder.kill()
    holder.wait()
    lock = lock_draft(draft)
    assert lock is not None, "the kernel dropped the dead composer's lock"
    lock.release()
    leftover = paths.drafts / f".{draft.name}.lock"
    leftover.touch()
    os.utime(leftover, (time.time() - 3600,) * 2)
    clean_drafts_folder(paths)
    assert not leftover.exists(), "an unlocked lock file of a dead composer is cleaned"


def test_a_second_composer_opens_a_new_draft_and_says_which_is_taken(paths, monkeypatch, run_cli):
    from composer.drafts import lock_draft, save_draft
    from composer.tui.app import ComposerApp

    paths.drafts.mkdir(parents=True)
    unsent = paths.drafts / "20260101-000000.toml"
    save_draft(unsent, Draft(point="Only in the first composer"))
    first = lock_draft(unsent)
    opened = []
    monkeypatch.setattr(ComposerApp, "run", lambda app: opened.append(app))
    try:
        result = run_cli("--home", str(paths.data))
    finally:
        first.release()
    assert result.code == 0, result.err
    (second,) = opened
    assert second.draft_path != unsent and second.draft.point == ""
    assert any(unsent.name in n and "another composer" in n for n in second._notices)
    second._draft_lock.release()
    reopened = []
    monkeypatch.setattr(ComposerApp, "run", lambda app: reopened.append(app))
    assert run_cli("--home", str(paths.data)).code == 0
    assert reopened[0].draft_path == unsent, "once free, the draft comes back"
    reopened[0]._draft_lock.release()


# ----- what kill -9 leaves in drafts/ -----


def test_stale_temp_files_are_cleaned_and_live_ones_kept(paths):
    from composer.drafts import clean_drafts_folder

    paths.drafts.mkdir(parents=True)
    old = time.time() - 3600
    stale = paths.drafts / ".20260101-000000.toml.k3j_9xq2.tmp"
    fresh = paths.drafts / ".20260101-000001.toml.abcd1234.tmp"
    foreign = paths.drafts / ".notes.tmp"
    for path in (stale, fresh, foreign):
        path.write_text("partial")
    for path in (stale, foreign):
        os.utime(path, (old, old))
    clean_drafts_folder(paths)
    assert not stale.exists()
    assert fresh.exists(), "a live composer's write in progress is left alone"
    assert foreign.exists(), "only the app's own temp names are touched"


def test_a_lock_held_by_a_live_composer_is_never_cleaned(paths):
    from composer.drafts import claim_new_draft, clean_drafts_folder, lock_draft

    claim = claim_new_draft(paths)
    lock_file = claim.path.with_name(f".{claim.path.name}.lock")
    os.utime(lock_file, (time.time() - 3600,) * 2)
    clean_drafts_folder(paths)
    assert lock_file.exists() and lock_draft(claim.path) is None
    claim.release()


def test_the_composer_cleans_the_drafts_folder_when_it_starts(paths, monkeypatch, run_cli):
    from composer.tui.app import ComposerApp

    paths.drafts.mkdir(parents=True)
    stale = paths.drafts / ".20260101-000000.toml.k3j_9xq2.tmp"
    stale.write_text("partial")
    os.utime(stale, (time.time() - 3600,) * 2)
    started = []
    monkeypatch.setattr(ComposerApp, "run", lambda app: started.append(app))
    assert run_cli("--home", str(paths.data)).code == 0
    assert not stale.exists()
    started[0]._draft_lock.release()


# ----- one size limit at save and at load -----


def test_a_draft_too_large_to_load_is_not_saved(paths):
    from composer.drafts import load_draft, save_draft
    from composer.model import MAX_INPUT_BYTES

    path = paths.drafts / "20260101-000000.toml"
    with pytest.raises(OSError) as refused:
        save_draft(path, Draft(point="x" * MAX_INPUT_BYTES))
    assert "too large to save" in refused.value.strerror and "still in the composer" in (
        refused.value.strerror
    )
    assert not path.exists()
    fits = Draft(point="x" * (MAX_INPUT_BYTES - 1000))
    save_draft(path, fits)
    assert load_draft(path).point == fits.point, "what can be saved can be loaded"


async def test_a_paste_too_large_to_save_stays_in_the_composer_and_says_so(paths):
    from tui.conftest import RecordingApp
    from tui.test_composer import settle

    from composer.model import MAX_INPUT_BYTES

    app = RecordingApp(Draft(), paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pasted = "word " * (MAX_INPUT_BYTES // 5 + 1)
        app.draft = Draft(point=pasted)
        assert app.save_now() is None
        assert app.draft.point == pasted
        told = " ".join(message for _, message in app.notes)
        assert "too large to save" in told and str(app.draft_path) in told
        assert not app.draft_path.exists()


# ----- files that are not files: no hang, no runaway memory -----

SPECIALS = ("FIFO", "socket", "link to /dev/zero")


def make_special(kind: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "FIFO":
        os.mkfifo(path)
    elif kind == "socket":
        # AF_UNIX paths are short: bind in the folder, under a short name.
        here = os.getcwd()
        os.chdir(path.parent)
        try:
            server = socket.socket(socket.AF_UNIX)
            server.bind(path.name)
            server.close()
        finally:
            os.chdir(here)
    else:
        path.symlink_to("/dev/zero")


def read_as_the_app_does(kind: str, path: Path, home: Path, run_cli) -> str:
    """What the user is told when the app reads `path` as a file of `kind`."""
    from composer.tui.themes import user_themes

    if kind == "draft":
        result = run_cli("check", str(path), "--home", str(home))
        assert result.code == 2
    elif kind == "template":
        result = run_cli("templates", "list", "--home", str(home))
        assert result.code == 0 and "share-and-ask" in result.out
    elif kind == "config":
        result = run_cli("check", str(EXAMPLE), "--home", str(home))
        assert result.code in (0, 1)
    elif kind == "history":
        result = run_cli("history", "--home", str(home))
        assert result.code == 0
    else:
        return " ".join(user_themes(path.parent)[1])
    return result.err


PLACES = {
    "draft": "mine.toml",
    "template": "templates/mine.toml",
    "config": "config.toml",
    "theme": "themes/mine.toml",
    "history": "history.jsonl",
}


@pytest.mark.parametrize("special", SPECIALS)
@pytest.mark.parametrize("kind", list(PLACES))
def test_a_fifo_socket_or_device_is_refused_without_waiting(kind, special, tmp_path, run_cli):
    home = tmp_path / "h"
    path = home / PLACES[kind]
    make_special(special, path)
    told = finishes(lambda: read_as_the_app_does(kind, path, home, run_cli))
    assert "Traceback" not in told
    assert "not a regular file" in told and (str(path) in told or path.name in told), told
    assert told.count("\n") <= 1


def test_a_draft_folder_holding_a_fifo_still_lets_the_composer_start(paths, monkeypatch, run_cli):
    from composer.tui.app import ComposerApp

    make_special("FIFO", paths.drafts / "20260101-000000.toml")
    started = []
    monkeypatch.setattr(ComposerApp, "run", lambda app: started.append(app))
    result = finishes(lambda: run_cli("--home", str(paths.data)))
    assert result.code == 0, result.err
    assert any("not a regular file" in n for n in started[0]._notices)
    started[0]._draft_lock.release()


def test_a_file_that_grows_past_the_limit_while_read_is_cut_off(tmp_path, monkeypatch):
    """The size is counted while reading, not trusted from fstat."""
    from composer import storage

    path = tmp_path / "growing.toml"
    path.write_bytes(b"x" * 10)
    real_fstat = os.fstat

    def stale_fstat(fd):
        info = real_fstat(fd)
        with open(path, "ab") as grow:
            grow.write(b"x" * 100)
        return info

    monkeypatch.setattr(storage.os, "fstat", stale_fstat)
    with pytest.raises(storage.FileTooLarge):
        storage.read_file(path, 50)


# ----- values that used to end in a traceback -----


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_non_finite_rule_setting_is_a_warning(value, tmp_path, run_cli):
    from composer.config import load_config

    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f"[rules.length]\nmax_words = {value}\n")
    result = run_cli("check", str(EXAMPLE), "--home", str(home))
    assert result.code in (0, 1) and "Traceback" not in result.err
    assert "'max_words' of 'length' must be a finite number" in result.err
    config, _ = load_config(Paths(config=home, data=home))
    assert config.rules == {}, "the composer starts with the default"


@pytest.mark.parametrize("template", ["a/b\x00c.toml", "ab\x00c"])
def test_a_nul_in_a_drafts_template_name_is_one_line(template, tmp_path, run_cli):
    import tomli_w

    draft = tmp_path / "d.toml"
    draft.write_text(tomli_w.dumps({"template": template, "point": "Would you share one?"}))
    for command in (["check", str(draft)], ["render", "--draft", str(draft)]):
        result = run_cli(*command, "--home", str(tmp_path / "home"))
        assert result.code == 2 and "Traceback" not in result.err, result.err
        assert result.err.count("\n") == 1


def test_a_nul_in_an_autosaved_drafts_template_name_does_not_stop_the_composer(
    paths, monkeypatch, run_cli
):
    from composer.drafts import save_draft
    from composer.tui.app import ComposerApp

    save_draft(paths.drafts / "20260101-000000.toml", Draft(point="Kept", template="x/\x00.toml"))
    started = []
    monkeypatch.setattr(ComposerApp, "run", lambda app: started.append(app))
    result = run_cli("--home", str(paths.data))
    assert result.code == 0, result.err
    (app,) = started
    assert app.draft.point == "Kept" and app.template == "share-and-ask"
    assert any("NUL" in n for n in app._notices)
    app._draft_lock.release()


def test_a_history_time_out_of_range_is_skipped_and_the_rest_listed(paths, run_cli):
    paths.data.mkdir()
    good = {"recipient": "Ana", "email": "a@example.com", "subject": "Hello", "text": "Hi"}
    lines = [
        {**good, "timestamp": "0001-01-01T00:00:00+14:00"},
        {**good, "timestamp": "9999-12-31T23:59:59-14:00"},
        {**good, "timestamp": "2026-01-02T03:04:05+00:00"},
    ]
    paths.history.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = run_cli("history", "--home", str(paths.data))
    assert result.code == 0 and "Traceback" not in result.err
    assert "skipped unreadable lines 1, 2" in result.err
    assert result.out.count("Hello") == 1


def test_a_line_break_in_a_recipient_keeps_the_history_one_line_per_email(paths, run_cli):
    from composer.senders import record_send

    record_send(paths, Email("Hello", "Hi\n", "ana@example.com\nBcc: x@y"), "Ana\nRuiz")
    record_send(paths, Email("Again", "Hi\n", "bo@example.com"), "Bo\u2028Li")
    result = run_cli("history", "--home", str(paths.data))
    assert result.code == 0 and result.err == ""
    listed = result.out.splitlines()
    assert len(listed) == 2 and "Ana Ruiz" in listed[0] and "Bo Li" in listed[1]


@pytest.mark.parametrize(
    ("email", "sender", "field"),
    [
        (Email("Hi", "Body\n", "ana@example.com\nBcc: x@y"), "", "recipient's address"),
        (Email("Hi\nBcc: x@y", "Body\n", "ana@example.com"), "", "subject"),
        (Email("Hi", "Body\n", "ana@example.com"), "Sam\r\nBcc: x@y", "sender"),
    ],
)
def test_a_line_break_in_an_eml_header_is_a_clear_error(email, sender, field, tmp_path):
    from composer.senders import save_eml

    target = tmp_path / "out.eml"
    with pytest.raises(InputError) as refused:
        save_eml(email, target, sender)
    assert field in str(refused.value) and "line break" in str(refused.value)
    assert not target.exists()


# ----- a full disk says which file -----


def test_a_full_disk_names_the_file_once(tmp_path, run_cli, monkeypatch):
    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    dest = tmp_path / "out.toml"
    result = run_cli("templates", "export", "share-and-ask", str(dest))
    assert result.code == 2
    assert result.err == f"outreach: {dest}: No space left on device\n"
    assert list(tmp_path.iterdir()) == [], "no temp file is left behind"


def test_a_full_disk_while_recording_a_send_names_the_history(paths, monkeypatch):
    from composer.senders import record_send

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError) as full:
        record_send(paths, Email("Hi", "Body\n", "a@example.com"), "A")
    assert full.value.filename == str(paths.history)
