"""`outreach check` without FILE: it reads the email redirected or piped into
it, and says how to use it when stdin is a terminal rather than wait."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

SYNCH_UP = """Subject: Synch up?

Hi Heather,

I'd love to synch up sometime. Let me know when works!

Thanks,
Greg
"""


def outreach(*args: str, stdin, home) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-P", "-m", "composer", *args],
        stdin=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "OUTREACH_HOME": str(home), "NO_COLOR": "1"},
        timeout=120,  # a command waiting on the terminal would otherwise hang the suite
    )


def test_check_reads_a_redirected_file_without_a_dash(tmp_path):
    email = tmp_path / "email.txt"
    email.write_text(SYNCH_UP, encoding="utf-8")
    with email.open("rb") as redirected:
        result = outreach("check", "--json", stdin=redirected, home=tmp_path)
    with email.open("rb") as redirected:
        with_dash = outreach("check", "-", "--json", stdin=redirected, home=tmp_path)
    assert result.returncode == 1, result.stderr  # blocked: "synch up" has no point
    assert json.loads(result.stdout) == json.loads(with_dash.stdout)
    assert json.loads(result.stdout)["stats"]["words"] > 0


def test_check_reads_a_pipe_without_a_dash(tmp_path):
    result = subprocess.run(
        [sys.executable, "-P", "-m", "composer", "check", "--json"],
        input=SYNCH_UP,
        capture_output=True,
        text=True,
        env={**os.environ, "OUTREACH_HOME": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert any(f["rule"] == "point" for f in json.loads(result.stdout)["findings"])


def test_check_with_a_terminal_on_stdin_and_no_file_is_a_usage_error(tmp_path):
    controller, terminal = pty.openpty()
    try:
        result = outreach("check", stdin=terminal, home=tmp_path)
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "no FILE" in result.stderr and "outreach check < email.txt" in result.stderr


def test_the_stdin_size_limit_holds_without_a_dash(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (5 * 1024 * 1024))
    with big.open("rb") as redirected:
        result = outreach("check", stdin=redirected, home=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "outreach: <stdin>: too large (over 4 MB)\n"
