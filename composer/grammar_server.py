"""The local LanguageTool: where its download lives, fetching it, and the
server process this app starts, waits for and stops (backend = "local").

Mechanism only: composer.grammar decides when to download, start or give up.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LOCAL_START_TIMEOUT = 60
"""Seconds a local LanguageTool server may take to answer after it is started."""

DOWNLOAD_SIZE_MB = 250
"""About how much the download weighs: the composer says so before asking."""


class Unavailable(Exception):
    """LanguageTool cannot check now; the message says why and what to do."""


class NotInstalled(Unavailable):
    """backend = "local" and LanguageTool is not downloaded: asking, not retrying, helps."""


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


class LocalServer:
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
        """Return once the server answers its health check; raise Unavailable,
        with Java's last words, if it stops or is not up within `timeout`."""
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
        """The server process is still running."""
        return self._process.poll() is None

    def close(self) -> None:
        """Stop the server (terminate, then kill if it lingers); safe to call twice."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        self._errors.close()
        atexit.unregister(self.close)


def download_language_tool(progress: Callable[[int, int | None], None]) -> None:
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
