"""The compiled-cues cache: a check with it says exactly what a check without
it says, and a broken, foreign or unwritable cache file costs speed, never a
check."""

from __future__ import annotations

import marshal
import os
import re
import tomllib
from pathlib import Path

import pytest

from composer.checklist import run_checklist
from composer.checklist.data import compiled as cache_module
from composer.checklist.data import load_cues
from composer.checklist.data.compiled import CueCache

CORPUS = Path(__file__).parent / "corpus"
EMAILS = [
    tomllib.loads(path.read_text())["text"] for path in sorted((CORPUS / "dev").glob("*.toml"))
][:40]


def _verdicts(compiled: CueCache | None, phrases=None) -> list:
    return [run_checklist(text, phrases=phrases, compiled=compiled).to_json() for text in EMAILS]


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "cache" / "cues.marshal"


def test_every_pattern_loaded_from_the_file_behaves_as_re_compiled(path):
    first = CueCache(path)
    sources = load_cues(store=first)._sources
    for pattern, flags in sources.values():
        first.compile(pattern, flags)
    first.save()
    again = CueCache(path)
    assert not again.dirty
    text = "\n".join(EMAILS).lower()
    for pattern, flags in sources.values():
        loaded, fresh = again.compile(pattern, flags), re.compile(pattern, flags)
        assert (loaded.pattern, loaded.flags, loaded.groups, loaded.groupindex) == (
            fresh.pattern,
            fresh.flags,
            fresh.groups,
            fresh.groupindex,
        )
        assert [m.span() for m in loaded.finditer(text)] == [m.span() for m in fresh.finditer(text)]
    assert not again.dirty, "every pattern came from the file"


def test_checks_with_a_fresh_and_a_loaded_cache_agree_with_no_cache(path):
    plain = _verdicts(None)
    first = CueCache(path)
    assert _verdicts(first) == plain
    first.save()
    assert path.exists()
    loaded = CueCache(path)
    assert _verdicts(loaded) == plain
    assert not loaded.dirty, "a second run of the same emails compiles nothing"


def test_the_users_phrases_file_a_new_table(path):
    phrases = {"vague": ["circle back"], "jargon": ["synergy"]}
    store = CueCache(path)
    assert _verdicts(store, phrases) == _verdicts(None, phrases)
    store.save()
    loaded = CueCache(path)
    assert _verdicts(loaded, phrases) == _verdicts(None, phrases)
    # The plain table is a different key: filed anew, and still right.
    assert _verdicts(loaded) == _verdicts(None)


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00garbage", marshal.dumps("a string"), marshal.dumps((1, 2)), b"\xe3" * 100],
    ids=["empty", "binary", "another-value", "wrong-shape", "truncated"],
)
def test_a_broken_file_is_ignored_and_replaced(path, content):
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    store = CueCache(path)
    assert _verdicts(store) == _verdicts(None)
    store.save()
    key, tables, programs = marshal.loads(path.read_bytes())
    assert key == cache_module._interpreter() and tables and programs


def test_a_file_from_another_interpreter_is_rebuilt(path):
    store = CueCache(path)
    _verdicts(store)
    store.save()
    _, tables, programs = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps(("0:other-python", tables, programs)))
    rebuilt = CueCache(path)
    _verdicts(rebuilt)
    assert rebuilt.dirty, "nothing was taken from a file keyed for another interpreter"


def test_an_engine_that_refuses_the_program_turns_the_cache_off(path, monkeypatch):
    def refuse(pattern, program):
        raise RuntimeError("invalid SRE code")

    monkeypatch.setattr(cache_module, "_load_program", refuse)
    store = CueCache(path)
    assert _verdicts(store) == _verdicts(None)
    store.save()
    assert not path.exists(), "a cache that cannot be used is not written"


def test_an_invalid_pattern_still_raises_re_error(path):
    with pytest.raises(re.error):
        CueCache(path).compile("(unclosed", 0)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_cache_folder_costs_nothing_but_speed(path):
    path.parent.mkdir(mode=0o500)
    store = CueCache(path)
    assert _verdicts(store) == _verdicts(None)
    store.save()
    assert not path.exists()


def test_a_cache_path_that_is_a_folder_costs_nothing_but_speed(path):
    path.mkdir(parents=True)
    store = CueCache(path)
    assert _verdicts(store) == _verdicts(None)
    store.save()
    assert path.is_dir()


def test_outreach_check_keeps_the_cache_in_outreach_home(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("OUTREACH_HOME", str(tmp_path / "home"))
    email = tmp_path / "email.txt"
    email.write_text(EMAILS[0])
    first = run_cli("check", "--json", str(email))
    kept = tmp_path / "home" / "cache" / "cues.marshal"
    assert kept.exists()
    written = kept.stat().st_mtime_ns
    second = run_cli("check", "--json", str(email))
    assert (second.code, second.out) == (first.code, first.out)
    assert kept.stat().st_mtime_ns == written, "nothing new to keep: not rewritten"
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
