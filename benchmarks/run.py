"""Every published figure, measured side by side in one run (docs/performance.md).

    .venv/bin/python -P benchmarks/run.py        (make bench installs proselint first)

The machine is shared and noisy, so each comparison runs both sides in the
same run, alternating, and reports medians: the ratios hold even when the
absolute numbers move.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from composer.checklist import run_checklist

# Run with -P (the source tree's composer/ has no templates; the installed one
# is measured), which also leaves this folder off the path: put it back.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from checklist_speed import EMAIL_150, JD_PARAGRAPH, _median_ms
from composer_speed import _updates, launch

ROOT = Path(__file__).resolve().parent.parent
OUTREACH = Path(sys.executable).with_name("outreach")
PROSELINT = Path(sys.executable).with_name("proselint")
EXAMPLE = ROOT / "examples" / "draft.toml"

PEAK_RSS = f"""
import pathlib, resource, sys, time
from composer.model import parse_draft
from composer.storage import Paths
from composer.tui.app import ComposerApp

class Measured(ComposerApp):
    def on_mount(self):
        super().on_mount()
        self.started = time.monotonic()
        self.set_interval(0.05, self.done_yet)
    def done_yet(self):
        # Wait for the first grammar answer: the offline speller's dictionary
        # is the largest thing the composer loads.
        if self.report is not None and self.grammar is not None or time.monotonic() - self.started > 20:
            self.exit(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

home = pathlib.Path(sys.argv[1])
draft = parse_draft(open({str(EXAMPLE)!r}).read())
app = Measured(draft, Paths(config=home, data=home))
print(app.run(headless=True, size=(80, 24)))
"""


# What `outreach check` cannot do without: the standard library modules it
# imports before reading a byte (argparse, dataclasses, pathlib, tomllib...).
STDLIB_FLOOR = "import argparse, dataclasses, json, pathlib, re, tomllib, typing"


def _wall_ms(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env
    )
    return (time.perf_counter() - start) * 1000


def startup(emails: list[Path], home: Path, rounds: int = 5) -> dict[str, float]:
    """Median wall time per email: bare Python, its standard-library floor,
    `outreach check` with its compiled cues kept (the usual case) and without
    (the first run), `proselint check`."""
    env = {**os.environ, "OUTREACH_HOME": str(home)}
    kept = home / "cache" / "cues.marshal"
    times: dict[str, list[float]] = {
        "python": [],
        "floor": [],
        "outreach": [],
        "first": [],
        "proselint": [],
    }
    for _ in range(rounds):
        for email in emails:
            check = [str(OUTREACH), "check", str(email)]
            times["python"].append(_wall_ms([sys.executable, "-c", "pass"]))
            times["floor"].append(_wall_ms([sys.executable, "-c", STDLIB_FLOOR]))
            kept.unlink(missing_ok=True)
            times["first"].append(_wall_ms(check, env))
            times["outreach"].append(_wall_ms(check, env))
            if PROSELINT.exists():
                times["proselint"].append(_wall_ms([str(PROSELINT), "check", str(email)]))
    return {name: statistics.median(values) for name, values in times.items() if values}


def corpus_emails(folder: Path, count: int = 8) -> list[Path]:
    """Plain-text copies of the first corpus emails (the same files for both tools)."""
    paths = []
    for source in sorted((ROOT / "tests" / "corpus" / "dev").glob("*.toml"))[:count]:
        target = folder / f"{source.stem}.txt"
        target.write_text(tomllib.loads(source.read_text())["text"], encoding="utf-8")
        paths.append(target)
    return paths


def peak_rss_mb(home: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-P", "-c", PEAK_RSS, str(home)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.split()[-1]) / 1024


def main() -> None:
    rows: list[tuple[str, str, str, bool | None]] = []

    def row(measure: str, value: str, target: str = "", met: bool | None = None) -> None:
        rows.append((measure, value, target, met))

    with tempfile.TemporaryDirectory() as folder:
        emails = corpus_emails(Path(folder))
        started = startup(emails, Path(folder) / "home")
    python, outreach = started["python"], started["outreach"]
    row("python -c pass", f"{python:.0f} ms")
    floor = started["floor"]
    row("  ... importing the stdlib modules check needs", f"{floor:.0f} ms ({floor / python:.1f}x)")
    row(
        f"outreach check email.txt ({len(emails)} emails)",
        f"{outreach:.0f} ms",
        "<= 3x python",
        outreach / python <= 3,
    )
    row("  ... ratio to python -c pass", f"{outreach / python:.1f}x")
    first = started["first"]
    row("  ... first run, compiling its cues", f"{first:.0f} ms ({first / python:.1f}x)")
    if "proselint" in started:
        prose = started["proselint"]
        row("proselint check email.txt (same emails)", f"{prose:.0f} ms")
        row(
            "  ... outreach check is faster by",
            f"{prose / outreach:.2f}x",
            ">= 5x",
            prose / outreach >= 5,
        )
    else:
        row("proselint check email.txt", "not installed (make bench installs it)")

    bare, first, filled = launch()
    row("bare one-widget Textual app: first frame", f"{bare:.0f} ms")
    row(
        "composer on the example draft: first frame",
        f"{first:.0f} ms",
        "<= 1.2x bare",
        first / bare <= 1.2,
    )
    row("  ... ratio to the bare app", f"{first / bare:.2f}x")
    row("  ... preview and checklist filled", f"{filled:.0f} ms ({filled / bare:.2f}x)")

    words = run_checklist(EMAIL_150).stats.words
    small = _median_ms(EMAIL_150, 2000)
    job = "Subject: Open role\n\nHello,\n\n" + JD_PARAGRAPH * (50_000 // len(JD_PARAGRAPH) + 1)
    large = _median_ms(job, 30)
    row(f"checklist, {words}-word email", f"{small:.3f} ms", "< 1 ms", small < 1)
    row(
        f"checklist, {len(job) // 1024} KB job description",
        f"{large:.1f} ms",
        "< 50 ms",
        large < 50,
    )

    work, painted, update_words = asyncio.run(_updates())
    row(
        f"update after the debounce, {update_words}-word draft",
        f"{work:.1f} ms",
        "<= 16 ms",
        work <= 16,
    )
    row(
        "  ... including the repaint of both panels", f"{painted:.1f} ms", "<= 16 ms", painted <= 16
    )

    with tempfile.TemporaryDirectory() as home:
        # The first start builds the speller's word table and compiles the
        # cues; every later start loads both from the cache folder.
        first = peak_rss_mb(Path(home))
        rss = peak_rss_mb(Path(home))
    row("composer peak RSS (speller loaded)", f"{rss:.0f} MB", "<= 80 MB", rss <= 80)
    row("  ... on its first start, building its caches", f"{first:.0f} MB")

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>14}  {'target':<13} met")
    for measure, value, target, met in rows:
        mark = "" if met is None else ("yes" if met else "NO")
        print(f"{measure:<{width}}  {value:>14}  {target:<13} {mark}")


if __name__ == "__main__":
    main()
