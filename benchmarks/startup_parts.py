"""Where start-up time goes, in the parts docs/performance.md names.

    .venv/bin/python -P benchmarks/startup_parts.py

For `outreach check`: the app's own imports, and within them the module-level
regular expressions and dataclass creation; then building the argument
parser. For the composer: importing it against importing the bare Textual app,
and against importing the Textual widget classes it uses. Each figure is
measured in fresh processes (medians of seven), since imports happen once.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

CHECK_PARTS = """
import dataclasses, re, time
spent = {"re": 0.0, "dataclasses": 0.0}
compile, process_class = re._compile, dataclasses._process_class
def timed(name, function):
    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started
    return run
re._compile = timed("re", compile)
dataclasses._process_class = timed("dataclasses", process_class)
started = time.perf_counter()
import composer.checklist, composer.cli.check, composer.config
imports = time.perf_counter() - started
started = time.perf_counter()
composer.cli._parser()
parser = time.perf_counter() - started
print(imports * 1000, spent["re"] * 1000, spent["dataclasses"] * 1000, parser * 1000)
"""

IMPORTS = {
    "bare Textual app": "from textual.app import App; from textual.widgets import Static",
    "the Textual widgets the composer uses": (
        "from textual.app import App; from textual.containers import Horizontal, Vertical; "
        "from textual.widgets import Button, Footer, Header, Input, Label, OptionList, "
        "Select, Static, TextArea"
    ),
    "the composer (composer.tui.app)": "import composer.tui.app",
}


def _run(code: str) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return [float(value) for value in out.split()]


def _timed_import(statement: str) -> str:
    return (
        "import time; started = time.perf_counter(); "
        f"{statement}; print((time.perf_counter() - started) * 1000)"
    )


def main() -> None:
    parts = [_run(CHECK_PARTS) for _ in range(7)]
    imports, regexes, dataclasses, parser = (statistics.median(p) for p in zip(*parts, strict=True))
    print("outreach check, in one process (median of 7 processes):")
    print(f"  importing composer.cli, .checklist, .config     {imports:6.1f} ms")
    print(f"    ... of which compiling module-level regexes   {regexes:6.1f} ms")
    print(f"    ... of which creating dataclasses             {dataclasses:6.1f} ms")
    print(f"  building the argument parser                    {parser:6.1f} ms")
    times: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for _ in range(7):
        for name, statement in IMPORTS.items():
            times[name] += _run(_timed_import(statement))
    print("composer, importing (median of 7 processes each, alternating):")
    for name, values in times.items():
        print(f"  {name:<46} {statistics.median(values):6.1f} ms")


if __name__ == "__main__":
    main()
