"""`outreach templates ...`: your own templates beside the built-ins, with names that stay in their folder."""

from __future__ import annotations

import pytest

MINE = 'name = "mine"\ndescription = "Short and kind"\nsubject = "{{ subject }}"\nbody = "Hi {{ recipient.first_name }},\\n\\n{{ point }}\\n"\n'


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def test_import_list_show_export_delete_round_trip(run_cli, home, tmp_path):
    source = tmp_path / "mine.toml"
    source.write_text(MINE)
    result = run_cli("templates", "import", str(source), "--home", str(home))
    assert result.code == 0, result.err
    listed = run_cli("templates", "list", "--home", str(home)).out
    assert any(
        line.startswith("mine") and "yours" in line and "Short and kind" in line
        for line in listed.splitlines()
    )
    shown = run_cli("templates", "show", "mine", "--home", str(home)).out
    assert 'name = "mine"' in shown and "{{ point }}" in shown
    exported = tmp_path / "out.toml"
    assert run_cli("templates", "export", "mine", str(exported), "--home", str(home)).code == 0
    assert "{{ point }}" in exported.read_text()
    assert (
        run_cli("templates", "export", "mine", str(exported), "--home", str(home)).code == 2
    )  # exists
    assert run_cli("templates", "delete", "mine", "--home", str(home)).code == 0
    assert "mine" not in run_cli("templates", "--home", str(home)).out


def test_a_users_template_renders_a_draft(run_cli, home, tmp_path, example_draft):
    source = tmp_path / "mine.toml"
    source.write_text(MINE)
    run_cli("templates", "import", str(source), "--home", str(home))
    result = run_cli(
        "render", "--draft", str(example_draft), "--template", "mine", "--home", str(home)
    )
    assert result.code == 0, result.err
    assert result.out.startswith(
        "Subject: Your ERE talk: our numbers\n\nHi Heather,\n\nWould you tell me"
    )


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "x\x1b[31m", "", "a\\b", "name."])
def test_hostile_names_are_refused(run_cli, home, tmp_path, name):
    source = tmp_path / "t.toml"
    source.write_text(MINE)
    result = run_cli("templates", "import", str(source), "--name", name, "--home", str(home))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert not (home / "templates").exists() or not any((home / "templates").iterdir())


def test_collisions_need_force(run_cli, home, tmp_path):
    source = tmp_path / "t.toml"
    source.write_text(MINE)
    assert run_cli("templates", "import", str(source), "--home", str(home)).code == 0
    again = run_cli("templates", "import", str(source), "--home", str(home))
    assert again.code == 2 and "--force" in again.err
    assert run_cli("templates", "import", str(source), "--force", "--home", str(home)).code == 0
    builtin = run_cli(
        "templates", "import", str(source), "--name", "share-and-ask", "--home", str(home)
    )
    assert builtin.code == 2 and "built-in" in builtin.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('subject = "x"\nbody = "{% if %}"\n', "syntax error"),
        ('subject = "x"\nbody = "{{ \'\'.__class__.__mro__ }}"\n', "not allowed"),
        ('subject = "x"\n', "needs 'body'"),
        ("\x00\x01", "binary"),
    ],
)
def test_import_validates_before_storing(run_cli, home, tmp_path, content, message):
    source = tmp_path / "bad.toml"
    source.write_bytes(content.encode())
    result = run_cli("templates", "import", str(source), "--home", str(home))
    assert result.code == 2 and message in result.err
    assert not (home / "templates" / "bad.toml").exists()


def test_builtins_cannot_be_deleted(run_cli, home):
    result = run_cli("templates", "delete", "share-and-ask", "--home", str(home))
    assert result.code == 2 and "only your own" in result.err


def test_a_broken_file_in_your_folder_is_reported_and_skipped(run_cli, home):
    (home / "templates").mkdir(parents=True)
    (home / "templates" / "broken.toml").write_text("subject = \n")
    result = run_cli("templates", "--home", str(home))
    assert result.code == 0 and "share-and-ask" in result.out
    assert "broken.toml" in result.err and "skipped" in result.err
    assert (home / "templates" / "broken.toml").read_text() == "subject = \n"


def test_a_built_in_partial_cannot_be_replaced_by_accident(run_cli, home, tmp_path):
    source = tmp_path / "b.toml"
    source.write_text('name = "_base"\nsubject = "x"\nbody = "nothing"\n')
    result = run_cli("templates", "import", str(source), "--home", str(home))
    assert result.code == 2 and "built-in" in result.err


def test_a_missing_folder_on_export_is_one_line_exit_2(run_cli, home, tmp_path):
    result = run_cli(
        "templates", "export", "share-and-ask", str(tmp_path / "no" / "x.toml"), "--home", str(home)
    )
    assert result.code == 2 and "Traceback" not in result.err and result.err.count("\n") == 1


def test_a_team_templates_name_is_refused_even_with_force(run_cli, home, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    (team / "mine.toml").write_text(MINE)
    home.mkdir()
    (home / "config.toml").write_text(f'template_dirs = ["{team}"]\n')
    source = tmp_path / "other.toml"
    source.write_text(MINE.replace("Short and kind", "Mine"))
    result = run_cli("templates", "import", str(source), "--force", "--home", str(home))
    assert result.code == 2
    assert "is a team template" in result.err and "--name" in result.err
    assert not (home / "templates" / "mine.toml").exists()
    renamed = run_cli("templates", "import", str(source), "--name", "my-own", "--home", str(home))
    assert renamed.code == 0, renamed.err


def test_a_file_template_of_the_same_name_is_not_taken_for_a_team_one(tmp_path):
    """Only configured team folders win over yours; a --template FILE in the
    session's store is replaced like any other name with --force."""
    from composer.template_saving import store_user_template
    from composer.templates_store import TemplateStore, load_template_file

    source = tmp_path / "mine.toml"
    source.write_text(MINE)
    template = load_template_file(source)
    store = TemplateStore(extra=[template])
    folder = tmp_path / "yours"
    target, _ = store_user_template(store, folder, template, force=True)
    assert target == folder / "mine.toml" and target.exists()
