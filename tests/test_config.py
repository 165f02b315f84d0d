"""config.toml: typed settings, never fatal, never overwritten when broken."""

from __future__ import annotations

import pytest

from composer.config import Config, load_config, parse_config, set_theme
from composer.storage import Paths


def test_defaults_without_a_file(tmp_path):
    config, problems = load_config(Paths(config=tmp_path, data=tmp_path))
    assert config == Config() and problems == []


def test_a_full_config_round_trips(tmp_path):
    text = """
theme = "outreach-light"
template_dirs = ["~/team-templates"]

[profile]
name = "Sam Ortiz"
role = "Senior Recruiter"

[rules.length]
severity = "block"
max_words = 150

[grammar]
backend = "off"
words = ["Northwind"]
"""
    config, problems = parse_config(text, "config.toml")
    assert problems == []
    assert config.theme == "outreach-light" and config.profile.name == "Sam Ortiz"
    assert config.rules == {"length": {"severity": "block", "max_words": 150}}
    assert config.grammar.words == ["Northwind"] and config.template_dirs == ["~/team-templates"]


def test_unknown_keys_get_did_you_mean_with_a_line():
    _, problems = parse_config(
        'them = "x"\n[profile]\nnmae = "Sam"\n[rules.lenght]\nseverity = "warn"\n', "c.toml"
    )
    assert "c.toml:1: unknown key 'them' (did you mean 'theme'?)" in problems
    assert any("c.toml:3" in p and "'nmae'" in p and "did you mean 'name'" in p for p in problems)
    assert any("unknown rule 'lenght'" in p and "did you mean 'length'" in p for p in problems)


def test_wrong_types_and_values_are_reported_and_defaulted():
    config, problems = parse_config(
        'theme = 3\n[rules.point]\nseverity = "sometimes"\n[profile]\nname = 7\n', "c.toml"
    )
    assert config == Config()
    assert len(problems) == 3


def test_a_broken_file_is_reported_used_as_defaults_and_left_alone(tmp_path):
    paths = Paths(config=tmp_path, data=tmp_path)
    paths.config_file.write_text("theme = \n")
    config, problems = load_config(paths)
    assert config == Config() and "invalid TOML" in problems[0] and ":1" in problems[0]
    assert set_theme(paths, "outreach-contrast") is not None  # refuses to rewrite a broken file
    assert paths.config_file.read_text() == "theme = \n"


def test_binary_config_is_reported(tmp_path):
    paths = Paths(config=tmp_path, data=tmp_path)
    paths.config_file.write_bytes(b"\xff\xfe\x00")
    _, problems = load_config(paths)
    assert "not UTF-8" in problems[0]


def test_set_theme_keeps_the_rest(tmp_path):
    paths = Paths(config=tmp_path, data=tmp_path)
    paths.config_file.write_text('[profile]\nname = "Sam"\n')
    assert set_theme(paths, "outreach-contrast") is None
    config, problems = load_config(paths)
    assert problems == [] and config.theme == "outreach-contrast" and config.profile.name == "Sam"


def test_rule_settings_reach_check(run_cli, tmp_path):
    (tmp_path / "config.toml").write_text('[rules.point]\nseverity = "warn"\n')
    email = tmp_path / "e.txt"
    email.write_text("Subject: Hi\n\nHi Ana,\n\nLet's sync up!\n")
    strict = run_cli("check", str(email), "--json")
    relaxed = run_cli("check", str(email), "--json", "--home", str(tmp_path))
    assert '"rule": "point",\n      "status": "fail"' in strict.out
    assert '"rule": "point",\n      "status": "warn"' in relaxed.out


def test_config_cli_path_show_and_a_bad_key_warning(run_cli, tmp_path):
    (tmp_path / "config.toml").write_text('thme = "x"\n')
    assert run_cli("config", "path", "--home", str(tmp_path)).out.strip() == str(
        tmp_path / "config.toml"
    )
    shown = run_cli("config", "show", "--home", str(tmp_path))
    assert shown.code == 0 and 'theme = "outreach-dark"' in shown.out
    assert "did you mean 'theme'" in shown.err


def test_config_edit_validates_after_the_editor(run_cli, tmp_path, monkeypatch):
    script = tmp_path / "editor.sh"
    script.write_text('#!/bin/sh\necho \'thme = "x"\' >> "$1"\n')
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    result = run_cli("config", "edit", "--home", str(tmp_path / "h"))
    assert (
        result.code == 2
        and "unknown key 'thme'" in result.err
        and "kept as you saved it" in result.err
    )
    assert 'thme = "x"' in (tmp_path / "h" / "config.toml").read_text()  # kept as saved


def test_your_own_vague_phrases_and_jargon(run_cli, tmp_path):
    (tmp_path / "config.toml").write_text(
        '[phrases]\nvague = ["circle back"]\njargon = ["synergy", "move the needle"]\n'
    )
    email = tmp_path / "e.txt"
    email.write_text(
        "Subject: Our synergy\n\nHi Ana,\n\nCould we circle back? Our synergy could move the needle.\n\nBest,\nBo\n"
    )
    import json

    data = json.loads(run_cli("check", str(email), "--json", "--home", str(tmp_path)).out)
    found = {f["rule"]: f for f in data["findings"]}
    assert found["point"]["status"] == "fail"
    assert "circle back" in found["point"]["message"] or found["point"]["spans"]
    assert found["readability"]["status"] == "warn"
    assert (
        "synergy" in found["readability"]["message"]
        and "move the needle" in found["readability"]["message"]
    )


def test_the_composers_writes_keep_your_comments(tmp_path):
    from composer.config import STARTER, set_profile

    paths = Paths(config=tmp_path, data=tmp_path)
    paths.config_file.write_text(STARTER)
    assert set_profile(paths, {"name": "Sam Ortiz", "role": "Recruiter"}) is None
    assert set_theme(paths, "outreach-light") is None
    text = paths.config_file.read_text()
    assert "# Outreach Composer settings" in text and "# [rules.length]" in text
    config, problems = load_config(paths)
    assert (
        problems == [] and config.profile.name == "Sam Ortiz" and config.theme == "outreach-light"
    )


def test_words_are_added_again_and_again_keeping_the_file(tmp_path):
    from composer.config import STARTER, add_words

    paths = Paths(config=tmp_path, data=tmp_path)
    paths.config_file.write_text(STARTER)
    words: list[str] = []
    for word in (
        "Kubernetes",
        "Okonkwo",
        'quo"ted',
        "a-very-long-word-for-the-line",
        "dbt",
        "ümlaut",
    ):
        words.append(word)
        assert add_words(paths, words) is None, word
    config, problems = load_config(paths)
    assert problems == [] and config.grammar.words == words
    assert "# Outreach Composer settings" in paths.config_file.read_text()


@pytest.mark.parametrize(
    "original",
    [
        '[profile]  # me\nname = "A"\n',
        '[ profile ]\nname = "A"\n',
        'profile = { name = "A" }\n',
        '[profile]\nbio = """line one\nline two"""\n',
        '"theme" = "outreach-light"\n',
    ],
)
def test_config_edits_never_break_the_file(tmp_path, original):
    from composer.config import set_profile

    paths = Paths(config=tmp_path, data=tmp_path)
    paths.config_file.write_text(original)
    problem = set_profile(paths, {"name": "Sam", "bio": "Hi"})
    theme_problem = set_theme(paths, "outreach-dark")
    config, problems = load_config(paths)
    assert problems == []  # whatever was done, the file still reads
    if problem is None:
        assert config.profile.name == "Sam"
    if theme_problem is None:
        assert config.theme == "outreach-dark"
