"""Hostile templates: whatever a template does, its render ends within the
time and memory bound (composer.render_worker) as a TemplateError naming it.

Each test runs under no_hang: a bound that broke would fail the test, not
hang the suite. The bound itself is what stops every template here.
"""

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

from composer.model import Draft, Recipient
from composer.render import render
from composer.render_worker import MEMORY_MB, RENDER_SECONDS
from composer.templates_store import TemplateError, parse_template

TOO_LONG = f"took longer than {RENDER_SECONDS:g} s to render"
TOO_BIG = f"used more than {MEMORY_MB} MB to render"

NESTED_RANGES = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"

# The list. Which bound stops a template that both loops and grows
# depends on the machine's speed, so only single huge allocations and pure
# loops name theirs.
HOSTILE = {
    "nested-range": (NESTED_RANGES, TOO_LONG),
    "recursive-macro": (
        "{% macro grow(n) %}{% if n < 60 %}{{ grow(n + 1) }}{{ grow(n + 1) }}{% endif %}"
        "{% endmacro %}{{ grow(0) }}",
        TOO_LONG,
    ),
    "lipsum": ("{{ lipsum(n=2000000) }}", None),
    "slice": ("{{ range(10) | slice(10 ** 9) | list | length }}", None),
    "format-width": ("{{ '{0:>{1}}'.format('x', 999999999) }}", TOO_BIG),
    "percent-star": ("{{ '%*s' % (999999999, 'x') }}", TOO_BIG),
    "tilde-join": (
        "{% set s = namespace(text='x') %}{% for i in range(64) %}"
        "{% set s.text = s.text ~ s.text %}{% endfor %}{{ s.text | length }}",
        TOO_BIG,
    ),
    "tojson-indent": ("{{ range(100000) | list | tojson(indent=100000) }}", None),
}


def template_text(name: str, body: str) -> str:
    return f'name = "{name}"\nsubject = "hi"\nbody = """\n{body}"""\n'


def template(name: str, body: str):
    return parse_template(template_text(name, body), f"{name}.toml", "test", name)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_template_ends_at_the_bound_as_an_error_naming_it(name):
    body, bound = HOSTILE[name]
    with no_hang(), pytest.raises(TemplateError) as caught:
        render(Draft(), template(name, body))
    error = caught.value
    assert error.template == name
    assert str(error).startswith(f"template '{name}': ")
    assert error.message in ([bound] if bound else [TOO_LONG, TOO_BIG])


def test_a_macro_that_calls_itself_for_ever_is_named_as_such():
    with no_hang(), pytest.raises(TemplateError, match="a macro that calls itself") as caught:
        render(Draft(), template("again", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"))
    assert caught.value.template == "again"


def test_renders_after_a_bound_was_hit_are_unaffected():
    with no_hang(), pytest.raises(TemplateError):
        render(Draft(), template("spin", NESTED_RANGES))
    email = render(Draft(point="Would you review my draft?", recipient=Recipient(name="Ana Ruiz")))
    assert email.body == "Hi Ana,\n\nWould you review my draft?\n\nBest,\n"


@pytest.mark.parametrize("command", ["render", "check"])
def test_the_cli_exits_2_naming_the_template_that_hit_the_bound(run_cli, tmp_path, command):
    spin = tmp_path / "spin.toml"
    spin.write_text(template_text("spin", NESTED_RANGES))
    draft = tmp_path / "draft.toml"
    draft.write_text('point = "Would you review my draft?"\n')
    args = ["--draft", str(draft)] if command == "render" else [str(draft)]
    with no_hang():
        result = run_cli(command, "--template", str(spin), *args)
    assert result.code == 2
    assert result.err.splitlines() == [f"outreach: template 'spin': {TOO_LONG}"]
    assert result.out == ""


LOADED = """
import sys
from composer.cli import main
try:
    main({args!r})
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in ("composer.render_worker", "multiprocessing") if m in sys.modules))
"""


def test_check_on_plain_text_starts_no_worker(tmp_path):
    email = tmp_path / "email.txt"
    email.write_text("Subject: Hi\n\nHi Ana,\n\nWould you review my draft?\n")
    result = subprocess.run(
        [sys.executable, "-P", "-c", LOADED.format(args=["check", str(email)])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "LOADED:\n" in result.stdout


# ----- the worker never outlives the process that started it -----

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

PARENT = """
import sys
from composer.model import Draft
from composer.render import render
from composer.templates_store import TemplateError, parse_template

render(Draft())
print("worker started", flush=True)
if sys.argv[1] == "render-hostile":
    spin = parse_template({spin!r}, "spin.toml", "test", "spin")
    try:
        render(Draft(), spin)
    except TemplateError:
        pass
else:
    sys.stdin.readline()  # then exit, normally
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie is its new parent's to reap)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_parent(then: str) -> tuple[subprocess.Popen, int]:
    parent = subprocess.Popen(
        [
            sys.executable,
            "-P",
            "-c",
            PARENT.format(spin=template_text("spin", NESTED_RANGES)),
            then,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout.readline() == "worker started\n"
    (worker,) = children(parent.pid)
    return parent, worker


def _wait_until_gone(pid: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _running(pid):
        os.kill(pid, signal.SIGKILL)
        raise AssertionError(f"the worker {pid} outlived its parent")


@needs_proc
def test_the_worker_is_stopped_and_reaped_when_its_parent_exits():
    parent, worker = _start_parent("exit")
    with no_hang():
        parent.communicate("\n")
    assert parent.returncode == 0
    assert not Path(f"/proc/{worker}").exists()


@needs_proc
def test_an_idle_worker_ends_when_its_parent_is_killed():
    parent, worker = _start_parent("wait")
    parent.kill()
    parent.wait()
    _wait_until_gone(worker)


@needs_proc
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_a_busy_worker_ends_when_its_parent_is_killed_mid_render(signal_name):
    parent, worker = _start_parent("render-hostile")
    time.sleep(0.3)  # into the hostile render, well before its bound
    parent.send_signal(getattr(signal, signal_name))
    parent.wait()
    # Nobody is left to time the render out: the worker's CPU limit stops it.
    _wait_until_gone(worker)
