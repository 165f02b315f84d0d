"""The offline speller: catches ordinary typos, leaves names, jargon and code alone."""

from __future__ import annotations

import pytest

from composer.config import Grammar
from composer.grammar import GrammarChecker
from composer.spelling import Speller


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
