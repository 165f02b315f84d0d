"""Figures for the grammar check: the offline speller's cost, and what it does
to the UI thread while it loads and checks in the background.

    .venv/bin/python -P benchmarks/grammar_speed.py
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from composer.model import parse_draft
from composer.render import render

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "draft.toml"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ui_stalls(work) -> tuple[float, float]:
    """The UI thread's longest and median gap (ms) between 1 ms ticks while
    `work` runs in a background thread, as the composer's grammar thread does."""
    gaps: list[float] = []
    done = threading.Event()
    thread = threading.Thread(target=lambda: (work(), done.set()), daemon=True)
    last = time.perf_counter()
    thread.start()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        gaps.append((now - last) * 1000)
        last = now
    return max(gaps), statistics.median(gaps)


def main() -> None:
    text = render(parse_draft(EXAMPLE.read_text(), str(EXAMPLE))).text.replace(
        "which blogs", "wich blogs"
    )
    words = len(text.split())
    before = rss_mb()
    holder = {}
    cache = Path(tempfile.mkdtemp())

    def load() -> None:
        from composer.spelling import Speller

        started = time.perf_counter()
        holder["speller"] = Speller("en-US", cache)
        holder["ready"] = (time.perf_counter() - started) * 1000

    worst_build, median_build = ui_stalls(load)
    built = holder["ready"]
    grown = rss_mb() - before
    # The usual start: the word table was kept in the cache folder.
    worst_load, _ = ui_stalls(load)
    shutil.rmtree(cache)
    speller = holder["speller"]
    started = time.perf_counter()
    speller.check(text)
    cold = (time.perf_counter() - started) * 1000
    warm = []
    for _ in range(50):
        started = time.perf_counter()
        speller.check(text)
        warm.append((time.perf_counter() - started) * 1000)
    worst_check, _ = ui_stalls(lambda: [speller.check(text) for _ in range(20)])

    rows = [
        ("offline speller, first start: build its word table", f"{built:.0f} ms"),
        ("  ... memory it adds (RSS)", f"{grown:.0f} MB"),
        ("  ... UI thread's longest stall meanwhile", f"{worst_build:.0f} ms"),
        ("  ... median tick (1 ms asked)", f"{median_build:.1f} ms"),
        ("offline speller, later starts: load the kept table", f"{holder['ready']:.1f} ms"),
        (f"check a {words}-word email, first time (suggestions)", f"{cold:.1f} ms"),
        ("  ... again (suggestions cached), median", f"{statistics.median(warm):.2f} ms"),
        ("  ... UI thread's longest stall meanwhile", f"{worst_load:.0f} ms"),
        ("UI thread's longest stall during 20 checks", f"{worst_check:.0f} ms"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>9}")


if __name__ == "__main__":
    main()
