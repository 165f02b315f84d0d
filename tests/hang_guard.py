"""A test that would hang fails instead (pytest-timeout is not a dependency).

SIGALRM interrupts the main thread wherever it is, a render spinning in a
Jinja2 loop included, and raises there; so a broken bound shows as one
failed test, not a suite that never ends.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


@contextlib.contextmanager
def no_hang(seconds: float = 60.0) -> Iterator[None]:
    def alarm(signum, frame) -> None:
        raise AssertionError(f"still running after {seconds:g} s: something waited without a bound")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
