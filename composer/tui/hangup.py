"""The composer's end when its terminal goes away (a tmux server killed, an
SSH connection dropped), which Textual alone does not guarantee.

Textual's output thread dies at its first write to a vanished terminal, and
the queue in front of it is bounded: once it is full, the next frame or the
shutdown's own writes wait on the UI thread for ever. The hang-up also sends
SIGCONT, on which Textual starts its terminal mode again, writing more. The
UI thread then never runs the SIGHUP and SIGTERM handlers (they run on its
event loop), and the process lives on, its input thread spinning on the
closed terminal. So a daemon thread that needs no event loop watches the
terminal, and once it hangs up gives the UI thread GRACE_SECONDS to save and
close, then saves from its own thread and ends the process.
"""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Callable

POLL = hasattr(select, "poll")
"""Whether this system can watch a terminal for its hang-up (not Windows)."""

GRACE_SECONDS = 3.0
"""How long the UI thread has to save the draft and close once the terminal
is gone; a normal exit takes well under a second."""

EXIT_CODE = 129
"""128 + SIGHUP, what a shell reports for a process its hang-up ended."""


class HangupGuard:
    """Ends the process GRACE_SECONDS after its terminal hangs up, whatever the UI thread does."""

    def __init__(
        self, terminal: int, hung_up: Callable[[], None], last_save: Callable[[], None]
    ) -> None:
        """`hung_up` asks the UI thread to save and exit (called from this
        thread); `last_save` saves from this thread, should it not have exited."""
        self._terminal = terminal
        self._hung_up = hung_up
        self._last_save = last_save
        threading.Thread(target=self._watch, name="hangup-guard", daemon=True).start()

    def _watch(self) -> None:
        poller = select.poll()
        # Asking for no event still reports the hang-up (POLLHUP, POLLERR),
        # and nothing else: the thread sleeps until the terminal is gone.
        poller.register(self._terminal, 0)
        poller.poll()
        try:
            self._hung_up()
            time.sleep(GRACE_SECONDS)
            # Still here: the UI thread is stuck, or the interpreter's exit is.
            self._last_save()
        finally:
            os._exit(EXIT_CODE)
