"""A team template that never ends: the composer stays responsive, shows the
template error, and quits at once (ctrl+q, SIGTERM) while it is rendering."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hang_guard import no_hang
from processes import children
from textual.widgets import Button, Input, TextArea

from composer import render_worker
from composer.model import Draft, Recipient
from composer.templates_store import user_store

from .conftest import RecordingApp
from .test_composer import settle

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

# Spins only while the point says "spin", so the same template can also render.
SPIN = """name = "spin"
description = "Hangs on one word"
subject = "A question"
body = \"\"\"
{% if 'spin' in point %}{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}{% endif %}
Hi {{ recipient.first_name }},

{{ point }}
\"\"\"
"""

POINT = "Would you share how you run intake meetings?"


def _team_folder(config: Path) -> None:
    team = config / "team"
    team.mkdir(parents=True)
    (team / "spin.toml").write_text(SPIN)
    (config / "config.toml").write_text('template_dirs = ["team"]\n')


def _busy_workers() -> list[int]:
    """This process's render workers that are still running (not yet reaped)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and b"render_worker" in cmdline:
            found.append(int(stat.parent.name))
    return found


async def test_a_template_that_never_ends_leaves_the_composer_responsive(
    paths, system_clipboard, monkeypatch
):
    _team_folder(paths.config)
    draft = Draft(point=POINT, template="spin", recipient=Recipient(name="Ana Ruiz"))
    app = RecordingApp(draft, paths, store=user_store(paths, ["team"]))
    with no_hang():
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.report is not None and app.report.finding("point").status == "pass"

            point = app.query_one("#point", TextArea)
            point.focus()
            await pilot.press(*"spin ")
            await pilot.pause(0.2)  # the debounce has fired: the render is spinning
            # Keys still land while it spins: the screen never waits on it.
            app.query_one("#recipient-name", Input).focus()
            await pilot.press(*" Jr")
            assert app.query_one("#recipient-name", Input).value == "Ana Ruiz Jr"

            await settle(pilot)
            preview = str(app.query_one("#preview-text").render())
            assert "Template error: template 'spin': took longer than 1 s to render" in preview
            assert app.email is None and app.query_one("#send", Button).disabled

            # Typing on updates the checklist again once the template can render.
            point.focus()
            await pilot.press(*["backspace"] * 5)
            await settle(pilot)
            assert app.email is not None and POINT in app.email.body
            assert app.report is not None and app.report.finding("point").status == "pass"
            assert "Hi Ana," in str(app.query_one("#preview-text").render())

            # A render that would spin for an hour: quitting must not wait for it.
            monkeypatch.setattr(render_worker, "RENDER_SECONDS", 3600)
            point.focus()
            await pilot.press(*"spin ")
            await pilot.pause(0.2)
            assert app.refresh_pending
            await pilot.press("ctrl+q")
        while _busy_workers():  # the spinning worker is killed and reaped
            time.sleep(0.05)
    assert app.return_value is not None and "Draft saved" in app.return_value


async def test_a_send_asked_for_mid_render_goes_out_once_the_render_is_back(
    paths, example, system_clipboard
):
    """ctrl+j right after typing: the send waits for that text's render (not
    the screen), then copies exactly it; with a spinning template it says so."""
    _team_folder(paths.config)
    app = RecordingApp(example, paths, store=user_store(paths, ["team"]))
    with no_hang():
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            point = app.query_one("#point", TextArea)
            point.focus()
            await pilot.press("end", *" Thanks")
            await pilot.press("ctrl+j")
            await settle(pilot)
            await app.workers.wait_for_complete()
            assert system_clipboard and "Thanks" in system_clipboard[-1]
            assert system_clipboard[-1] == app.email.text

            app.switch_template("spin")
            await settle(pilot)
            await pilot.press("home", *"spin ")
            sent = len(system_clipboard)
            await pilot.press("ctrl+j")
            await settle(pilot)
            assert any("the template has an error" in m for s, m in app.notes if s == "error")
            assert len(system_clipboard) == sent


APP = """
import sys
from pathlib import Path
from composer import render_worker
from composer.model import Draft
from composer.storage import Paths
from composer.templates_store import user_store
from composer.tui.app import ComposerApp

render_worker.RENDER_SECONDS = 3600  # a close that waited on the render would hang
home = Path(sys.argv[1])
paths = Paths(config=home, data=home)
draft = Draft(point="spin, please", template="spin")
app = ComposerApp(draft, paths, store=user_store(paths, ["team"]))
print(app.run(headless=True, size=(80, 24)), flush=True)
"""


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_sigterm_closes_the_composer_while_a_template_spins(tmp_path):
    _team_folder(tmp_path)
    composer = subprocess.Popen(
        [sys.executable, "-P", "-c", APP, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker = None
    try:
        deadline = time.monotonic() + 60
        # Wait until the worker is inside the template: it has spent CPU beyond its start-up.
        while time.monotonic() < deadline and composer.poll() is None:
            workers = children(composer.pid)
            if workers and _cpu_seconds(workers[0]) > 0.8:
                worker = workers[0]
                break
            time.sleep(0.05)
        assert worker is not None, composer.stderr.read() if composer.poll() is not None else ""
        composer.send_signal(signal.SIGTERM)
        _, err = composer.communicate(timeout=60)
        assert composer.returncode == 0, err
        assert not Path(f"/proc/{worker}").exists()  # killed and reaped by the composer
    finally:
        if composer.poll() is None:
            composer.kill()
        if worker is not None and Path(f"/proc/{worker}").exists():
            os.kill(worker, signal.SIGKILL)
