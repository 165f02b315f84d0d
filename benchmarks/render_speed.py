"""What bounding every render costs (composer.render_worker).

    .venv/bin/python -P benchmarks/render_speed.py [--baseline DIR]

Per render: the example draft rendered in this process by the sandbox alone
(SandboxRenderer, no bound) and through the template worker (Renderer: a
round trip to the child process, bounded in time and memory), alternating in
the same run, each with a draft edited between renders as typing does.
Medians, 95th percentiles and their ratios.

Then the worker's start (the first render in a fresh process), `outreach
render` and `outreach check` on plain text from the command line, and the
composer's update after an edit: the screen's own work (the render runs
off its thread) and the time from the debounce firing to the panels showing
the new email. The per-keystroke budget is 16 ms (docs/performance.md).

With --baseline DIR (a tree holding an older composer/ package with its
templates, put first on PYTHONPATH), the command-line figures are measured
for both, alternating, and their ratio printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from composer_speed import _draft_150

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "draft.toml"


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def per_render(samples: int = 400) -> tuple[list[float], list[float]]:
    """Milliseconds per render: in this process, and through the worker."""
    from composer.render import Renderer
    from composer.sandbox import SandboxRenderer
    from composer.templates_store import TemplateStore

    store = TemplateStore()
    inline, bounded = SandboxRenderer(store), Renderer(store)
    draft = _draft_150()
    point = draft.point
    inline.render(draft)
    bounded.render(draft)  # the worker is started and has the store: steady state
    here, worker = [], []
    for number in range(samples):
        draft.point = f"{point} ({number})"
        for renderer, times in ((inline, here), (bounded, worker)):
            start = time.perf_counter()
            renderer.render(draft)
            times.append((time.perf_counter() - start) * 1000)
    return here, worker


FIRST_RENDER = """
import time
from composer.model import Draft
from composer.render import render
start = time.perf_counter()
render(Draft())
first = time.perf_counter() - start
start = time.perf_counter()
render(Draft(point="x"))
print(first * 1000, (time.perf_counter() - start) * 1000)
"""


def worker_start(runs: int = 7) -> tuple[float, float]:
    """Medians: the first render in a fresh process (starts the worker), the second."""
    first, second = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-P", "-c", FIRST_RENDER], check=True, capture_output=True, text=True
        ).stdout.split()
        first.append(float(out[0]))
        second.append(float(out[1]))
    return statistics.median(first), statistics.median(second)


def _wall_ms(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=False, capture_output=True, env=env)  # `check` may exit 1
    return (time.perf_counter() - start) * 1000


def command_line(baseline: Path | None, runs: int = 11) -> dict[str, dict[str, float]]:
    """Median wall-clock ms of each command, for this tree (and the baseline)."""
    folder = Path(tempfile.mkdtemp())
    email = folder / "email.txt"
    email.write_text("Subject: Hi\n\nHi Ana,\n\nWould you review my draft?\n\nBest,\nBo\n")
    code = "import sys; from composer.cli import main; sys.exit(main(sys.argv[1:]))"

    def commands(home: str) -> dict[str, list[str]]:
        # A home per tree: each keeps its own cache of compiled checklist cues.
        return {
            "python -c pass": ["-c", "pass"],
            "outreach render --draft example": [
                "-c",
                code,
                "--home",
                home,
                "render",
                "--draft",
                str(EXAMPLE),
            ],
            "outreach check email.txt (plain text)": [
                "-c",
                code,
                "--home",
                home,
                "check",
                str(email),
            ],
        }

    trees = {"this tree": None} | ({"baseline": str(baseline)} if baseline else {})
    homes = {tree: str(folder / f"home-{number}") for number, tree in enumerate(trees)}
    times: dict[str, dict[str, list[float]]] = {
        t: {c: [] for c in commands(homes[t])} for t in trees
    }
    for _ in range(runs):
        for tree, path in trees.items():
            env = dict(os.environ)
            env.pop("PYTHONPATH", None)
            if path:
                env["PYTHONPATH"] = path
            for command, args in commands(homes[tree]).items():
                # -P: no current folder on the path, so the installed package
                # (or the baseline's) is what runs, never the source tree's.
                times[tree][command].append(_wall_ms([sys.executable, "-P", *args], env))
    return {t: {c: statistics.median(v) for c, v in cs.items()} for t, cs in times.items()}


async def composer_updates(samples: int = 40) -> tuple[list[float], list[float]]:
    """Per edit: the screen's own work (ms) and debounce-to-panels latency (ms)."""
    from textual.widgets import TextArea

    from composer.storage import Paths
    from composer.tui.app import ComposerApp

    draft = _draft_150()
    with tempfile.TemporaryDirectory() as home:
        app = ComposerApp(draft, Paths(config=Path(home), data=Path(home)))
        async with app.run_test(size=(80, 24)) as pilot:
            while app.refresh_pending or app.report is None:
                await pilot.pause(0.01)
            refresh, finish = app.refresh_panels, app._render_done
            calls: list[tuple[str, float, float]] = []
            inside: list[bool] = []

            def timed_refresh(*args, **kwargs):
                if inside:  # the refresh a finished render makes is counted with it
                    return refresh(*args, **kwargs)
                start = time.perf_counter()
                refresh(*args, **kwargs)
                calls.append(("refresh", start, time.perf_counter()))

            def timed_finish(*args, **kwargs):
                inside.append(True)
                start = time.perf_counter()
                try:
                    finish(*args, **kwargs)
                finally:
                    inside.pop()
                    calls.append(("done", start, time.perf_counter()))

            app.refresh_panels, app._render_done = timed_refresh, timed_finish
            point = app.query_one("#point", TextArea)
            work, latency = [], []
            for number in range(samples):
                calls.clear()
                point.text = f"{draft.point} ({number})"
                while not any(kind == "done" for kind, _, _ in calls) or app.refresh_pending:
                    await pilot.pause(0.005)
                work.append(sum(end - start for _, start, end in calls) * 1000)
                latency.append((calls[-1][2] - calls[0][1]) * 1000)
    return work, latency


def _row(measure: str, median: str, p95: str = "", note: str = "") -> None:
    print(f"{measure:<50}{median:>11}{p95:>11}  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="an older tree to compare the CLI with")
    args = parser.parse_args()

    _row("measure", "median", "p95")
    here, worker = per_render()
    _row("render, 150-word draft: in this process (no bound)", *_ms(here, 3))
    _row("  ... in the worker (bounded)", *_ms(worker, 3))
    _row(
        "  ... ratio bounded / in-process",
        f"{statistics.median(worker) / statistics.median(here):.2f}x",
        f"{_p95(worker) / _p95(here):.2f}x",
    )
    first, second = worker_start()
    _row("first render in a process (starts the worker)", f"{first:.1f} ms")
    _row("  ... the next one", f"{second:.2f} ms")

    work, latency = asyncio.run(composer_updates())
    _row("composer, per edit: the screen's own work", *_ms(work, 2), "budget 16 ms")
    _row("  ... debounce fired -> panels show the edit", *_ms(latency, 2))

    figures = command_line(args.baseline)
    for command, now in figures["this tree"].items():
        note = ""
        if "baseline" in figures:
            old = figures["baseline"][command]
            note = f"baseline {old:.0f} ms: {now / old:.2f}x"
        _row(command, f"{now:.0f} ms", "", note)


def _ms(values: list[float], digits: int) -> tuple[str, str]:
    return f"{statistics.median(values):.{digits}f} ms", f"{_p95(values):.{digits}f} ms"


if __name__ == "__main__":
    main()
