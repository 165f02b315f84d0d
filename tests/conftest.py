"""Shared fixtures: the example draft and a runner for the CLI in-process."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from composer.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DRAFT = ROOT / "examples" / "draft.toml"


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture(autouse=True)
def own_user_folders(tmp_path_factory, monkeypatch):
    """Tests never write into the machine's user folders: where a test names no
    home, platformdirs' folders (config, data, the cache) are per-test ones.
    HOME too, for macOS, where platformdirs ignores the XDG variables."""
    folders = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("HOME", str(folders))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(folders / name.lower()))
    monkeypatch.delenv("OUTREACH_HOME", raising=False)


@pytest.fixture(autouse=True)
def no_language_tool(tmp_path_factory, monkeypatch):
    """Tests never see (or download into) the machine's LanguageTool folder."""
    monkeypatch.setenv("LTP_PATH", str(tmp_path_factory.mktemp("language_tool")))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)


FAKE_JAVA = ROOT / "tests" / "fake_java"


@pytest.fixture
def fake_java(monkeypatch):
    """tests/fake_java/java first on PATH: `java` starts tests/ltserver.py."""
    monkeypatch.setenv("PATH", f"{FAKE_JAVA}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("FAKE_JAVA_MODE", raising=False)
    monkeypatch.delenv("FAKE_JAVA_VERSION_OUTPUT", raising=False)


@pytest.fixture
def installed_language_tool() -> Path:
    """A LanguageTool 6.8 "installed" in the test's download folder (LTP_PATH)."""
    from ltserver import install_languagetool

    return install_languagetool(os.environ["LTP_PATH"])


@pytest.fixture
def languagetool_download(tmp_path, monkeypatch):
    """language-tool-python's download of LanguageTool 6.8, served from here
    (a zip with a verified checksum); yields the zip."""
    from language_tool_python import download_lt
    from ltserver import make_languagetool_zip, serve_directory

    folder = tmp_path / "downloads"
    folder.mkdir()
    archive = folder / "LanguageTool-6.8.zip"
    sha256 = make_languagetool_zip(archive)
    host, stop = serve_directory(folder)
    # The client reads its download hosts from the environment at import time,
    # so the module constant is patched rather than LTP_DOWNLOAD_HOST_NEW_RELEASES.
    monkeypatch.setattr(download_lt, "BASE_URL_NEW_RELEASES", host)
    monkeypatch.setenv("LTP_DOWNLOAD_SHA256_6_8", sha256)
    try:
        yield archive
    finally:
        stop()


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run `outreach ARGS` in-process; stdin text optional."""

    def run(*args: str, stdin: str | bytes = b"") -> Result:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        fake_stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
        out = io.StringIO()
        try:
            code = main(list(args), out=out, stdin=fake_stdin)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        captured = capsys.readouterr()
        return Result(code, out.getvalue() + captured.out, captured.err)

    monkeypatch.setattr(sys, "argv", ["outreach"])
    return run


@pytest.fixture
def example_draft() -> Path:
    return EXAMPLE_DRAFT
