"""How fast the composer opens and how long an update takes.

    python benchmarks/composer_speed.py

Launch: a fresh process until the first screen is composed and painted, for
the composer on the example draft and for a bare one-widget Textual app, run
alternately in the same run so the ratio holds on a noisy machine
(target: composer <= 1.2x bare). Update: the work after the debounce timer
fires (render, checklist, repaint of preview and checklist) on a 150-word
draft (target: <= 16 ms, one frame).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "draft.toml"

# Each script prints, in ms since it started, when its first frame was drawn
# (call_after_refresh from on_mount) and, for the composer, when the preview and
# checklist were filled. Interpreter start-up is the same for both and left out.
BARE = """
import time
START = time.perf_counter()
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.painted)
    def painted(self):
        print(f"{(time.perf_counter() - START) * 1000:.1f} 0")
        self.exit()

Bare().run(headless=True, size=(80, 24))
"""

COMPOSER = f"""
import time
START = time.perf_counter()
import pathlib, tempfile
from composer.model import parse_draft
from composer.storage import Paths
from composer.tui.app import ComposerApp

class Timed(ComposerApp):
    def on_mount(self):
        # Registered before the app's own deferred work, so it fires on the first frame.
        self.call_after_refresh(self.painted)
        super().on_mount()
    def painted(self):
        self.first = (time.perf_counter() - START) * 1000
        self.call_after_refresh(self.filled)
    def filled(self):
        if self.report is None:
            self.call_after_refresh(self.filled)
            return
        print(f"{{self.first:.1f}} {{(time.perf_counter() - START) * 1000:.1f}}")
        self.exit()

home = pathlib.Path(tempfile.mkdtemp())
draft = parse_draft(open({str(EXAMPLE)!r}).read())
Timed(draft, Paths(config=home, data=home)).run(headless=True, size=(80, 24))
"""


def _launch(code: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-P", "-c", code], check=True, capture_output=True, text=True
    ).stdout
    first, filled = out.split()[-2:]
    return float(first), float(filled)


def launch(runs: int = 9) -> tuple[float, float, float]:
    """Medians: bare first paint, composer first paint, composer panels filled."""
    bare, first, filled = [], [], []
    for _ in range(runs):
        bare.append(_launch(BARE)[0])
        composer = _launch(COMPOSER)
        first.append(composer[0])
        filled.append(composer[1])
    return statistics.median(bare), statistics.median(first), statistics.median(filled)


def _draft_150():
    from composer.model import parse_draft

    draft = parse_draft(EXAMPLE.read_text())
    draft.context += (
        " Our team hires embedded firmware engineers in three cities, and most of them write"
        " about their side projects on personal blogs rather than on social networks."
    )
    draft.research += (
        " In particular, the idea of reading the last three posts before writing changed the"
        " tone of our first messages, and candidates now answer with real questions about"
        " the work itself, the team and the code base, which saves everyone a call and a lot of time."
    )
    return draft


async def _updates(samples: int = 40) -> tuple[float, float, int]:
    """Medians of the refresh itself and of refresh + the repaint it causes.

    The repaint is the time Textual spends in the screen's update (layout and
    compositor) after the refresh; the wait for the next frame tick in between
    is not work and is not counted.
    """
    from composer.checklist import run_checklist
    from composer.storage import Paths
    from composer.tui.app import ComposerApp

    draft = _draft_150()
    with tempfile.TemporaryDirectory() as home:
        app = ComposerApp(draft, Paths(config=Path(home), data=Path(home)))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            repaints: list[float] = []
            original = screen._on_timer_update

            def timed_update() -> None:
                start = time.perf_counter()
                original()
                repaints.append((time.perf_counter() - start) * 1000)

            screen._on_timer_update = timed_update
            work, total = [], []
            for _ in range(samples):
                repaints.clear()
                start = time.perf_counter()
                app.refresh_panels()
                work.append((time.perf_counter() - start) * 1000)
                await pilot.pause()
                total.append(work[-1] + sum(repaints))
            words = run_checklist(app.email.text).stats.words
    return statistics.median(work), statistics.median(total), words


def main() -> None:
    bare, first, filled = launch()
    work, painted, words = asyncio.run(_updates())
    print(f"{'measure':<52}{'median':>12}{'target':>14}")
    print(f"{'bare one-widget Textual app: first frame':<52}{bare:>9.0f} ms")
    print(
        f"{'composer on the example draft: first frame':<52}{first:>9.0f} ms{f'{first / bare:.2f}x bare':>14}"
    )
    print(
        f"{'  ... preview and checklist filled':<52}{filled:>9.0f} ms{f'{filled / bare:.2f}x bare':>14}"
    )
    print(f"{f'update after the debounce, {words}-word draft':<52}{work:>9.1f} ms{'<= 16 ms':>14}")
    print(f"{'  ... including the repaint of both panels':<52}{painted:>9.1f} ms{'<= 16 ms':>14}")


if __name__ == "__main__":
    main()
