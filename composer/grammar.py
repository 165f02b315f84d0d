"""Grammar and spelling: LanguageTool through language-tool-python, else an
offline speller.

`GrammarChecker.check(text, known_words)` is slow (HTTP, maybe a Java server)
and blocking: the composer calls it from a worker thread, the CLI once. It
never raises for a LanguageTool problem; the result says what checked the
text and, when LanguageTool could not, why and what to do. Nothing is
downloaded and no text leaves the machine unless the settings say so.

This module decides: which backend, when to retry, when the speller stands
in, which slips are names. The parts it drives live apart: the client
(composer.grammar_client, over composer.grammar_http), the local server's
download and process (composer.grammar_server), the offline speller
(composer.spelling) and the results (composer.slips). language-tool-python
is imported only when a LanguageTool backend is used (it pulls in requests,
psutil and tqdm: ~150 ms).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from composer.config import Grammar
from composer.grammar_client import connect
from composer.grammar_server import (
    DOWNLOAD_SIZE_MB,
    LOCAL_START_TIMEOUT,
    LocalServer,
    NotInstalled,
    Unavailable,
    download_language_tool,
    installed_language_tool,
    java_problem,
    language_tool_dir,
)
from composer.slips import GrammarResult, Slip

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

RETRY_AFTER = (30, 60, 120, 300)
"""Seconds to wait before trying LanguageTool again after the 1st, 2nd, … failure."""

RATE_LIMIT_WAIT = 120
"""Seconds to wait after the public API says "too many requests" (HTTP 426)."""

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


def _without_names(text: str, slips: Iterable[Slip], known: frozenset[str]) -> tuple[Slip, ...]:
    """The slips but the misspellings that are known names, whichever backend found them."""
    return tuple(s for s in slips if not (s.spelling and _is_known(text[s.start : s.end], known)))


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
        self._server: LocalServer | None = None
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
            slips = self._connect(plan).slips(text)
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
        return GrammarResult(text, _without_names(text, slips, known), checker, True)

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
            self._client = connect(url, self.settings.language or "en-US", self._budget)
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
        self._server = LocalServer(home)
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
            download_language_tool(progress)
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
        slips = _without_names(text, speller.check(text), known)
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
