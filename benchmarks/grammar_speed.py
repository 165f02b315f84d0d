"""Figures for the grammar check: the offline speller's cost, and what it does
to the UI thread while it loads and checks in the background; then how its
cost grows with a text of unknown words (6 KB against 62 KB, in one run).

    .venv/bin/python -P benchmarks/grammar_speed.py
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
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
    return max(gaps, default=0.0), statistics.median(gaps or [0.0])


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
    rows += unknown_words(speller)
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>9}")


def gibberish(size: int, seed: int) -> str:
    """`size` characters of words no dictionary knows ("qzxv brtk …")."""
    pick = random.Random(seed)
    words: list[str] = []
    length = 0
    while length < size:
        word = "".join(pick.choice("bcdfghjklmnpqrstvwxz") for _ in range(pick.randint(4, 9)))
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def unknown_words(speller, runs: int = 5) -> list[tuple[str, str]]:
    """The speller on 6 KB and 62 KB of unknown words: the whole check (each
    word needs suggestions, which share one budget per check) and finding the
    words alone; then 48 KB next to the checklist on the same 48 KB (its
    budget is < 50 ms), so the comparison holds on a busy machine. Best of
    `runs`, alternating; a fresh text each run, so no suggestion is cached."""
    # Run with -P, which leaves this folder off the path: put it back.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from checklist_speed import JD_PARAGRAPH

    from composer import spelling
    from composer.checklist import run_checklist

    sizes = (6_000, 62_000)
    whole: dict[int, list[float]] = {size: [] for size in sizes}
    finding: dict[int, list[float]] = {size: [] for size in (*sizes, 48_000)}
    job = "Subject: Open role\n\n" + (JD_PARAGRAPH * 40)[:48_000]
    on_job: list[float] = []
    checklist: list[float] = []
    budget = spelling._SUGGESTION_BUDGET

    def timed(work) -> float:
        started = time.perf_counter()
        work()
        return (time.perf_counter() - started) * 1000

    for run in range(runs):
        for size in sizes:
            text = gibberish(size, seed=run * 10 + size)
            whole[size].append(timed(lambda text=text: speller.check(text)))
        spelling._SUGGESTION_BUDGET = 0.0
        try:
            for size in finding:
                text = gibberish(size, seed=run * 10 + size + 5)
                finding[size].append(timed(lambda text=text: speller.check(text)))
        finally:
            spelling._SUGGESTION_BUDGET = budget
        on_job.append(timed(lambda: speller.check(job)))
        checklist.append(timed(lambda: run_checklist(job)))
    small, large = (min(whole[size]) for size in sizes)
    small_finding, large_finding, mid_finding = (min(times) for times in finding.values())
    return [
        ("6 KB of unknown words, whole check", f"{small:.0f} ms"),
        ("62 KB of unknown words, whole check", f"{large:.0f} ms"),
        ("  ... ratio (suggestions share one budget)", f"{large / small:.1f}x"),
        ("6 KB of unknown words, finding them only", f"{small_finding:.1f} ms"),
        ("62 KB of unknown words, finding them only", f"{large_finding:.1f} ms"),
        ("  ... ratio (10.3x the text)", f"{large_finding / small_finding:.1f}x"),
        ("48 KB of unknown words, finding them only", f"{mid_finding:.1f} ms"),
        ("48 KB job description: the speller", f"{min(on_job):.1f} ms"),
        ("48 KB job description: the checklist (< 50 ms)", f"{min(checklist):.1f} ms"),
    ]


if __name__ == "__main__":
    main()
