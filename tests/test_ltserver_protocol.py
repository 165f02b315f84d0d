"""The fake LanguageTool (tests/ltserver.py) and the fake `java` (tests/fake_java)
speak what language-tool-python 3.4.0's real client expects.

Each test drives the real client, so tests that use the fakes exercise the same
request, parsing, offset and error paths a real server would.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import psutil
import pytest
from ltserver import FLAGGED_NAMES, FakeLanguageTool


@pytest.fixture
def fake_lt():
    with FakeLanguageTool() as server:
        yield server


@pytest.fixture
def tool(fake_lt):
    import language_tool_python

    client = language_tool_python.LanguageTool("en-US", remote_server=fake_lt.url)
    yield client
    client.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def raw_check(base_url: str, text: str, language: str = "en-US") -> tuple[int, str]:
    """POST /v2/check as the client does, bypassing it to see the server's own answer."""
    body = urllib.parse.urlencode({"language": language, "text": text}).encode()
    try:
        with urllib.request.urlopen(f"{base_url}/v2/check", body, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/v2/healthcheck", timeout=0.5) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until(condition, timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_client_constructs_against_the_fake(tool, fake_lt):
    assert str(tool.language) == "en-US"
    assert tool.url == f"{fake_lt.url}/v2/"
    with urllib.request.urlopen(f"{fake_lt.url}/v2/languages", timeout=2) as response:
        languages = json.load(response)
    assert {"en", "en-US", "en-GB", "de-DE"} <= {entry["longCode"] for entry in languages}
    assert all(set(entry) == {"name", "code", "longCode"} for entry in languages)
    with urllib.request.urlopen(f"{fake_lt.url}/v2/healthcheck", timeout=2) as response:
        assert (response.status, response.read()) == (200, b"OK")


def test_typos_come_back_where_they_are(tool):
    text = "I will recieve teh file."
    matches = tool.check(text)
    assert [(m.offset, m.error_length, m.replacements) for m in matches] == [
        (7, 7, ["receive"]),
        (15, 3, ["the"]),
    ]
    first = matches[0]
    assert (first.rule_id, first.category, first.rule_issue_type) == (
        "MORFOLOGIK_RULE_EN_US",
        "TYPOS",
        "misspelling",
    )
    assert first.message == "Possible spelling mistake found."
    assert (first.context, first.offset_in_context) == (text, 7)
    assert first.sentence == text
    assert tool.correct(text) == "I will receive the file."


def test_the_wire_shape_is_the_real_servers(fake_lt):
    status, body = raw_check(fake_lt.url, "Teh end.")
    assert status == 200
    answer = json.loads(body)
    assert {"software", "language", "matches"} <= set(answer)
    (match,) = answer["matches"]
    assert set(match) == {
        "message",
        "shortMessage",
        "replacements",
        "offset",
        "length",
        "context",
        "sentence",
        "type",
        "rule",
        "ignoreForIncompleteSentence",
        "contextForSureMatch",
    }
    assert match["replacements"] == [{"value": "The"}]
    assert match["context"] == {"text": "Teh end.", "offset": 0, "length": 3}
    assert match["rule"]["category"] == {"id": "TYPOS", "name": "Possible Typo"}


def test_offsets_count_utf16_units_and_the_client_converts_them(tool, fake_lt):
    text = "😀😀 teh"
    _, body = raw_check(fake_lt.url, text)
    (wire,) = json.loads(body)["matches"]
    # Java counts each emoji as two UTF-16 units.
    assert (wire["offset"], wire["length"], wire["context"]["offset"]) == (5, 3, 5)
    (match,) = tool.check(text)
    assert match.offset == text.index("teh")
    assert text[match.offset : match.offset + match.error_length] == "teh"
    # The client converts `offset` only: offset_in_context stays in UTF-16 units,
    # so Match.matched_text is wrong after an emoji. Slice the text by `offset`.
    assert match.offset_in_context == 5
    assert match.matched_text != "teh"


def test_context_is_cut_at_forty_units_with_ellipses(fake_lt):
    text = "x" * 50 + " teh " + "y" * 50
    _, body = raw_check(fake_lt.url, text)
    context = json.loads(body)["matches"][0]["context"]
    assert context["text"] == "..." + "x" * 39 + " teh " + "y" * 39 + "..."
    assert context["text"][context["offset"] : context["offset"] + 3] == "teh"


def test_grammar_rules(tool):
    text = "I have a idea about the the plan. A apple, a user."
    found = [(m.rule_id, m.offset, m.error_length, m.replacements) for m in tool.check(text)]
    assert found == [
        ("EN_A_VS_AN", 7, 1, ["an"]),
        ("ENGLISH_WORD_REPEAT_RULE", 20, 7, ["the"]),
        ("EN_A_VS_AN", 34, 1, ["An"]),
    ]
    assert tool.correct(text) == "I have an idea about the plan. An apple, a user."


def test_clean_text_has_no_matches(tool):
    assert tool.check("Thanks for your time.") == []


def test_flagged_names_are_misspellings_the_app_must_filter(tool):
    for name in FLAGGED_NAMES:
        (match,) = tool.check(f"Hi {name}, thanks.")
        assert (match.category, match.offset, match.error_length) == ("TYPOS", 3, len(name))
        assert match.replacements == FLAGGED_NAMES[name]


def test_every_checked_text_is_recorded_in_order(tool, fake_lt):
    tool.check("first")
    tool.check("")
    tool.check("third")
    assert fake_lt.checked == ["first", "", "third"]


@pytest.mark.parametrize(
    ("mode", "error_name", "message_part"),
    [
        ("error", "LanguageToolError", "Error: internal error"),
        ("nonjson", "LanguageToolError", "<html>"),
        ("ratelimit", "RateLimitError", "rate limit"),
    ],
)
def test_faults_raise_the_clients_errors(tool, fake_lt, mode, error_name, message_part):
    import language_tool_python.exceptions as lt_exceptions
    import requests

    fake_lt.mode = mode
    with pytest.raises(lt_exceptions.LanguageToolError) as raised:
        tool.check("teh")
    assert type(raised.value).__name__ == error_name
    assert message_part in str(raised.value)
    # The client tries to parse every answer as JSON, whatever the status.
    assert isinstance(raised.value.__cause__, requests.exceptions.JSONDecodeError)
    fake_lt.mode = "ok"
    assert len(tool.check("teh")) == 1


def test_unknown_language_is_refused_by_client_and_server(fake_lt):
    import language_tool_python

    # The client checks the language against /v2/languages before sending anything.
    with pytest.raises(ValueError, match="unsupported language"):
        language_tool_python.LanguageTool("xx-YY", remote_server=fake_lt.url)
    assert raw_check(fake_lt.url, "hi", language="xx-YY") == (
        400,
        "Error: 'xx-YY' is not a language code known to LanguageTool.",
    )


def test_refused_connection_at_construction_is_a_language_tool_error():
    import language_tool_python
    import requests
    from language_tool_python.exceptions import LanguageToolError

    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(LanguageToolError) as raised:
        language_tool_python.LanguageTool("en-US", remote_server=url)
    assert type(raised.value) is LanguageToolError
    assert str(raised.value).startswith(f"{url}/v2/: ")
    assert isinstance(raised.value.__cause__, requests.exceptions.ConnectionError)


def test_slow_mode_answers_after_the_delay(tool, fake_lt):
    fake_lt.mode, fake_lt.delay = "slow", 0.3
    started = time.monotonic()
    assert len(tool.check("teh")) == 1
    assert time.monotonic() - started >= 0.3


def test_a_hanging_server_costs_two_timeouts(fake_lt):
    import language_tool_python
    import requests
    from language_tool_python.exceptions import LanguageToolError

    class ShortTimeoutClient(language_tool_python.LanguageTool):
        _TIMEOUT = 0.2  # the only way to shorten the client's 300 s request timeout

    tool = ShortTimeoutClient("en-US", remote_server=fake_lt.url)
    fake_lt.mode = "hang"
    started = time.monotonic()
    with pytest.raises(LanguageToolError) as raised:
        tool.check("teh")
    # check() tries twice before giving up, so the server sees the text twice.
    assert time.monotonic() - started >= 0.4
    assert fake_lt.checked == ["teh", "teh"]
    assert isinstance(raised.value.__cause__, requests.exceptions.ReadTimeout)


@pytest.mark.parametrize(("mode", "delay"), [("hang", 0.0), ("slow", 30.0)])
def test_stop_is_prompt_while_a_request_waits(mode, delay):
    server = FakeLanguageTool(mode=mode, delay=delay).start()
    outcome: list[object] = []

    def client() -> None:
        try:
            outcome.append(raw_check(server.url, "waiting"))
        except OSError as error:
            outcome.append(error)

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    assert wait_until(lambda: server.checked == ["waiting"])
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 0.5
    thread.join(timeout=1)
    # The pending request was dropped unanswered, not left to time out.
    assert not thread.is_alive()
    assert isinstance(outcome[0], OSError)


def test_fake_java_version_satisfies_the_client(fake_java):
    from language_tool_python.download_lt import confirm_java_compatibility, parse_java_version

    version = subprocess.run(
        [shutil.which("java"), "-version"], capture_output=True, text=True, check=True
    )
    assert version.stdout == ""
    assert parse_java_version(version.stderr) == (17, 0)
    confirm_java_compatibility()


def test_unparsable_java_version_exits_the_client(fake_java, monkeypatch):
    from language_tool_python.download_lt import confirm_java_compatibility

    monkeypatch.setenv("FAKE_JAVA_VERSION_OUTPUT", "Picked up JAVA_TOOL_OPTIONS\n")
    # SystemExit, not a LanguageToolError: `except Exception` does not catch it.
    with pytest.raises(SystemExit, match="Could not parse Java version"):
        confirm_java_compatibility()


def test_fake_java_refuses_other_commands(fake_java):
    result = subprocess.run(
        [shutil.which("java"), "-jar", "app.jar"], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.startswith("usage: java -version")


def test_fake_java_serves_and_leaves_no_process_behind(fake_java, monkeypatch):
    monkeypatch.setenv("FAKE_JAVA_MODE", "error")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            shutil.which("java"),
            "-cp",
            "x.jar",
            "org.languagetool.server.HTTPServer",
            "-p",
            str(port),
        ]
    )
    try:
        assert wait_until(lambda: healthy(url))
        # `java` became the server itself (exec), so there is no child to orphan.
        server = psutil.Process(process.pid)
        assert server.children(recursive=True) == []
        assert any(part.endswith("ltserver.py") for part in server.cmdline())
        assert raw_check(url, "teh") == (500, "Error: internal error")
    finally:
        process.terminate()
        returncode = process.wait(timeout=2)
    assert returncode == 0  # SIGTERM is the server's normal way to stop
    assert not psutil.pid_exists(process.pid)
    assert not healthy(url)


def test_client_downloads_and_runs_languagetool_through_fake_java(
    tmp_path, monkeypatch, fake_java, languagetool_download
):
    import language_tool_python

    monkeypatch.setenv("LTP_PATH", str(tmp_path / "lt"))
    spelling = tmp_path / "lt/LanguageTool-6.8/org/languagetool/resource/en/hunspell/spelling.txt"
    tool = language_tool_python.LanguageTool(
        "en-US", new_spellings=["Okonkwo"], new_spellings_persist=False
    )
    try:
        assert "Okonkwo" in spelling.read_text().split()
        assert [m.replacements for m in tool.check("teh")] == [["the"]]
        (server,) = [
            child
            for child in psutil.Process().children()
            if "ltserver.py" in " ".join(child.cmdline())
        ]
    finally:
        tool.close()
    assert not server.is_running()
    assert "Okonkwo" not in spelling.read_text().split()


# ----- the hostile modes: what each one puts on the wire -----


def raw_post(base_url: str, text: str = "teh") -> http.client.HTTPResponse:
    """POST /v2/check with http.client, which follows nothing: the answer as sent."""
    parts = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    body = urllib.parse.urlencode({"language": "en-US", "text": text})
    connection.request(
        "POST", "/v2/check", body, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    return connection.getresponse()


@pytest.mark.parametrize("status", [302, 307, 308])
def test_redirect_mode_points_elsewhere_and_records_the_text(fake_lt, status):
    fake_lt.mode, fake_lt.redirect_status = "redirect", status
    fake_lt.redirect_to = "http://127.0.0.1:9/v2/check"
    response = raw_post(fake_lt.url, "sent here")
    assert response.status == status
    assert response.getheader("Location") == "http://127.0.0.1:9/v2/check"
    assert fake_lt.checked == ["sent here"]


def test_trickle_mode_sends_the_normal_answer_one_byte_at_a_time(fake_lt):
    fake_lt.mode, fake_lt.delay = "trickle", 0.001
    body = urllib.parse.urlencode({"language": "en-US", "text": "teh"}).encode()
    with socket.create_connection(("127.0.0.1", int(fake_lt.url.rsplit(":", 1)[1]))) as sock:
        sock.sendall(
            b"POST /v2/check HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        pieces = []
        while piece := sock.recv(65536):
            pieces.append(piece)
    assert max(len(piece) for piece in pieces) == 1, "never more than a byte per write"
    head, _, answer = b"".join(pieces).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200 OK")
    assert [m["replacements"][0]["value"] for m in json.loads(answer)["matches"]] == ["the"]


def test_slow_read_mode_takes_the_body_in_pieces_then_answers(fake_lt):
    fake_lt.mode, fake_lt.delay, fake_lt.read_chunk = "slow-read", 0.001, 7
    response = raw_post(fake_lt.url, "a longer text with teh typo in it")
    assert response.status == 200 and len(json.loads(response.read())["matches"]) == 1
    assert fake_lt.checked == ["a longer text with teh typo in it"]


@pytest.mark.parametrize("declared", [False, True])
def test_huge_mode_sends_size_bytes_of_valid_json(fake_lt, declared):
    fake_lt.mode, fake_lt.size, fake_lt.declare_size = "huge", 1_000_000, declared
    response = raw_post(fake_lt.url)
    body = response.read()
    assert response.status == 200
    assert 1_000_000 - 2_000 < len(body) <= 1_000_000
    assert (response.getheader("Content-Length") == str(len(body))) == declared
    assert {m["rule"]["id"] for m in json.loads(body)["matches"]} == {"MORFOLOGIK_RULE_EN_US"}


def test_huge_mode_stops_when_the_client_hangs_up(fake_lt):
    fake_lt.mode = "huge"  # 600 MB unless the client stops reading
    response = raw_post(fake_lt.url)
    assert response.read(65536)
    response.close()
    fake_lt.mode = "ok"
    assert raw_post(fake_lt.url).status == 200, "the server still answers"
