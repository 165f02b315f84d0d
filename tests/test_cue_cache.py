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


def test_a_cache_that_cannot_be_written_costs_nothing_but_speed(path, monkeypatch):
    def refused(target, content, private=True):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr("composer.storage.atomic_write", refused)
    store = CueCache(path)
    assert _verdicts(store) == _verdicts(None)
    store.save()
    assert not path.exists()
    assert store.dirty, "still to be written, by a later save that can"


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


def test_a_link_that_loops_or_a_fifo_costs_nothing_but_speed(path):
    path.parent.mkdir(parents=True)
    path.symlink_to(path.name)
    store = CueCache(path)
    assert _verdicts(store) == _verdicts(None)
    store.save()  # an OSError inside, not a RuntimeError out of resolve()
    path.unlink()
    os.mkfifo(path)
    assert _verdicts(CueCache(path)) == _verdicts(None), "a FIFO is not read (nor waited on)"


def _kept_state(path):
    store = CueCache(path)
    _verdicts(store)
    store.save()
    key, tables, programs = marshal.loads(path.read_bytes())
    ((table_key, state),) = tables.items()
    return key, table_key, state, programs


def _spoiled(state, how):
    state = dict(state)
    if how == "not-a-dict":
        return 1
    if how == "missing-part":
        del state["by_key"]
    elif how == "short-entries":
        state["by_key"] = {k: [(name,) for name, _ in v] for k, v in state["by_key"].items()}
    elif how == "no-sources":
        state["sources"] = {}
    elif how == "a-class-missing":
        state["sources"] = {k: v for k, v in state["sources"].items() if k != "greeting"}
    elif how == "bad-flags":
        state["sources"] = {k: (v[0], "8") for k, v in state["sources"].items()}
    elif how == "unhashable-names":
        state["on_original"] = [["greeting"]]
        state["unkeyed"] = [(["ask"], "x")]
    return state


@pytest.mark.parametrize(
    "how",
    [
        "not-a-dict",
        "missing-part",
        "short-entries",
        "no-sources",
        "a-class-missing",
        "bad-flags",
        "unhashable-names",
    ],
)
def test_a_kept_table_of_the_wrong_shape_is_filed_again(path, how):
    key, table_key, state, programs = _kept_state(path)
    path.write_bytes(marshal.dumps((key, {table_key: _spoiled(state, how)}, programs)))
    store = CueCache(path)
    assert _verdicts(store) == _verdicts(None)
    assert store.dirty, "the table was filed again, to be kept"


@pytest.mark.parametrize(
    "program",
    [(1, 2), None, "x", (8, [999_999], 0, {}, ()), (8, [], 0, {}, ())],
    ids=["short", "none", "a-string", "invalid-code", "empty-code"],
)
def test_a_kept_program_of_the_wrong_shape_costs_nothing_but_speed(path, program):
    key, table_key, state, programs = _kept_state(path)
    for pattern in programs:
        programs[pattern] = program
    path.write_bytes(marshal.dumps((key, {table_key: state}, programs)))
    store = CueCache(path)
    assert _verdicts(store) == _verdicts(None)
    store.save()
    mended = CueCache(path)
    assert _verdicts(mended) == _verdicts(None)
    assert not mended.dirty, "the damaged programs were made again and kept"


def test_kept_programs_that_are_not_a_table_are_ignored(path):
    key, table_key, state, _ = _kept_state(path)
    path.write_bytes(marshal.dumps((key, {table_key: state}, [1, 2])))
    store = CueCache(path)
    assert _verdicts(store) == _verdicts(None)
    assert store.dirty


def _edited_copy(module, folder: Path, *beside: str) -> str:
    """A copy of `module`'s file with one more comment (and the data files it
    reads beside it): the same code, as a newer version of the app would be."""
    source = Path(module.__file__)
    folder.mkdir()
    for name in beside:
        (folder / name).write_bytes(source.with_name(name).read_bytes())
    copy = folder / source.name
    copy.write_text(source.read_text() + "\n# a newer version\n")
    return str(copy)


@pytest.fixture
def fresh_keys():
    """The module-level caches of what the keys are made of, cleared around a test."""
    from composer.checklist import data

    def clear():
        cache_module._interpreter.cache_clear()
        data._own_source.cache_clear()
        data._load_cues.cache_clear()

    clear()
    yield
    clear()


def test_new_code_in_compiled_py_makes_its_programs_again(path, tmp_path, monkeypatch, fresh_keys):
    store = CueCache(path)
    _verdicts(store)
    store.save()
    monkeypatch.setattr(cache_module, "__file__", _edited_copy(cache_module, tmp_path / "new"))
    cache_module._interpreter.cache_clear()
    again = CueCache(path)
    _verdicts(again)
    assert again.dirty, "programs kept by other code were not used"


def test_new_code_filing_the_cues_files_them_again(path, tmp_path, monkeypatch, fresh_keys):
    from composer.checklist import data

    store = CueCache(path)
    _verdicts(store)
    store.save()
    assert not _kept_after_load(path), "unchanged code: the kept table is used"
    monkeypatch.setattr(data, "__file__", _edited_copy(data, tmp_path / "new", "cues.toml"))
    data._own_source.cache_clear()
    assert _kept_after_load(path), "the table was filed again"


def _kept_after_load(path) -> bool:
    """Whether loading the cues with a store read from `path` filed a new table."""
    from composer.checklist import data

    data._load_cues.cache_clear()
    store = CueCache(path)
    data.load_cues(store=store)
    return bool(store.dirty)
