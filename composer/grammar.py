"""Grammar and spelling: LanguageTool through language-tool-python, else an
offline speller.

`GrammarChecker.check(text, known_words)` is slow (HTTP, maybe a Java server)
and blocking: the composer calls it from a worker thread, the CLI once. It
never raises for a LanguageTool problem; the result says what checked the
text and, when LanguageTool could not, why and what to do. Nothing is
downloaded and no text leaves the machine unless the settings say so.

language-tool-python is imported only when a LanguageTool backend is used
(it pulls in requests, psutil and tqdm: ~150 ms).
"""

from __future__ import annotations

import atexit
import bisect
import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from composer.config import Grammar

PUBLIC_API = "https://api.languagetool.org"
"""LanguageTool's public API (backend = "public"): the text goes to a third party."""

REQUEST_TIMEOUT = 8
"""Seconds one check may take with LanguageTool, in all: looking the host up,
connecting, sending the text and reading the answer (and, for a new client,
asking for the server's languages first). language-tool-python's own is 300 s
per read, tried twice; its requests go through composer.grammar_http instead."""

CLI_DEADLINE = 30
"""Seconds `outreach check --grammar` waits for LanguageTool in all (a local
server's start included) before it reports the rule as skipped."""

LOCAL_START_TIMEOUT = 60
"""Seconds a local LanguageTool server may take to answer after it is started."""

RETRY_AFTER = (30, 60, 120, 300)
"""Seconds to wait before trying LanguageTool again after the 1st, 2nd, … failure."""

RATE_LIMIT_WAIT = 120
"""Seconds to wait after the public API says "too many requests" (HTTP 426)."""

DOWNLOAD_SIZE_MB = 250


@dataclass(frozen=True)
class Slip:
    """One possible mistake: a span of the checked text and how to fix it."""

    start: int
    end: int
    message: str
    replacements: tuple[str, ...] = ()
    rule_id: str = ""
    category: str = ""
    spelling: bool = True
    """A misspelled word (else grammar, punctuation or style)."""

    def to_json(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "replacements": list(self.replacements),
            "rule_id": self.rule_id,
            "category": self.category,
            "spelling": self.spelling,
        }


@dataclass(frozen=True)
class GrammarResult:
    """What was found in one text, and by what."""

    text: str
    slips: tuple[Slip, ...]
    checker: str
    """Who checked: "LanguageTool (server at …)", "offline spelling", ""."""
    full: bool
    """LanguageTool checked grammar and spelling (False: spelling only, or nothing)."""
    problem: str = ""
    """Why LanguageTool did not check this text, and what to do; "" when it did
    or when it is not set up (the offline speller is then the plan, not a fallback)."""
    hint: str = ""
    """One line on how to get a full grammar check (spelling-only results)."""
    needs_download: bool = False
    """backend = "local" but LanguageTool is not installed: ask, then download()."""
    retry_in: float = 0.0
    """Seconds until LanguageTool will be tried again (0: not waiting)."""

    @property
    def ran(self) -> bool:
        """Something checked the text (LanguageTool or the speller)."""
        return bool(self.checker)

    def follow(self, text: str) -> GrammarResult:
        """This result moved onto an edited `text`.

        Slips before the edit keep their place, slips after it shift by the
        edit's length, slips the edit touched are dropped: the underlines stay
        right while a new check is pending. Touching counts: letters typed
        right after "compa" make another word, which the old slip must not fix.
        """
        old = self.text
        if text == old:
            return self
        limit = min(len(old), len(text))
        head = _longest(lambda k: old[:k] == text[:k], limit)
        tail = _longest(lambda k: old[len(old) - k :] == text[len(text) - k :], limit - head)
        delta = len(text) - len(old)
        kept = []
        cut = len(old) - tail
        for slip in self.slips:
            moved = slip.start + delta
            if slip.end < head or (slip.end == head and not _joins(text, head)):
                kept.append(slip)
            elif slip.start > cut or (slip.start == cut and not _joins(text, moved - 1)):
                kept.append(replace(slip, start=moved, end=slip.end + delta))
        return replace(self, text=text, slips=tuple(kept))


def _longest(same: Callable[[int], bool], limit: int) -> int:
    """The largest k <= limit with same(k), for a `same` that holds up to some
    point and not after: found by halving, so a 100 KB email costs ~17 slice
    comparisons (in C) per update instead of a Python loop over every character."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if same(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _joins(text: str, index: int) -> bool:
    """The character at `index` would join the word next to it."""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] in "'’_-")


class Unavailable(Exception):
    """LanguageTool cannot check now; the message says why and what to do."""


class NotInstalled(Unavailable):
    """backend = "local" and LanguageTool is not downloaded: asking, not retrying, helps."""


# ----- who may not be flagged -----

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def known_words(*values: str) -> frozenset[str]:
    """The words of names, companies and the user's list, lower-cased:
    "Priya O'Neil, Acme" → {"priya", "o'neil", "acme"}."""
    words: set[str] = set()
    for value in values:
        for match in _WORD.finditer(value or ""):
            word = match.group().replace("’", "'").lower()
            words.add(word)
            words.update(word.split("'"))
    return frozenset(words)


def _is_known(fragment: str, known: frozenset[str]) -> bool:
    """Every word of `fragment` (possessive 's dropped) is a known name."""
    words = [w.replace("’", "'").lower() for w in _WORD.findall(fragment)]
    stripped = [w[:-2] if w.endswith("'s") else w for w in words]
    return bool(stripped) and all(w in known for w in stripped)


# ----- UTF-16 offsets (LanguageTool is Java: it counts UTF-16 code units) -----


class _Utf16:
    """Converts UTF-16 offsets of one text to Python string indices."""

    def __init__(self, text: str) -> None:
        # Python index of every character outside the BMP (two UTF-16 units each).
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._length = len(text)

    def to_index(self, unit: int) -> int:
        # Character i starts at UTF-16 unit i + (astral characters before i).
        low, high = 0, self._length
        while low < high:
            mid = (low + high) // 2
            if mid + bisect.bisect_left(self._astral, mid) < unit:
                low = mid + 1
            else:
                high = mid
        return low

    def to_unit(self, index: int) -> int:
        return index + bisect.bisect_left(self._astral, index)


def _sendable(text: str) -> str:
    """The text with lone surrogates replaced (they cannot be encoded for
    HTTP); U+FFFD is one unit too, so every offset stays the same."""
    return re.sub(r"[\ud800-\udfff]", "\ufffd", text)


# ----- backends -----


def language_tool_dir() -> Path:
    """Where language-tool-python keeps its downloads (LTP_PATH, else ~/.cache)."""
    return Path(
        os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python"
    ).expanduser()


def installed_language_tool() -> Path | None:
    """The newest LanguageTool already downloaded, or None (never creates anything)."""
    try:
        found = [
            path
            for path in language_tool_dir().glob("LanguageTool-*")
            if (path / "languagetool-server.jar").is_file() or (path / "languagetool.jar").is_file()
        ]
    except OSError:
        return None
    return max(found, key=lambda p: _version_key(p.name)) if found else None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", name))


def java_problem() -> str | None:
    """Why Java cannot run LanguageTool's local server here, or None."""
    java = shutil.which("java")
    if java is None:
        return "Java is not installed (the local LanguageTool server needs Java 17 or newer)"
    try:
        done = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=15, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`java -version` failed: {exc}"
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if found is None:
        return "could not read the Java version from `java -version`"
    major = int(found.group(1))
    if major == 1:  # "1.8.0_292" is Java 8
        major = int(found.group(2) or 0)
    if major < 17:
        return f"Java {major} is installed; the local LanguageTool server needs Java 17 or newer"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _LocalServer:
    """A LanguageTool server this process started, and stops at exit.

    Started here rather than by language-tool-python, whose own start retries
    hundreds of ports for minutes when Java fails; this one tries once, under
    a deadline. It is stopped by close(), at exit, on SIGTERM (the composer
    and the CLI turn it into an exit), or by the terminal's hang-up reaching
    the process group it shares with us; only a SIGKILL can orphan it."""

    def __init__(self, home: Path) -> None:
        from language_tool_python.download_lt import LocalLanguageTool

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = LocalLanguageTool.from_path(home).get_server_cmd(self.port)
        # Its last words say why it stopped, if it does (Java's own message).
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 — open for the server's life; close() closes it
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._errors,
        )
        atexit.register(self.close)

    def _last_words(self) -> str:
        self._errors.seek(0)
        lines = self._errors.read()[-2000:].decode("utf-8", "replace").strip().splitlines()
        return f": {lines[-1].strip()[:160]}" if lines else ""

    def wait_ready(self, timeout: float) -> None:
        from composer.grammar_http import Budget, ExchangeError, fetch

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self._process.poll()
            if code is not None:
                raise Unavailable(
                    f"the local LanguageTool server stopped (exit code {code}){self._last_words()}"
                )
            poll = Budget("the local LanguageTool server", min(2.0, deadline - time.monotonic()))
            poll.start()
            with contextlib.suppress(ExchangeError):
                if fetch("get", f"{self.url}/v2/healthcheck", None, poll).status == 200:
                    return
            time.sleep(0.25)
        self.close()
        raise Unavailable(f"the local LanguageTool server did not start within {timeout:.0f} s")

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        self._errors.close()
        atexit.unregister(self.close)


def server_root(url: str) -> str:
    """The server's base URL as language-tool-python wants it: "http://host:8081/"
    or "https://host/prefix/". Users paste it with or without "/v2" and the
    final slash; without that slash a path prefix would be dropped."""
    url = url.strip().rstrip("/")
    url = url.removesuffix("/v2")
    return url + "/"


def _client(url: str, language: str, budget):
    """language-tool-python's client for a running server: its parameters, its
    language check and its parsing of matches, with every request it makes
    (the languages at construction, each check) sent by grammar_http under
    `budget`, the current check's deadline: no redirect, no second try, a size cap."""
    import language_tool_python

    from composer.grammar_http import fetch_json

    class Client(language_tool_python.LanguageTool):
        def _query_server(self, url, params=None, num_tries=2, method="get"):
            return fetch_json(method, url, params, budget)

    return Client(language, remote_server=server_root(url))


def _describe_error(exc: BaseException, where: str) -> str:
    """A one-line reason for a failure the exchange did not name (the client's
    own errors: an unsupported language, an answer of the wrong shape)."""
    text = " ".join("".join(c for c in str(exc) if c.isprintable() or c.isspace()).split())
    if len(text) > 120:
        text = text[:117] + "…"
    return f"{where} failed: {text or type(exc).__name__}"


class GrammarChecker:
    """Checks text with the configured backend; one check at a time.

    Thread-safe: language-tool-python is not, so a lock makes checks follow
    one another. After a failure LanguageTool is left alone for a while
    (RETRY_AFTER) and the offline speller answers meanwhile.
    """

    def __init__(
        self,
        settings: Grammar | None = None,
        *,
        timeout: float = REQUEST_TIMEOUT,
        retry: bool = True,
        cache: Path | None = None,
    ) -> None:
        """`cache`: a folder where the offline speller keeps its word table."""
        self.settings = settings or Grammar()
        self._cache = cache
        self._timeout = timeout
        self._retry = retry
        self._lock = threading.Lock()
        self._client = None
        self._budget = None
        self._busy = ""
        self._server: _LocalServer | None = None
        self._failures = 0
        self._retry_at = 0.0
        self._last_problem = ""
        self._speller = None
        self._speller_problem = ""
        self.download_declined = False
        self._downloading = False

    # ----- what will check -----

    def plan(self) -> str:
        """The backend that will be tried: "server", "local", "public",
        "spelling" or "off" ("auto" resolved without touching the network)."""
        backend = self.settings.backend
        if backend != "auto":
            return backend
        if self.settings.server_url:
            return "server"
        if installed_language_tool() is not None:
            return "local"
        return "spelling"

    def _where(self, plan: str) -> str:
        if plan == "server":
            return f"the LanguageTool server at {self.settings.server_url}"
        if plan == "public":
            return "LanguageTool's public API"
        return "the local LanguageTool server"

    @property
    def can_download(self) -> bool:
        """backend = "local", LanguageTool is not installed, no download running."""
        return (
            self.plan() == "local" and not self._downloading and installed_language_tool() is None
        )

    @property
    def needs_download(self) -> bool:
        """A download is possible and the user has not said no to it yet."""
        return self.can_download and not self.download_declined

    # ----- checking -----

    def check(self, text: str, known: Iterable[str] = ()) -> GrammarResult:
        """Every slip in `text`; names in `known` and the user's word list are
        never flagged. Blocking: call it off the UI thread."""
        known_set = known_words(*known, *self.settings.words)
        plan = self.plan()
        if plan == "off":
            return GrammarResult(text, (), "", False, hint='[grammar] backend = "off"')
        with self._lock:
            if plan == "spelling":
                self._busy = "speller"
                return self._spell(text, known_set, problem="", hint=_FULL_GRAMMAR_HINT)
            try:
                self._busy = "language tool"
                return self._check_with_language_tool(plan, text, known_set)
            except Unavailable as exc:
                self._busy = "speller"
                result = self._spell(
                    text, known_set, problem=str(exc), needs_download=self.needs_download
                )
                # The wait may be over already (the speller's first load takes a
                # while): a retry is still due, just at once.
                due = self._retry and self._failures > 0
                return replace(result, retry_in=max(0.1, self._current_wait()) if due else 0.0)

    def overdue(self, text: str, seconds: float) -> GrammarResult:
        """The result for a check still running after `seconds` (the CLI's
        deadline), naming what was still at work: LanguageTool, or the
        offline speller (the plan, or standing in after LanguageTool failed)."""
        busy = self._busy or ("speller" if self.plan() == "spelling" else "language tool")
        if busy == "speller":
            problem = f"the offline speller did not finish within {seconds:g} s"
        else:
            problem = f"LanguageTool did not answer within {seconds:g} s"
        return GrammarResult(text, (), "", False, problem=problem)

    def _check_with_language_tool(self, plan: str, text: str, known: frozenset[str]):
        from composer.grammar_http import ExchangeError

        wait = self._retry_at - time.monotonic()
        if wait > 0:
            raise Unavailable(f"{self._last_problem}; trying again in {wait:.0f} s")
        try:
            client = self._connect(plan)
            matches = client.check(_sendable(text))
            slips = _slips(text, matches, known)
        except NotInstalled:
            raise
        except Unavailable as exc:
            self._failed(str(exc), rate_limited=False)
            raise Unavailable(self._problem_text(str(exc))) from None
        except (Exception, SystemExit) as exc:
            # The exchange names its own failures; language-tool-python raises
            # ValueError for an unknown language, KeyError on an answer of the
            # wrong shape, SystemExit on an odd `java -version`: all mean "not now".
            if isinstance(exc, ExchangeError):
                reason, rate_limited = str(exc), exc.rate_limited
            else:
                reason, rate_limited = _describe_error(exc, self._where(plan)), False
            # A server that answered badly once keeps its client; a local one is
            # restarted only when its process has died (a start costs seconds).
            if self._server is None or not self._server.alive:
                self._client = None
            self._failed(reason, rate_limited)
            raise Unavailable(self._problem_text(reason)) from None
        self._failures = 0
        self._retry_at = 0.0
        checker = (
            "LanguageTool"
            + {
                "server": f" (server at {self.settings.server_url})",
                "public": " (public API)",
                "local": " (local server)",
            }[plan]
        )
        return GrammarResult(text, slips, checker, True)

    def _problem_text(self, reason: str) -> str:
        if not self._retry:
            return reason
        return f"{reason}; trying again in {self._current_wait():.0f} s"

    def _current_wait(self) -> float:
        return max(0.0, self._retry_at - time.monotonic())

    def _failed(self, reason: str, rate_limited: bool) -> None:
        self._failures += 1
        self._last_problem = reason
        if not self._retry:
            return
        delay = RETRY_AFTER[min(self._failures, len(RETRY_AFTER)) - 1]
        self._retry_at = time.monotonic() + (max(delay, RATE_LIMIT_WAIT) if rate_limited else delay)

    def _connect(self, plan: str):
        """The client, made if need be, with the check's deadline started: after
        a local server's start (which has its own), before anything is asked."""
        if self._client is not None and (self._server is None or self._server.alive):
            self._budget.start()
            return self._client
        from composer.grammar_http import Budget

        if plan == "server" and not self.settings.server_url:
            raise Unavailable('backend = "server" needs server_url, e.g. "http://localhost:8081"')
        try:
            if plan == "server":
                url = self.settings.server_url
            elif plan == "public":
                url = PUBLIC_API
            else:
                url = self._start_local()
            self._budget = Budget(self._where(plan), self._timeout)
            self._budget.start()
            self._client = _client(url, self.settings.language or "en-US", self._budget)
        except ImportError as exc:
            raise Unavailable(f"language-tool-python could not be imported: {exc}") from None
        return self._client

    def _start_local(self) -> str:
        if self._downloading:
            raise NotInstalled("LanguageTool is downloading")
        home = installed_language_tool()
        if home is None:
            if self.download_declined:
                raise NotInstalled(
                    "LanguageTool is not installed and the download was declined "
                    "(ctrl+p, “Download LanguageTool” asks again)"
                )
            raise NotInstalled(
                f"LanguageTool is not installed (about {DOWNLOAD_SIZE_MB} MB to download; "
                "the composer asks first)"
            )
        problem = java_problem()
        if problem:
            raise Unavailable(problem)
        if self._server is not None:
            self._server.close()
        self._server = _LocalServer(home)
        self._server.wait_ready(LOCAL_START_TIMEOUT)
        return self._server.url

    # ----- the local download -----

    def download(self, progress: Callable[[int, int | None], None]) -> None:
        """Download LanguageTool for the local backend (the user said yes).

        `progress(done_bytes, total_bytes_or_None)` is called as it arrives.
        Raises Unavailable with the reason if it fails.
        """
        problem = java_problem()
        if problem:
            raise Unavailable(problem)
        # Not under the check lock: the speller keeps answering meanwhile.
        self._downloading = True
        try:
            _download_language_tool(progress)
        except (Exception, SystemExit) as exc:  # as in _check_with_language_tool
            raise Unavailable(f"the LanguageTool download failed: {exc}") from None
        finally:
            self._downloading = False
        if installed_language_tool() is None:
            # language-tool-python skips its download when LTP_JAR_DIR_PATH is
            # set, whatever that folder holds.
            why = (
                "LTP_JAR_DIR_PATH is set, so language-tool-python skipped it; unset it"
                if os.environ.get("LTP_JAR_DIR_PATH")
                else f"nothing usable is in {language_tool_dir()}"
            )
            raise Unavailable(f"the LanguageTool download did not install it: {why}")
        self._failures = 0
        self._retry_at = 0.0

    def close(self) -> None:
        """Stop the local LanguageTool server, if this checker started one."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self._client = None

    # ----- the offline speller -----

    def _spell(
        self,
        text: str,
        known: frozenset[str],
        *,
        problem: str,
        hint: str = "",
        needs_download: bool = False,
    ) -> GrammarResult:
        speller = self._load_speller()
        if speller is None:
            reason = "; ".join(p for p in (problem, self._speller_problem) if p)
            return GrammarResult(text, (), "", False, problem=reason, needs_download=needs_download)
        slips = tuple(s for s in speller.check(text) if not _is_known(text[s.start : s.end], known))
        return GrammarResult(
            text,
            slips,
            "offline spelling",
            False,
            problem=problem,
            hint=hint,
            needs_download=needs_download,
        )

    def _load_speller(self):
        if self._speller is None and not self._speller_problem:
            from composer.spelling import Speller

            try:
                self._speller = Speller(self.settings.language, self._cache)
            except (OSError, ValueError, ImportError) as exc:
                self._speller_problem = f"the offline speller could not load: {exc}"
        return self._speller


_FULL_GRAMMAR_HINT = "grammar needs LanguageTool, see docs/grammar.md"


def _slips(text: str, matches: list, known: frozenset[str]) -> tuple[Slip, ...]:
    """language-tool-python's matches as slips of `text`, names dropped.

    language-tool-python already turns a match's offset from UTF-16 units
    into a Python index, but not its length: the end is converted here.
    """
    units = _Utf16(text)
    slips = []
    for match in matches:
        start = max(0, min(int(match.offset), len(text)))
        end = units.to_index(units.to_unit(start) + max(0, int(match.error_length)))
        end = min(max(end, start), len(text))
        if end == start:
            continue
        spelling = match.rule_issue_type == "misspelling" or match.category == "TYPOS"
        if spelling and _is_known(text[start:end], known):
            continue
        slips.append(
            Slip(
                start=start,
                end=end,
                message=" ".join(str(match.message).split()),
                replacements=tuple(str(r) for r in match.replacements[:5]),
                rule_id=str(match.rule_id),
                category=str(match.category),
                spelling=spelling,
            )
        )
    return tuple(slips)


def _download_language_tool(progress: Callable[[int, int | None], None]) -> None:
    """language-tool-python's own download (checksum-verified, safe unzip),
    with its tqdm progress bar swapped for `progress`: a bar printed on stderr
    would tear the composer's screen, and tqdm is its only progress hook."""
    from types import SimpleNamespace

    from language_tool_python import download_lt

    class Progress:
        def __init__(self, total: int | None = None, **_options: object) -> None:
            self.total = total
            self.done = 0
            progress(0, total)

        def update(self, amount: int) -> None:
            self.done += amount
            progress(self.done, self.total)

        def close(self) -> None:
            pass

    real = download_lt.tqdm
    download_lt.tqdm = SimpleNamespace(tqdm=Progress)
    try:
        download_lt.LocalLanguageTool.from_version_name(download_lt.LTP_DOWNLOAD_VERSION).download()
    finally:
        download_lt.tqdm = real


class BackgroundChecker:
    """One daemon thread that checks the latest text handed to it.

    Typing hands over a new text every pause; only the newest waiting one is
    checked next (older ones are skipped, not queued), and each result comes
    back with the number of the request it answers, so the caller can drop
    an answer a newer request has overtaken. A daemon thread, not a Textual
    worker: quitting must never wait for a slow LanguageTool to answer.
    """

    def __init__(
        self, checker: GrammarChecker, deliver: Callable[[int, GrammarResult], None]
    ) -> None:
        self.checker = checker
        self._deliver = deliver
        self._wake = threading.Condition()
        self._pending: tuple[int, str, tuple[str, ...]] | None = None
        self._number = 0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="grammar", daemon=True)
        self._thread.start()

    def submit(self, text: str, known: Iterable[str] = ()) -> int:
        """Ask for `text` to be checked; returns this request's number."""
        with self._wake:
            self._number += 1
            self._pending = (self._number, text, tuple(known))
            self._wake.notify()
            return self._number

    @property
    def latest(self) -> int:
        """The number of the newest request."""
        return self._number

    def stop(self) -> None:
        """No more checks; a local LanguageTool server is stopped."""
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self.checker.close()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                number, text, known = self._pending
                self._pending = None
            try:
                result = self.checker.check(text, known)
            except Exception as exc:  # a bug must not end grammar checks for the session
                result = GrammarResult(text, (), "", False, problem=f"the check failed: {exc!r}")
            if not self._stopped:
                self._deliver(number, result)


def locate(text: str, values: dict[str, str], start: int, end: int) -> tuple[str, int] | None:
    """The field whose value the span [start, end) of the rendered `text` came
    from, and where the span starts in that value; None when it is the
    template's own text (or the field was changed beyond recognition by it).

    A field's whole value is looked for first, then each of its lines (a
    template may indent or re-wrap them); the longest piece that holds the
    span wins, so a company name inside a paragraph maps to the paragraph.
    """
    best: tuple[int, str, int] | None = None
    for field, value in values.items():
        for piece, offset in _pieces(value):
            at = text.find(piece)
            while 0 <= at <= start:
                if end <= at + len(piece):
                    if best is None or len(piece) > best[0]:
                        best = (len(piece), field, offset + start - at)
                    break
                at = text.find(piece, at + 1)
    return (best[1], best[2]) if best else None


def _pieces(value: str) -> list[tuple[str, int]]:
    """The value, then each of its lines without edge spaces, with their offsets."""
    if not value.strip():
        return []
    pieces = [(value, 0)]
    offset = 0
    for line in value.split("\n"):
        stripped = line.strip()
        if stripped and stripped != value:
            pieces.append((stripped, offset + len(line) - len(line.lstrip())))
        offset += len(line) + 1
    return pieces
