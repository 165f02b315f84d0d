"""Grammar and spelling through language-tool-python's real client, against the
local stand-in server in tests/ltserver.py (LanguageTool cannot be downloaded here)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import psutil
import pytest
from ltserver import FakeLanguageTool, install_languagetool

from composer.checklist import run_checklist
from composer.config import Grammar
from composer.grammar import BackgroundChecker, GrammarChecker, known_words, locate
from composer.slips import GrammarResult, Slip

EMAIL = "Subject: Your talk\n\nHi Ada,\n\nI will recieve teh file from a engineer.\n\nSam\n"


@pytest.fixture
def server():
    with FakeLanguageTool() as fake:
        yield fake


def checker_for(url: str, **kwargs) -> GrammarChecker:
    return GrammarChecker(Grammar(backend="server", server_url=url), **kwargs)


def words(result: GrammarResult) -> list[str]:
    return [result.text[s.start : s.end] for s in result.slips]


# ----- LanguageTool through a server -----


def test_server_finds_spelling_and_grammar_with_spans_into_the_text(server):
    result = checker_for(server.url).check(EMAIL)
    assert result.full and result.checker.startswith("LanguageTool (server at")
    assert words(result) == ["recieve", "teh", "a"]
    by_word = dict(zip(words(result), result.slips, strict=True))
    assert by_word["teh"].replacements[0] == "the" and by_word["teh"].spelling
    assert by_word["a"].replacements == ("an",) and not by_word["a"].spelling
    assert server.checked == [EMAIL]


def test_offsets_after_emoji_and_inside_emoji_are_python_indices(server):
    text = "Subject: 🎉 News\n\nHi 👋🏽 Ada, teh 😀 teh file\n"
    result = checker_for(server.url).check(text)
    assert words(result) == ["teh", "teh"]
    starts = [s.start for s in result.slips]
    assert starts == [text.index("teh"), text.index("teh", text.index("teh") + 1)]


def test_a_repeated_word_spanning_an_emoji_free_stretch_keeps_its_length(server):
    text = "😀😀 I think the the plan works.\n"
    (slip,) = checker_for(server.url).check(text).slips
    assert text[slip.start : slip.end] == "the the"


def test_names_from_the_draft_and_the_word_list_are_never_misspellings(server):
    text = "Hi Okonkwo,\n\nOkonkwo's team runs Kubernetes and teh rest.\n"
    checker = GrammarChecker(Grammar(backend="server", server_url=server.url, words=["Kubernetes"]))
    result = checker.check(text, ["Chidi Okonkwo", "Acme"])
    assert words(result) == ["teh"]
    unfiltered = checker_for(server.url).check(text)
    assert set(words(unfiltered)) >= {"Okonkwo", "Kubernetes"}


def test_lone_surrogates_and_nul_do_not_break_the_request(server):
    text = "Hi \ud83d there \x00 teh end\n"
    result = checker_for(server.url).check(text)
    assert words(result) == ["teh"]


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("error", "failed: Error: internal error"),
        ("nonjson", "web page"),
        ("ratelimit", "too many requests (HTTP 426)"),
    ],
)
def test_a_failing_server_is_a_clear_state_and_spelling_still_runs(server, mode, reason):
    server.mode = mode
    result = checker_for(server.url).check(EMAIL)
    assert not result.full
    assert reason in result.problem
    assert "trying again in" in result.problem
    assert result.checker == "offline spelling"
    assert "recieve" in words(result) and "teh" in words(result)


def test_an_unreachable_server_is_reported_quickly():
    with FakeLanguageTool() as fake:
        url = fake.url
    started = time.monotonic()
    result = checker_for(url, retry=False).check(EMAIL)
    assert time.monotonic() - started < 5
    assert "not reachable (connection refused)" in result.problem
    assert "trying again" not in result.problem


def test_a_hanging_server_times_out_and_is_left_alone_for_a_while(server, monkeypatch):
    monkeypatch.setattr("composer.grammar.REQUEST_TIMEOUT", 0.3)
    checker = checker_for(server.url, timeout=0.3)
    checker.check("warm up the client\n")
    server.mode = "hang"
    started = time.monotonic()
    first = checker.check(EMAIL)
    assert time.monotonic() - started < 3
    assert "did not answer" in first.problem
    asked = len(server.checked)
    second = checker.check(EMAIL)
    assert len(server.checked) == asked, "no new request while backing off"
    assert "trying again in" in second.problem


def test_the_server_is_tried_again_after_the_wait(server, monkeypatch):
    monkeypatch.setattr("composer.grammar.RETRY_AFTER", (0.2,))
    checker = checker_for(server.url)
    server.mode = "error"
    assert not checker.check(EMAIL).full
    server.mode = "ok"
    time.sleep(0.25)
    assert checker.check(EMAIL).full


def test_backend_server_without_url_says_what_to_set():
    result = GrammarChecker(Grammar(backend="server")).check(EMAIL)
    assert "needs server_url" in result.problem


def test_backend_off_checks_nothing():
    result = GrammarChecker(Grammar(backend="off")).check(EMAIL)
    assert not result.ran and not result.slips


# ----- auto -----


def test_auto_prefers_a_configured_server_then_an_installed_local_then_spelling(tmp_path):
    assert GrammarChecker(Grammar(server_url="http://x:1")).plan() == "server"
    assert GrammarChecker(Grammar()).plan() == "spelling"
    install_languagetool(os.environ["LTP_PATH"])
    assert GrammarChecker(Grammar()).plan() == "local"


def test_auto_without_language_tool_is_spelling_with_a_hint_and_sends_nothing():
    result = GrammarChecker(Grammar()).check(EMAIL)
    assert result.checker == "offline spelling" and not result.problem
    assert "docs/grammar.md" in result.hint
    assert {"recieve", "teh"} <= set(words(result))


# ----- the local backend: download on consent, a server we start and stop -----


def _children() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True)}


def test_local_backend_asks_downloads_with_progress_runs_and_stops(
    fake_java, languagetool_download
):
    checker = GrammarChecker(Grammar(backend="local"))
    before = _children()
    try:
        first = checker.check(EMAIL)
        assert first.needs_download and "not installed" in first.problem
        assert first.checker == "offline spelling"
        seen: list[tuple[int, int | None]] = []
        checker.download(lambda done, total: seen.append((done, total)))
        assert seen and seen[-1][0] == languagetool_download.stat().st_size
        result = checker.check(EMAIL)
        assert result.full and result.checker == "LanguageTool (local server)"
        assert words(result) == ["recieve", "teh", "a"]
        started = _children() - before
        assert started, "the local server runs in the background"
    finally:
        checker.close()
    time.sleep(0.1)
    assert not (_children() - before), "no LanguageTool process outlives close()"


def test_local_backend_declined_download_says_so():
    checker = GrammarChecker(Grammar(backend="local"))
    checker.download_declined = True
    result = checker.check(EMAIL)
    assert not result.needs_download
    assert "download was declined" in result.problem


def test_local_backend_with_unparsable_java_is_a_clear_problem(
    monkeypatch, fake_java, installed_language_tool
):
    monkeypatch.setenv("FAKE_JAVA_VERSION_OUTPUT", "Picked up JAVA_TOOL_OPTIONS: -Xmx1g\n")
    result = GrammarChecker(Grammar(backend="local")).check(EMAIL)
    assert "could not read the Java version" in result.problem
    assert result.checker == "offline spelling"


def test_local_backend_without_java(monkeypatch, installed_language_tool):
    monkeypatch.setenv("PATH", "/nonexistent")
    result = GrammarChecker(Grammar(backend="local")).check(EMAIL)
    assert "Java is not installed" in result.problem


def test_a_local_server_that_dies_at_start_is_reported_not_retried_forever(
    monkeypatch, fake_java, installed_language_tool
):
    monkeypatch.setenv("FAKE_JAVA_MODE", "no-such-mode")  # ltserver.py refuses it and exits
    started = time.monotonic()
    result = GrammarChecker(Grammar(backend="local")).check(EMAIL)
    assert time.monotonic() - started < 10
    assert "stopped (exit code" in result.problem


# ----- the checklist's grammar finding -----


def test_finding_warns_with_spans_and_matches_in_json(server):
    result = checker_for(server.url).check(EMAIL)
    finding = run_checklist(EMAIL, grammar=result).finding("grammar")
    assert finding.status == "warn" and not finding.blocks
    assert [EMAIL[s.start : s.end] for s in finding.spans] == ["recieve", "teh", "a"]
    shape = finding.to_json()
    assert shape["matches"][1]["replacements"][0] == "the"
    assert "“teh” → “the”" in finding.message


def test_finding_blocks_when_the_user_makes_grammar_blocking(server):
    result = checker_for(server.url).check(EMAIL)
    report = run_checklist(EMAIL, grammar=result, overrides={"grammar": {"severity": "block"}})
    assert report.finding("grammar").blocks and not report.sendable


def test_spelling_fallback_never_blocks_when_language_tool_was_asked_for(server):
    server.mode = "error"
    result = checker_for(server.url).check(EMAIL)
    finding = run_checklist(
        EMAIL, grammar=result, overrides={"grammar": {"severity": "block"}}
    ).finding("grammar")
    assert finding.status == "skip" and not finding.blocks
    assert finding.message.startswith("Grammar check unavailable:")
    assert finding.spans, "the speller's finds are still shown"


def test_without_a_check_the_finding_is_skip():
    finding = run_checklist(EMAIL).finding("grammar")
    assert finding.status == "skip" and "--grammar" in finding.message


# ----- following edits, mapping back to fields -----


def test_follow_keeps_slips_before_and_shifts_slips_after_an_edit():
    text = "aa teh bb teh cc"
    result = GrammarResult(
        text, (Slip(3, 6, "x", ("the",)), Slip(10, 13, "x", ("the",))), "t", True
    )
    edited = "aa teh bb XX teh cc"
    moved = result.follow(edited)
    assert [edited[s.start : s.end] for s in moved.slips] == ["teh", "teh"]
    touched = result.follow("aa tex bb teh cc")
    assert [s.start for s in touched.slips] == [10]


def test_locate_maps_a_span_to_its_field_and_offset():
    values = {"context": "I met you at PyCon.\nYour teh talk", "recipient-company": "PyCon"}
    text = "Subject: x\n\nHi,\n\nI met you at PyCon.\nYour teh talk\n"
    start = text.index("teh")
    assert locate(text, values, start, start + 3) == ("context", values["context"].index("teh"))
    pycon = text.index("PyCon")
    assert locate(text, values, pycon, pycon + 5)[0] == "context", "the longest piece wins"
    assert locate(text, values, 0, 7) is None, "the template's own text"


def test_locate_finds_a_line_of_a_field_the_template_indented():
    values = {"research": "First line.\nSecond teh line."}
    text = "Subject: x\n\n  First line.\n  Second teh line.\n"
    start = text.index("teh")
    field, offset = locate(text, values, start, start + 3)
    assert field == "research" and values["research"][offset : offset + 3] == "teh"


def test_known_words_split_names_and_possessives():
    assert {"priya", "o'neil", "neil", "acme"} <= known_words("Priya O’Neil", "Acme")


# ----- the background thread -----


def test_background_checker_answers_the_newest_request(server):
    server.mode, server.delay = "slow", 0.3
    answers: list[tuple[int, GrammarResult]] = []
    runner = BackgroundChecker(checker_for(server.url), lambda n, r: answers.append((n, r)))
    try:
        runner.submit("first teh\n")
        time.sleep(0.05)
        runner.submit("second teh\n")
        third = runner.submit("third teh\n")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (not answers or answers[-1][0] != third):
            time.sleep(0.02)
    finally:
        runner.stop()
    assert answers[-1][0] == third and answers[-1][1].text == "third teh\n"
    assert "second teh\n" not in server.checked, "an overtaken request is skipped"


# ----- the CLI -----


def _config(home: Path, body: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(body)


def test_cli_grammar_reports_matches_with_spans(run_cli, tmp_path, server):
    home = tmp_path / "home"
    _config(home, f'[grammar]\nbackend = "server"\nserver_url = "{server.url}"\n')
    email = tmp_path / "email.txt"
    email.write_text(EMAIL)
    result = run_cli("check", str(email), "--json", "--grammar", "--home", str(home))
    data = json.loads(result.out)
    grammar = next(f for f in data["findings"] if f["rule"] == "grammar")
    assert grammar["status"] == "warn"
    assert [EMAIL[s["start"] : s["end"]] for s in grammar["spans"]] == ["recieve", "teh", "a"]
    assert [m["replacements"][:1] for m in grammar["matches"]] == [["receive"], ["the"], ["an"]]


def test_cli_grammar_with_the_server_down_is_skip_quickly_and_exit_ignores_it(run_cli, tmp_path):
    with FakeLanguageTool() as fake:
        url = fake.url
    home = tmp_path / "home"
    _config(
        home,
        f'[grammar]\nbackend = "server"\nserver_url = "{url}"\n[rules.grammar]\nseverity = "block"\n',
    )
    email = tmp_path / "email.txt"
    email.write_text(EMAIL)
    without = run_cli("check", str(email), "--json", "--home", str(home))
    started = time.monotonic()
    result = run_cli("check", str(email), "--json", "--grammar", "--home", str(home))
    assert time.monotonic() - started < 5
    grammar = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "grammar")
    assert grammar["status"] == "skip" and "not reachable" in grammar["message"]
    assert result.code == without.code


def test_cli_grammar_names_in_greeting_and_signature_are_not_misspellings(
    run_cli, tmp_path, server
):
    home = tmp_path / "home"
    _config(home, f'[grammar]\nbackend = "server"\nserver_url = "{server.url}"\n')
    email = tmp_path / "email.txt"
    email.write_text(
        "Subject: Your talk\n\nHi Okonkwo,\n\nThanks for teh talk.\n\nBest,\nAda Kubernetes\n"
    )
    result = run_cli("check", str(email), "--json", "--grammar", "--home", str(home))
    grammar = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "grammar")
    assert [m["replacements"][0] for m in grammar["matches"]] == ["the"]


@pytest.mark.parametrize(
    ("given", "root"),
    [
        ("http://localhost:8081", "http://localhost:8081/"),
        ("http://localhost:8081/", "http://localhost:8081/"),
        ("http://localhost:8081/v2", "http://localhost:8081/"),
        ("http://localhost:8081/v2/", "http://localhost:8081/"),
        (" https://lt.example.com/tools/lt ", "https://lt.example.com/tools/lt/"),
    ],
)
def test_server_urls_are_taken_as_people_paste_them(given, root):
    from composer.grammar_client import server_root

    assert server_root(given) == root


def test_a_server_url_with_v2_still_reaches_the_server(server):
    result = checker_for(server.url + "/v2/").check(EMAIL)
    assert result.full


def test_cli_grammar_turned_off_by_severity_asks_nothing(run_cli, tmp_path, server):
    home = tmp_path / "home"
    _config(
        home,
        f'[grammar]\nbackend = "server"\nserver_url = "{server.url}"\n'
        '[rules.grammar]\nseverity = "off"\n',
    )
    email = tmp_path / "email.txt"
    email.write_text(EMAIL)
    result = run_cli("check", str(email), "--json", "--grammar", "--home", str(home))
    grammar = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "grammar")
    assert grammar["status"] == "skip" and server.checked == []


def test_cli_a_sign_off_typo_is_still_a_typo(run_cli, tmp_path):
    email = tmp_path / "email.txt"
    email.write_text("Subject: Your talk\n\nHi Ada,\n\nYour talk helped.\n\nThnaks,\nSam Ortiz\n")
    result = run_cli("check", str(email), "--json", "--grammar", "--home", str(tmp_path / "h"))
    grammar = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "grammar")
    flagged = [email.read_text()[m["start"] : m["end"]] for m in grammar["matches"]]
    assert flagged == ["Thnaks"]


@pytest.mark.parametrize(
    ("edited", "kept"),
    [
        ("Would you share the company notes?", []),  # "compa" grew into another word
        ("Would you share the compa, notes?", ["compa"]),  # punctuation after it
        ("Would you share thecompa notes?", []),  # joined on the left
        ("Would you share the  compa notes?", ["compa"]),  # a space before it
    ],
)
def test_follow_drops_a_slip_whose_word_an_edit_changed(edited, kept):
    text = "Would you share the compa notes?"
    start = text.index("compa")
    result = GrammarResult(text, (Slip(start, start + 5, "x", ("company",)),), "t", True)
    moved = result.follow(edited)
    assert [edited[s.start : s.end] for s in moved.slips] == kept


def test_the_offline_speller_never_blocks_even_when_grammar_blocks(run_cli, tmp_path):
    home = tmp_path / "home"
    _config(home, '[rules.grammar]\nseverity = "block"\n')
    draft = tmp_path / "draft.toml"
    draft.write_text(
        (Path(__file__).resolve().parents[1] / "examples" / "draft.toml")
        .read_text()
        .replace("which blogs", "wich blogs")
    )
    result = run_cli("check", str(draft), "--json", "--grammar", "--home", str(home))
    grammar = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "grammar")
    assert grammar["status"] == "warn" and grammar["matches"]
    assert result.code == 0


def test_the_cli_gives_up_on_a_hanging_server_at_its_deadline(
    run_cli, tmp_path, server, monkeypatch
):
    monkeypatch.setattr("composer.grammar.CLI_DEADLINE", 1)
    server.mode = "hang"
    home = tmp_path / "home"
    _config(home, f'[grammar]\nbackend = "server"\nserver_url = "{server.url}"\n')
    email = tmp_path / "email.txt"
    email.write_text(EMAIL)
    started = time.monotonic()
    result = run_cli("check", str(email), "--json", "--grammar", "--home", str(home))
    assert time.monotonic() - started < 5
    grammar = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "grammar")
    assert grammar["status"] == "skip" and "did not answer within 1 s" in grammar["message"]


def test_a_failing_check_says_so_at_once_not_after_the_deadline(run_cli, tmp_path, monkeypatch):
    def broken(self, text, names=()):
        raise RuntimeError("Symlink loop from '/x'")

    monkeypatch.setattr("composer.grammar.GrammarChecker.check", broken)
    email = tmp_path / "email.txt"
    email.write_text(EMAIL)
    started = time.monotonic()
    result = run_cli("check", str(email), "--json", "--grammar", "--home", str(tmp_path))
    assert time.monotonic() - started < 5
    grammar = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "grammar")
    assert grammar["status"] == "skip"
    assert "the grammar check failed: RuntimeError" in grammar["message"]


def test_the_cli_names_the_public_api_on_stderr(run_cli, tmp_path, monkeypatch):
    monkeypatch.setattr("composer.grammar.PUBLIC_API", "http://127.0.0.1:9")
    home = tmp_path / "home"
    _config(home, '[grammar]\nbackend = "public"\n')
    email = tmp_path / "email.txt"
    email.write_text(EMAIL)
    result = run_cli("check", str(email), "--grammar", "--home", str(home))
    assert "sent to LanguageTool's public API" in result.err


def test_cli_names_come_from_the_greeting_and_the_name_line_only(run_cli, tmp_path, server):
    home = tmp_path / "home"
    _config(home, f'[grammar]\nbackend = "server"\nserver_url = "{server.url}"\n')
    email = tmp_path / "email.txt"
    email.write_text(
        "Subject: Your talk\n\nHi Okonkwo, thanks. Teh demo was great.\n\n"
        "Would you share it?\n\nBest,\nAda Okonkwo\nSenior Recieve Lead, Kubernetes\n"
    )
    result = run_cli("check", str(email), "--json", "--grammar", "--home", str(home))
    grammar = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "grammar")
    flagged = [email.read_text()[m["start"] : m["end"]] for m in grammar["matches"]]
    assert flagged == ["Teh", "Recieve", "Kubernetes"]


def test_a_failing_check_does_not_end_the_background_thread():
    class Flaky(GrammarChecker):
        calls = 0

        def check(self, text, known=()):
            Flaky.calls += 1
            if Flaky.calls == 1:
                raise ValueError("boom")
            return super().check(text, known)

    answers: list[GrammarResult] = []
    runner = BackgroundChecker(Flaky(Grammar(backend="off")), lambda n, r: answers.append(r))
    try:
        runner.submit("first\n")
        deadline = time.monotonic() + 5
        while not answers and time.monotonic() < deadline:
            time.sleep(0.01)
        runner.submit("second\n")
        while len(answers) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        runner.stop()
    assert "the check failed: ValueError('boom')" in answers[0].problem
    assert answers[1].text == "second\n"


def test_an_erroring_local_server_is_kept_not_restarted(
    monkeypatch, fake_java, installed_language_tool
):
    monkeypatch.setenv("FAKE_JAVA_MODE", "error")
    monkeypatch.setattr("composer.grammar.RETRY_AFTER", (0.0,))
    checker = GrammarChecker(Grammar(backend="local"))
    before = _children()
    try:
        pids = set()
        for _ in range(3):
            assert "failed" in checker.check(EMAIL).problem
            pids |= _children() - before
        assert len(pids) == 1, "one server, started once"
    finally:
        checker.close()


def test_a_download_skipped_by_ltp_jar_dir_path_says_so(monkeypatch, fake_java, tmp_path):
    monkeypatch.setenv("LTP_JAR_DIR_PATH", str(tmp_path))
    from composer.grammar_server import Unavailable

    with pytest.raises(Unavailable, match="LTP_JAR_DIR_PATH is set"):
        GrammarChecker(Grammar(backend="local")).download(lambda done, total: None)


def test_sigterm_during_check_grammar_stops_the_local_server(
    tmp_path, fake_java, monkeypatch, installed_language_tool
):
    import signal
    import subprocess
    import sys

    monkeypatch.setenv("FAKE_JAVA_MODE", "hang")
    home = tmp_path / "home"
    _config(home, '[grammar]\nbackend = "local"\n')
    email = tmp_path / "email.txt"
    email.write_text(EMAIL)
    outreach = Path(sys.executable).with_name("outreach")
    process = subprocess.Popen(
        [str(outreach), "check", str(email), "--grammar", "--home", str(home)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 15
    servers: list[psutil.Process] = []
    while not servers and time.monotonic() < deadline:
        servers = [p for p in parent.children(recursive=True) if "ltserver" in _command(p)]
        time.sleep(0.1)
    assert servers, "the local server started"
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 143
    _gone, alive = psutil.wait_procs(servers, timeout=10)
    assert not alive, "the local server outlived the CLI"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Subject: x\n\nHi Priya, thanks.\n\nGreat talk.\n\nBest,\nSam Ortiz\nSenior Enginer\n",
            ["Priya", "Sam", "Ortiz"],
        ),
        ("Subject: x\n\nHi Ada,\n\nGreat talk, would you share it?\n\nThnaks,\n", ["Ada"]),
        ("Hi team,\n\nGreat.\n\nCheers, Sam\n", []),
    ],
    ids=["name-line-only", "sign-off-ends-the-email", "greeting-is-not-a-sign-off"],
)
def test_cli_names_in_plain_text(text, names):
    from composer.cli.check import _names_in_text

    assert _names_in_text(text) == names


def _command(process: psutil.Process) -> str:
    """A process's command line; "" once it has ended (`java -version` does quickly)."""
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def test_a_retry_is_due_even_when_the_wait_ran_out_during_the_check(server, monkeypatch):
    """The speller's first load can outlast a short back-off: the result must
    still ask for a retry, or nothing ever tries LanguageTool again."""
    monkeypatch.setattr("composer.grammar.RETRY_AFTER", (0.0,))
    server.mode = "error"
    assert checker_for(server.url).check(EMAIL).retry_in > 0
    assert checker_for(server.url, retry=False).check(EMAIL).retry_in == 0


# ----- a server that misbehaves: redirects, trickles, floods -----


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_server_error_and_the_text_goes_nowhere_else(server, status):
    with FakeLanguageTool() as elsewhere:
        server.mode, server.redirect_status = "redirect", status
        server.redirect_to = f"{elsewhere.url}/v2/check"
        result = checker_for(server.url, retry=False).check(EMAIL)
        assert elsewhere.checked == [], "the email was sent where the redirect pointed"
    assert not result.full and result.checker == "offline spelling"
    assert f"the LanguageTool server at {server.url}" in result.problem
    assert f"HTTP {status}" in result.problem and "redirect" in result.problem


def test_a_trickling_answer_is_cut_off_at_the_checks_one_deadline(server):
    server.mode, server.delay = "trickle", 0.005
    result = checker_for(server.url, timeout=0.5, retry=False).check("teh\n")
    assert not result.full
    assert f"the LanguageTool server at {server.url} did not answer within 0.5 s" in result.problem


def test_a_server_that_takes_the_text_slowly_is_cut_off_at_the_deadline(server):
    server.mode, server.delay = "slow-read", 0.05
    text = "ok " * 700_000  # 2 MB, more than the socket buffers hold: the send blocks
    result = checker_for(server.url, timeout=0.5, retry=False).check(text)
    assert not result.full
    assert "did not answer within 0.5 s" in result.problem


@pytest.mark.parametrize("declared", [False, True], ids=["streamed", "content-length"])
def test_a_huge_answer_is_refused_at_the_size_cap(server, declared):
    server.mode, server.size, server.declare_size = "huge", 12 * 1024 * 1024, declared
    result = checker_for(server.url, retry=False).check("teh\n")
    assert not result.full and result.checker == "offline spelling"
    assert f"the LanguageTool server at {server.url} sent more than 5 MB" in result.problem


def test_the_cli_names_the_offline_speller_when_it_is_what_ran_out_of_time(
    run_cli, tmp_path, monkeypatch
):
    monkeypatch.setattr("composer.grammar.CLI_DEADLINE", 0.05)
    email = tmp_path / "email.txt"
    # A fresh home: the speller builds its word table first (~0.5 s), past the deadline.
    email.write_text("Subject: x\n\n" + "qzxv brtk " * 200 + "\n")
    result = run_cli("check", str(email), "--json", "--grammar", "--home", str(tmp_path / "h"))
    grammar = next(f for f in json.loads(result.out)["findings"] if f["rule"] == "grammar")
    assert grammar["status"] == "skip"
    assert "the offline speller did not finish within 0.05 s" in grammar["message"]
    assert "LanguageTool" not in grammar["message"]


def test_a_proxy_named_in_the_environment_carries_the_check(server, monkeypatch):
    for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", server.url)  # the fake answers absolute addresses too
    result = checker_for("http://languagetool.invalid:8081", retry=False).check(EMAIL)
    assert result.full and server.checked == [EMAIL]
    monkeypatch.setenv("no_proxy", "languagetool.invalid")
    bypassed = checker_for("http://languagetool.invalid:8081", retry=False).check(EMAIL)
    assert "is not reachable" in bypassed.problem and len(server.checked) == 1


@pytest.fixture
def certificate(tmp_path, monkeypatch):
    """A self-signed certificate for 127.0.0.1, trusted as REQUESTS_CA_BUNDLE."""
    from ltserver import make_certificate

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl program to make a certificate")
    pair = make_certificate(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pair[0]))
    from composer.grammar_http import _tls_context

    _tls_context.cache_clear()
    yield pair
    _tls_context.cache_clear()


def test_over_https_a_check_works_and_a_trickle_is_still_cut_off(certificate):
    with FakeLanguageTool(tls=certificate) as secure:
        assert secure.url.startswith("https://")
        checker = checker_for(secure.url, timeout=0.5, retry=False)
        assert checker.check("teh\n").full
        secure.mode, secure.delay = "trickle", 0.005
        result = checker.check("teh\n")
    assert f"the LanguageTool server at {secure.url} did not answer within 0.5 s" in result.problem


def test_over_https_an_untrusted_certificate_is_refused(certificate, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    with FakeLanguageTool(tls=certificate) as secure:
        result = checker_for(secure.url, retry=False).check(EMAIL)
        assert secure.checked == []
    assert "CERTIFICATE_VERIFY_FAILED" in result.problem or "certificate" in result.problem
