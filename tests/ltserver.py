"""A local stand-in for a LanguageTool server, speaking its HTTP API (v2).

Tests point language-tool-python's real client at it
(``LanguageTool(lang, remote_server=fake.url)``), or reach it through
``tests/fake_java/java``, so the client's own request and parsing code runs
without Java or the network. Standard library only, so the fake `java` can run
it with any Python 3.11.

Endpoints:

- ``GET /v2/languages``: the languages in ``LANGUAGES``, shaped like the real list.
- ``GET /v2/healthcheck``: 200 "OK" (what the client polls while a local server starts).
- ``POST /v2/check`` (form-encoded; GET with a query string works too), with
  ``text`` and ``language``: the matches described below, or HTTP 400 for an
  unknown language or a missing parameter.

What ``/v2/check`` reports (deterministic, so tests can rely on it):

- Spelling (rule ``SPELLING_RULE_ID``, category TYPOS, issueType "misspelling"):
  every whole word found, case-insensitively, in ``MISSPELLINGS`` or
  ``FLAGGED_NAMES``. Typo suggestions follow the word's case (Teh -> The,
  TEH -> THE); the names are ones a real dictionary lacks, so the app must
  filter them itself.
- ``A_VS_AN_RULE_ID``: "a"/"A" followed by a word starting with a vowel letter,
  unless that word starts with one of ``CONSONANT_SOUND_PREFIXES`` ("a user").
  The match covers the article; the suggestion is "an"/"An".
- ``WORD_REPEAT_RULE_ID``: the same word twice in a row, case-insensitively
  ("the the"). The match covers both words; the suggestion is the first one.

Offsets and lengths count UTF-16 code units, as the Java server's do: an emoji
before a typo moves it by 2. Context follows the server's ContextTools: up to
``CONTEXT_SIZE`` units on each side, "..." where cut, line breaks and tabs
shown as spaces.

``mode`` changes how ``/v2/check`` answers, at any time ("ok", "slow", "error",
"nonjson", "ratelimit", "hang", and the hostile ones: "redirect", "trickle",
"slow-read", "huge"; see ``MODES``). ``/v2/languages`` and
``/v2/healthcheck`` always answer, so a client can be constructed before a
fault is switched on. ``delay``, ``redirect_to``, ``redirect_status``,
``read_chunk``, ``size`` and ``declare_size`` tune the modes that use them.

Run as a program (as the fake `java` does): ``python tests/ltserver.py --port N
[--mode M] [--delay S]`` serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http
import http.server
import json
import re
import signal
import ssl
import threading
import urllib.parse
import zipfile
from collections.abc import Callable
from pathlib import Path

MODES = {
    "ok": "answer normally",
    "slow": "wait `delay` seconds, then answer normally",
    "error": 'HTTP 500, text body "Error: internal error"',
    "nonjson": "HTTP 200 with an HTML body",
    "ratelimit": "HTTP 426 with a text body, as the public API does when rate limited",
    "hang": "never answer; the connection is dropped when the server stops",
    "redirect": "HTTP `redirect_status` (307) to `redirect_to`: a server sending the text on",
    "trickle": "the normal answer, status line and headers included, one byte every `delay` s",
    "slow-read": "take the request's body `read_chunk` bytes (1 KB) every `delay` s, then answer",
    "huge": "HTTP 200 JSON of `size` bytes, streamed; Content-Length only with `declare_size`",
}
HUGE_SIZE = 600 * 1024 * 1024
"""What "huge" sends unless told otherwise: the 600 MB that once took 4 GB of memory."""
SLOW_READ_CHUNK = 1024

# (name, code, longCode), as the real /v2/languages lists them.
LANGUAGES = [
    ("English", "en", "en"),
    ("English (US)", "en", "en-US"),
    ("English (GB)", "en", "en-GB"),
    ("English (Australian)", "en", "en-AU"),
    ("English (Canadian)", "en", "en-CA"),
    ("German", "de", "de"),
    ("German (Germany)", "de", "de-DE"),
    ("French", "fr", "fr"),
]
AUTO_DETECTED = ("English (US)", "en-US")

SOFTWARE = {
    "name": "LanguageTool",
    "version": "6.8",
    "buildDate": "2025-10-01 12:00:00 +0000",
    "apiVersion": 1,
    "premium": False,
    "premiumHint": "You might be missing errors only the Premium version can find. "
    "Contact us at support<at>languagetoolplus.com.",
    "status": "",
}

CONTEXT_SIZE = 40

MISSPELLINGS = {
    "teh": "the",
    "recieve": "receive",
    "adress": "address",
    "definately": "definitely",
    "seperate": "separate",
    "occured": "occurred",
    "wich": "which",
    "untill": "until",
    "accomodate": "accommodate",
}
FLAGGED_NAMES = {
    "Okonkwo": ["Okinawa"],
    "Kubernetes": ["Cybernetics"],
}
CONSONANT_SOUND_PREFIXES = ("uni", "use", "usu", "eu", "one", "once")

SPELLING_RULE_ID = "MORFOLOGIK_RULE_EN_US"
A_VS_AN_RULE_ID = "EN_A_VS_AN"
WORD_REPEAT_RULE_ID = "ENGLISH_WORD_REPEAT_RULE"

_SPELLING_RULE = {
    "id": SPELLING_RULE_ID,
    "description": "Possible spelling mistake",
    "issueType": "misspelling",
    "category": {"id": "TYPOS", "name": "Possible Typo"},
}
_A_VS_AN_RULE = {
    "id": A_VS_AN_RULE_ID,
    "description": "Use of 'a' vs. 'an'",
    "issueType": "grammar",
    "category": {"id": "MISC", "name": "Miscellaneous"},
}
_WORD_REPEAT_RULE = {
    "id": WORD_REPEAT_RULE_ID,
    "description": "Word repetition (e.g. 'will will')",
    "issueType": "duplication",
    "category": {"id": "MISC", "name": "Miscellaneous"},
}

_WORD = re.compile(r"[^\W\d_]+")
_A_BEFORE_VOWEL = re.compile(r"\b([Aa])\s+([AEIOUaeiou][^\W\d_]*)")
_REPEATED_WORD = re.compile(r"\b([^\W\d_]+)\s+(\1)\b", re.IGNORECASE)
# A sentence runs to terminal punctuation followed by a space, to a blank line
# (LanguageTool ends a sentence at a paragraph break) or to the end of the text.
_SENTENCE = re.compile(r"\S.*?(?:[.!?]+(?=\s|\Z)|(?=[ \t]*\n[ \t]*\n)|(?=\s*\Z))", re.DOTALL)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _match_case(word: str, suggestion: str) -> str:
    if len(word) > 1 and word.isupper():
        return suggestion.upper()
    if word[0].isupper():
        return suggestion[0].upper() + suggestion[1:]
    return suggestion


def _find_issues(text: str) -> list[tuple[int, int, dict, str, str, list[str]]]:
    """(start, end, rule, message, shortMessage, replacements), in Python indices."""
    issues = []
    names = {name.lower(): suggestions for name, suggestions in FLAGGED_NAMES.items()}
    for word in _WORD.finditer(text):
        lowered = word.group().lower()
        if lowered in MISSPELLINGS:
            replacements = [_match_case(word.group(), MISSPELLINGS[lowered])]
        elif lowered in names:
            replacements = names[lowered]
        else:
            continue
        issues.append(
            (
                word.start(),
                word.end(),
                _SPELLING_RULE,
                "Possible spelling mistake found.",
                "Spelling mistake",
                replacements,
            )
        )
    for article in _A_BEFORE_VOWEL.finditer(text):
        if article.group(2).lower().startswith(CONSONANT_SOUND_PREFIXES):
            continue
        issues.append(
            (
                article.start(1),
                article.end(1),
                _A_VS_AN_RULE,
                "Use “an” instead of ‘a’ if the following word starts with a vowel sound, "
                "e.g. ‘an article’, ‘an hour’.",
                "Wrong article",
                ["An" if article.group(1) == "A" else "an"],
            )
        )
    for repeat in _REPEATED_WORD.finditer(text):
        issues.append(
            (
                repeat.start(1),
                repeat.end(2),
                _WORD_REPEAT_RULE,
                "Possible typo: you repeated a word.",
                "Word repetition",
                [repeat.group(1)],
            )
        )
    return sorted(issues, key=lambda issue: (issue[0], issue[1]))


def _context(text: str, start: int, end: int) -> tuple[str, int]:
    """The context text and the error's offset in it, both in UTF-16 units.

    Java cuts exactly CONTEXT_SIZE units away, which may split an emoji; this
    stops short of a character that would not fit, so the JSON never carries a
    lone surrogate.
    """
    left, budget = start, CONTEXT_SIZE
    while left > 0 and _utf16_len(text[left - 1]) <= budget:
        budget -= _utf16_len(text[left - 1])
        left -= 1
    right, budget = end, CONTEXT_SIZE
    while right < len(text) and _utf16_len(text[right]) <= budget:
        budget -= _utf16_len(text[right])
        right += 1
    prefix = "..." if left > 0 else ""
    suffix = "..." if right < len(text) else ""
    shown = re.sub(r"[\r\n\t]", " ", text[left:right])
    return prefix + shown + suffix, _utf16_len(prefix + text[left:start])


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return [(found.start(), found.end()) for found in _SENTENCE.finditer(text)]


def check_response(text: str, long_code: str) -> dict:
    """The body of a /v2/check answer for `text` in a known language."""
    sentences = _sentence_spans(text)
    matches = []
    for start, end, rule, message, short_message, replacements in _find_issues(text):
        context_text, context_offset = _context(text, start, end)
        sentence = next((text[s:e] for s, e in sentences if s <= start < e), text[start:end])
        matches.append(
            {
                "message": message,
                "shortMessage": short_message,
                "replacements": [{"value": value} for value in replacements],
                "offset": _utf16_len(text[:start]),
                "length": _utf16_len(text[start:end]),
                "context": {
                    "text": context_text,
                    "offset": context_offset,
                    "length": _utf16_len(text[start:end]),
                },
                "sentence": sentence,
                "type": {"typeName": "UnknownWord" if rule is _SPELLING_RULE else "Other"},
                "rule": rule,
                "ignoreForIncompleteSentence": False,
                "contextForSureMatch": 0,
            }
        )
    name = next(n for n, _, code in LANGUAGES if code == long_code)
    return {
        "software": SOFTWARE,
        "warnings": {"incompleteResults": False},
        "language": {
            "name": name,
            "code": long_code,
            "detectedLanguage": {
                "name": name,
                "code": long_code,
                "confidence": 0.99,
                "source": "ngram",
            },
        },
        "matches": matches,
        "sentenceRanges": [[_utf16_len(text[:s]), _utf16_len(text[:e])] for s, e in sentences],
    }


def _known_long_code(language: str) -> str | None:
    if language.lower() == "auto":
        return AUTO_DETECTED[1]
    wanted = language.lower().replace("_", "-")
    return next((code for _, _, code in LANGUAGES if code.lower() == wanted), None)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: test output should show failures, not request lines."""

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/v2/languages":
            languages = [
                {"name": name, "code": code, "longCode": long_code}
                for name, code, long_code in LANGUAGES
            ]
            self._send_json(languages)
        elif url.path == "/v2/healthcheck":
            self._send(200, "text/plain; charset=utf-8", b"OK")
        elif url.path == "/v2/check":
            self._check(urllib.parse.parse_qs(url.query, keep_blank_values=True))
        else:
            self._send_text(404, f"Error: unknown path {url.path}")

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/v2/check":
            self._send_text(404, f"Error: unknown path {url.path}")
            return
        length = int(self.headers.get("Content-Length", 0))
        if self.server.fake.mode == "slow-read":
            body = self._read_slowly(length)
            if body is None:
                return
        else:
            body = self.rfile.read(length)
        self._check(urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True))

    def _read_slowly(self, length: int) -> bytes | None:
        """The body, `read_chunk` bytes every `delay` s: the sender's buffers
        fill and its send blocks. None when the server stops first."""
        fake = self.server.fake
        parts = []
        left = length
        while left > 0:
            if fake.stopping.wait(fake.delay):
                return None
            part = self.rfile.read(min(fake.read_chunk, left))
            if not part:
                return None
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    def _check(self, params: dict[str, list[str]]) -> None:
        fake = self.server.fake
        if "text" not in params:
            self._send_text(400, "Error: Missing 'text' or 'data' parameter")
            return
        text = params["text"][0]
        fake.record_checked(text)
        mode = fake.mode
        if mode == "hang":
            fake.stopping.wait()
            return
        if mode == "slow" and fake.stopping.wait(fake.delay):
            return
        if mode == "error":
            self._send_text(500, "Error: internal error")
        elif mode == "nonjson":
            self._send(
                200,
                "text/html; charset=utf-8",
                b"<html><body><h1>Service Unavailable</h1></body></html>",
            )
        elif mode == "ratelimit":
            self._send_text(
                426,
                "Error: Too many requests. Please try again later or consider a Premium account.",
            )
        elif mode == "redirect":
            self.send_response(fake.redirect_status)
            self.send_header("Location", fake.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "huge":
            self._send_huge(fake.size, fake.declare_size)
        else:
            language = params.get("language", [""])[0]
            long_code = _known_long_code(language)
            if long_code is None:
                self._send_text(
                    400, f"Error: '{language}' is not a language code known to LanguageTool."
                )
            else:
                self._send_json(check_response(text, long_code))

    def _send_huge(self, size: int, declare: bool) -> None:
        """`size` bytes of a LanguageTool answer, its matches repeated, in 64 KB
        writes; stops quietly when the client hangs up (as it should)."""
        match = json.dumps(check_response("teh", "en-US")["matches"][0]).encode()
        head, tail = b'{"matches": [', b"]}"
        count = max(1, (size - len(head) - len(tail)) // (len(match) + 1))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if declare:
            self.send_header("Content-Length", str(len(head) + count * (len(match) + 1) - 1 + 2))
        self.end_headers()
        block = (match + b",") * max(1, 65536 // (len(match) + 1))
        per_block = len(block) // (len(match) + 1)
        try:
            self.wfile.write(head)
            left = count
            while left > per_block:
                self.wfile.write(block)
                left -= per_block
            self.wfile.write((match + b",") * (left - 1) + match + tail)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send_json(self, payload: object) -> None:
        self._send(200, "application/json", json.dumps(payload).encode("utf-8"))

    def _send_text(self, status: int, text: str) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode("utf-8"))

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        if (
            self.server.fake.mode == "trickle"
            and urllib.parse.urlsplit(self.path).path == "/v2/check"
        ):
            self._trickle(status, content_type, body)
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self, status: int, content_type: str, body: bytes) -> None:
        """The whole answer one byte every `delay` s: each read gets a byte in
        time, so only a deadline on the whole exchange ends it."""
        fake = self.server.fake
        head = (
            f"HTTP/1.0 {status} {http.HTTPStatus(status).phrase}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode("latin-1")
        try:
            for byte in head + body:
                if fake.stopping.wait(fake.delay):
                    return
                self.wfile.write(bytes((byte,)))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


class _Server(http.server.ThreadingHTTPServer):
    fake: FakeLanguageTool


class FakeLanguageTool:
    """A LanguageTool HTTP server on 127.0.0.1, bound at construction."""

    def __init__(
        self,
        port: int = 0,
        mode: str = "ok",
        delay: float = 0.0,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        """`tls`: a certificate and its key, to serve https:// (as the public API does)."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
        self.mode = mode
        self.delay = delay
        self.redirect_to = "http://127.0.0.1:9/v2/check"
        """Where "redirect" sends the client (port 9: discard, nothing listens)."""
        self.redirect_status = 307
        self.read_chunk = SLOW_READ_CHUNK
        self.size = HUGE_SIZE
        self.declare_size = False
        self.checked: list[str] = []
        self.stopping = threading.Event()
        self._checked_lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.fake = self
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread: threading.Thread | None = None

    def record_checked(self, text: str) -> None:
        with self._checked_lock:
            self.checked.append(text)

    def start(self) -> FakeLanguageTool:
        # A short poll interval keeps stop() prompt: shutdown() waits for the loop's next poll.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeLanguageTool {self.url}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        # Releases handlers parked in "hang" or "slow"; they drop their connection unanswered.
        self.stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> FakeLanguageTool:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _QuietFileHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Quiet: test output should show failures, not request lines."""


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made with the
    `openssl` program (raises FileNotFoundError without it)."""
    import subprocess

    certificate, key = Path(folder) / "cert.pem", Path(folder) / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(certificate), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


def serve_directory(path: Path | str) -> tuple[str, Callable[[], None]]:
    """Serve the files under `path` over HTTP on 127.0.0.1.

    Returns the base URL, with a trailing slash so ``urljoin(url, name)`` and
    language-tool-python's download hosts work with it, and a function that
    stops the server.
    """
    handler = functools.partial(_QuietFileHandler, directory=str(path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        thread.join()
        httpd.server_close()

    return f"http://127.0.0.1:{httpd.server_address[1]}/", stop


def make_languagetool_zip(dest_zip: Path, version: str = "6.8") -> str:
    """Write a LanguageTool release zip as language-tool-python downloads it.

    It extracts the zip into its download folder and then expects
    ``LanguageTool-{version}/languagetool-server.jar`` (the path it hands to
    `java -cp`) and the English ``spelling.txt`` (where ``new_spellings`` go).
    Returns the zip's SHA-256, for ``LTP_DOWNLOAD_SHA256_<VERSION>``.
    """
    root = f"LanguageTool-{version}"
    members = {
        f"{root}/languagetool-server.jar": b"not a jar: the fake java never opens it\n",
        f"{root}/org/languagetool/resource/en/hunspell/spelling.txt": (
            b"# words added to the English speller\nLanguageTool\nOutreach\n"
        ),
    }
    # Stored, not deflated: the client's SafeZipExtractor refuses archives whose
    # compression ratio looks like a zip bomb, and tiny deflated files can trip it.
    with zipfile.ZipFile(dest_zip, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return hashlib.sha256(Path(dest_zip).read_bytes()).hexdigest()


def install_languagetool(download_folder: Path | str, version: str = "6.8") -> Path:
    """A LanguageTool "installed" where language-tool-python looks (its LTP_PATH
    folder): the jar the fake `java` is handed, and never opens."""
    home = Path(download_folder) / f"LanguageTool-{version}"
    home.mkdir(parents=True)
    (home / "languagetool-server.jar").write_bytes(b"not a jar: the fake java never opens it\n")
    return home


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A fake LanguageTool HTTP server.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=list(MODES), default="ok")
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    # Blocked before the server threads start (they inherit the mask), so only
    # sigwait sees SIGTERM/SIGINT and the server always stops cleanly.
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    fake = FakeLanguageTool(port=args.port, mode=args.mode, delay=args.delay).start()
    signal.sigwait(stop_signals)
    fake.stop()


if __name__ == "__main__":
    main()
