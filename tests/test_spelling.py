"""The offline speller: catches ordinary typos, leaves names, jargon and code alone."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from composer.config import Grammar
from composer.grammar import GrammarChecker
from composer.spelling import Speller, WordTable


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller("en-US")


def flagged(speller: Speller, text: str) -> list[str]:
    return [text[s.start : s.end] for s in speller.check(text)]


def test_ordinary_typos_are_flagged_with_suggestions(speller):
    text = "I will recieve teh file, definately before we seperate.\n"
    slips = speller.check(text)
    assert [text[s.start : s.end] for s in slips] == ["recieve", "teh", "definately", "seperate"]
    assert [s.replacements[0] for s in slips] == ["receive", "the", "definitely", "separate"]
    assert all(s.spelling and s.rule_id == "OFFLINE_SPELLING" for s in slips)


def test_a_typo_starting_a_long_sentence_is_flagged_with_its_case_kept(speller):
    text = "Teh team shipped the release last week and it went well.\n"
    (slip,) = speller.check(text)
    assert text[slip.start : slip.end] == "Teh" and slip.replacements[0] == "The"


@pytest.mark.parametrize(
    "text",
    [
        "Hi Priya,\n",  # a greeting: the name after it
        "Best,\nSam Okonkwo\n",  # a sign-off and a signature
        "I met Priya Raman and Okonkwo at the meetup.\n",  # names mid-sentence
        "Our SRE team and the NYC office use InMail and iPhones.\n",  # ALLCAPS, inner capitals
        "We moved to arm64 in Q3 and v2 ships on the 3rd.\n",  # digits
        "Docs at https://tabkit.io/getting-started and sam@ledgerly.com, or ledgerly.com/blog.\n",
        "Fill in {{ first_name }} and {company} and [Name] and <Team>.\n",  # placeholders
        "Run `pipx install confmerge` first.\n",  # code
        "Our onboarding for the fintech SaaS uses kubernetes, a monorepo and okrs.\n",  # jargon
        "We're sure you'd like it; I'm glad they've shipped, and don't worry.\n",  # contractions
        "The company's plan and the teams' plans are pre-launch and multi-region.\n",
        "We built Tabkit, and tabkit users love it.\n",  # the email vouches for its own names
    ],
)
def test_names_jargon_code_and_contractions_are_not_flagged(speller, text):
    assert flagged(speller, text) == []


def test_british_spellings_pass_only_in_british_english():
    text = "The colour and behaviour of the programme were a favourite.\n"
    assert flagged(Speller("en-GB"), text) == []
    assert set(flagged(Speller("en-US"), text)) >= {"colour", "behaviour", "programme"}


def test_an_unsupported_language_is_a_clear_error():
    with pytest.raises(ValueError, match="no offline dictionary for 'xx-YY'"):
        Speller("xx-YY")


def test_the_checker_drops_draft_names_and_the_word_list():
    text = "Subject: Notes\n\nThe zorblat plan from teh Quenyaco office went well today.\n"
    checker = GrammarChecker(Grammar(words=["zorblat"]))
    result = checker.check(text, ["Quenyaco"])
    assert [text[s.start : s.end] for s in result.slips] == ["teh"]
    assert result.checker == "offline spelling" and not result.full


def test_an_unsupported_language_leaves_the_grammar_rule_skipped_with_the_reason():
    result = GrammarChecker(Grammar(language="xx-YY")).check("Some teh text.\n")
    assert not result.ran and "no offline dictionary" in result.problem


@pytest.mark.parametrize(
    ("typo", "best"),
    [
        ("wich", "which"),
        ("adress", "address"),
        ("teh", "the"),
        ("tiem", "time"),
        ("thier", "their"),
    ],
)
def test_the_first_suggestion_explains_a_dropped_or_swapped_letter(speller, typo, best):
    assert speller.suggest(typo)[0] == best


@pytest.mark.parametrize(("typo", "best"), [("usefull", "useful"), ("untill", "until")])
def test_a_doubled_letter_is_undone_first(speller, typo, best):
    assert speller.suggest(typo)[0] == best


@pytest.mark.parametrize(
    ("text", "typo"),
    [
        ("Subject: Recieve My Notes\n\nWould you like to recieve my notes on it?\n", "recieve"),
        ("PLEASE RECIEVE THIS.\n\nI hope you recieve this note well and soon.\n", "recieve"),
        ("Hi Priya,\n\nThnak you so much!\n", "Thnak"),
    ],
)
def test_a_typo_is_not_excused_by_where_else_it_appears(speller, text, typo):
    assert typo in flagged(speller, text)


@pytest.mark.parametrize(
    "word", ["roadmap", "workflow", "hackathon", "bootcamp", "deliverables", "résumé"]
)
def test_everyday_work_words_are_known(speller, word):
    assert flagged(speller, f"We shared the {word} with the team last week.\n") == []


# The word table: pyspellchecker's word list, held as hashes.


def _pyspellchecker(language: str = "en"):
    from spellchecker import SpellChecker

    return SpellChecker(language=language, distance=1)


@pytest.fixture(scope="module")
def library():
    return _pyspellchecker()


@pytest.fixture(scope="module")
def table():
    return WordTable.load("en")


def test_the_table_knows_exactly_the_libraries_words(table, library):
    words = list(library.word_frequency.dictionary)
    assert len(table) == len(words)
    assert all(word in table for word in words)
    # Every edit of a sample of words that the library does not know, the table
    # does not know either: no hash collisions in ~100,000 lookups.
    asked = set().union(*(table.edits(word) for word in words[::800]))
    assert {w for w in asked if w in table} == library.known(asked)


def test_suggestions_rank_by_the_libraries_frequencies(table, library):
    common, rare = library["which"], library["witch"]
    assert common > rare and table.frequency("which") > table.frequency("witch")
    assert table.frequency("notaword") is None


@pytest.mark.parametrize("typo", ["wich", "recieve", "adress", "thier", "becuase", "teh"])
def test_one_edit_finds_what_the_library_finds(table, library, typo):
    assert table.known(table.edits(typo)) == library.known(library.edit_distance_1(typo))


def test_a_kept_table_loads_without_building(tmp_path, monkeypatch):
    built = WordTable.load("en", tmp_path)
    assert (tmp_path / "words-en.marshal").exists()

    def no_building(text):
        raise AssertionError("built again")

    monkeypatch.setattr(WordTable, "build", no_building)
    kept = WordTable.load("en", tmp_path)
    assert len(kept) == len(built) and "receive" in kept and "recieve" not in kept
    assert kept.letters == built.letters and kept.longest == built.longest


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff garbage",
        marshal.dumps(("another", "key")),
        marshal.dumps(((1, "little", 0, 0), "abc", 5, b"\x00" * 8)),
    ],
    ids=["empty", "binary", "wrong-shape", "another-source"],
)
def test_a_broken_kept_table_is_built_again(tmp_path, content, monkeypatch):
    (tmp_path / "words-en.marshal").write_bytes(content)
    table = WordTable.load("en", tmp_path)
    assert "receive" in table and "recieve" not in table
    monkeypatch.setattr(WordTable, "build", _no_building)
    assert len(WordTable.load("en", tmp_path)) == len(table), "the rebuilt table was kept"


def _no_building(text):
    raise AssertionError("built again")


def _kept_parts(tmp_path):
    WordTable.load("en", tmp_path)
    return marshal.loads((tmp_path / "words-en.marshal").read_bytes())


@pytest.mark.parametrize(
    "spoil",
    [
        lambda key, letters, longest, entries: (key, 5, longest, entries),
        lambda key, letters, longest, entries: (key, letters, None, entries),
        lambda key, letters, longest, entries: (key, letters, longest, b""),
        lambda key, letters, longest, entries: (key, letters, longest, entries[:-3]),
        lambda key, letters, longest, entries: (key, letters, longest, list(entries)),
    ],
    ids=["letters", "longest", "no-words", "cut-short", "entries-a-list"],
)
def test_a_kept_table_of_the_wrong_shape_is_built_again(tmp_path, spoil):
    parts = _kept_parts(tmp_path)
    (tmp_path / "words-en.marshal").write_bytes(marshal.dumps(spoil(*parts)))
    speller = Speller("en-US", tmp_path)
    assert [s.replacements[:1] for s in speller.check("We recieve notes.")] == [("receive",)]
    assert marshal.loads((tmp_path / "words-en.marshal").read_bytes()) == parts


def test_new_code_in_spelling_py_builds_the_table_again(tmp_path, monkeypatch):
    import composer.spelling as spelling

    WordTable.load("en", tmp_path)
    copy = tmp_path / "new" / "spelling.py"
    copy.parent.mkdir()
    copy.write_text(Path(spelling.__file__).read_text() + "\n# a newer version\n")
    monkeypatch.setattr(spelling, "__file__", str(copy))
    monkeypatch.setattr(WordTable, "build", _no_building)
    with pytest.raises(AssertionError, match="built again"):
        WordTable.load("en", tmp_path)


def test_a_link_that_loops_or_a_fifo_for_the_table_costs_only_time(tmp_path):
    kept = tmp_path / "words-en.marshal"
    kept.symlink_to(kept.name)
    assert "receive" in WordTable.load("en", tmp_path)
    kept.unlink()
    os.mkfifo(kept)
    assert "receive" in WordTable.load("en", tmp_path), "a FIFO is not read (nor waited on)"


def test_a_word_a_little_longer_than_any_gets_no_made_up_suggestions(table):
    word = "pneumonoultramicroscopicsilicovolcanoconiosis"
    assert len(word) == table.longest
    assert word + "x" not in table and not table.known(table.edits(word + "xyz"))
    speller = Speller("en-US")
    too_long = word + "xyzw"  # longer than longest + 3: not judged, as pyspellchecker
    assert speller.check(f"We saw {word}xyz today.")
    assert speller.check(f"We saw {too_long} today.") == []


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    table = WordTable.load("en", blocked)
    assert "receive" in table


@pytest.mark.parametrize(
    "text",
    [
        '{\n"colour": 12,\n"grey": 3\n}',
        '{\r\n"colour": 12,\r\n"grey": 3\r\n}',
        '{"colour": 12, "grey": 3}',
        '{"colour":12,"grey":3}',
        '{\n"col\\u006fur": 12,\n"grey": 3\n}',
        '{\n"\\u0043olour": 12,\n"Grey": 3\n}',
    ],
    ids=["one-per-line", "crlf", "one-line", "compact", "escaped", "escaped-capital"],
)
def test_every_layout_of_the_libraries_json_reads_the_same(text):
    table = WordTable.build(text)
    assert len(table) == 2 and "colour" in table and "grey" in table
    assert table.frequency("colour") > table.frequency("grey")
    assert table.letters == "cegloruy", "the letters of the words, not of the JSON"


@pytest.mark.parametrize("language", ["es", "eu", "fa"])
def test_other_languages_load_whatever_their_files_layout(language):
    table = WordTable.load(language)
    library = _pyspellchecker(language)
    sample = list(library.word_frequency.dictionary)[::997]
    assert len(table) == len(library.word_frequency.dictionary)
    assert all(word in table for word in sample)


def test_a_text_of_unknown_words_is_all_flagged_and_suggestions_share_one_budget(monkeypatch):
    import composer.spelling as spelling

    monkeypatch.setattr(spelling, "_SUGGESTION_BUDGET", 0.0)
    speller = Speller("en-US")
    words = ["wich", "adress", "tiem", "thier"] * 50
    text = " ".join(words) + "\n"
    slips = speller.check(text)
    assert [text[s.start : s.end] for s in slips] == words, "every unknown word is flagged"
    assert slips[0].replacements[0] == "which", "the first search always runs"
    assert all(not s.replacements for s in slips[1:] if text[s.start : s.end] != "wich")
    again = speller.check(text)
    assert again[0].replacements == slips[0].replacements, "found suggestions are kept"
