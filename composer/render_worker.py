"""Every template renders in a worker process, within a time and a memory bound.

Jinja2's sandbox keeps a template from reaching outside it, but not from
looping for ever or building a gigabyte string: two nested `range` loops are
legal, and so is a macro that calls itself twice. No check inside the
interpreter can stop one long C call (a `str.format` padding a string to a
billion characters), and a memory limit would hold the whole app. So renders
run in one long-lived child process with its address space limited
(RLIMIT_AS), and the caller waits at most RENDER_SECONDS for the answer; a
child that overruns is killed, and the next render starts a fresh one.

Once started, the child costs about 0.1 ms a render (benchmarks/render_speed.py).
It is started at the first render, never before, so commands that render
nothing (`outreach check` on plain text) never pay for it.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import pickle
import select
import signal
import socket
import sys
import threading
from typing import TYPE_CHECKING

from composer.model import TemplateError

if TYPE_CHECKING:
    import subprocess

    from composer.model import Draft, Email
    from composer.templates_store import Template, TemplateStore

RENDER_SECONDS = 1.0
"""Wall-clock time a render may take, from the moment the worker has it."""

MEMORY_MB = 256
"""Address space a render may add to the worker's own (Linux; see _limit_memory)."""

START_SECONDS = 30.0
"""How long starting the worker may take (importing Jinja2 on a loaded
machine): that is the app's time, not the template's."""

CPU_SECONDS_SPARE = 1
"""CPU seconds a render may use before the kernel stops the worker: a
backstop for a worker whose parent was killed mid-render (nobody is left
to time it out)."""

_lock = threading.Lock()
_worker: _Worker | None = None


class _Channel:
    """Pickled messages over a socket, each after its length.

    Lighter to import than multiprocessing.connection, which would add
    ~10 ms to every `outreach render` (parent and child alike)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, message: object) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        self.sock.sendall(len(data).to_bytes(8, "big") + data)

    def poll(self, timeout: float) -> bool:
        """Whether a message (or the end of the stream) arrived within `timeout` seconds."""
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        return bool(poller.poll(timeout * 1000))

    def recv(self) -> object:
        """The next message; EOFError once the other end is closed."""
        size = int.from_bytes(self._exactly(8), "big")
        return pickle.loads(self._exactly(size))

    def _exactly(self, size: int) -> bytes:
        chunks = []
        while size:
            chunk = self.sock.recv(min(size, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.sock.close()


class _Forked:
    """A forked child, with the part of Popen's interface the worker uses."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


class _Worker:
    """The child process and the parent's end of the socket to it."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        with ours, theirs:
            if _fork_is_safe():
                self.process: _Forked | subprocess.Popen = _fork(ours, theirs)
            else:
                self.process = _spawn(theirs)
            self.conn = _Channel(socket.socket(fileno=ours.detach()))
        self.templates: dict[str, Template] | None = None
        self.ready = False

    def wait_until_ready(self) -> None:
        """Wait for the child to finish starting; OSError if it does not."""
        if self.ready:
            return
        try:
            self.ready = self.conn.poll(START_SECONDS) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            self.ready = False
        if not self.ready:
            raise OSError("the template worker did not start")

    def render(self, store: TemplateStore, draft: Draft, name: str) -> tuple | None:
        """The child's answer, or None if it took longer than RENDER_SECONDS.

        Raises EOFError or OSError if the child died.
        """
        # A snapshot, not the store: the composer may add a template to it
        # on the screen's thread while this one pickles.
        templates = {n: store.get(n) for n in store.names()}
        if templates != self.templates:
            self.conn.send(("templates", templates))
            self.templates = templates
        self.conn.send(("render", draft, name, RENDER_SECONDS))
        if not self.conn.poll(RENDER_SECONDS):
            return None
        return self.conn.recv()

    def stop(self) -> None:
        """Kill the child and reap it (no zombie is left behind)."""
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        self.conn.close()


def _fork_is_safe() -> bool:
    # A fork copies only the calling thread: a lock another thread held (the
    # composer's Textual driver has one) would stay locked in the child for
    # ever. macOS system libraries refuse to run in a forked child.
    return sys.platform == "linux" and threading.active_count() == 1


def _fork(ours: socket.socket, theirs: socket.socket) -> _Forked:
    """A copy of this single-threaded process (the CLI): no interpreter to
    start and nothing imported twice, so `outreach render` stays as fast."""
    pid = os.fork()
    if pid:
        return _Forked(pid)
    code = 1
    try:
        ours.close()
        # Its own session: ctrl+c and the terminal's signals are the parent's to handle.
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        serve(theirs.detach(), MEMORY_MB)
        code = 0
    finally:
        os._exit(code)  # never the parent's atexit handlers or buffered output


def _spawn(theirs: socket.socket) -> subprocess.Popen:
    """A fresh interpreter that imports exactly what this process would (its
    sys.path), never a module planted in the current folder."""
    import subprocess

    bootstrap = (
        f"import sys; sys.path[:] = {sys.path!r}; "
        f"from composer.render_worker import serve; serve({theirs.fileno()}, {MEMORY_MB})"
    )
    return subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", bootstrap],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(theirs.fileno(),),
        start_new_session=True,  # ctrl+c and the terminal's signals are the parent's
    )


@atexit.register
def _stop_at_exit() -> None:
    if _worker is not None:
        _worker.stop()


def start_worker() -> None:
    """Start the worker now, without waiting for it, so the first render
    does not pay for its start (the composer calls it while it first paints)."""
    global _worker
    with _lock:
        if _worker is None:
            with contextlib.suppress(OSError):  # the first render will say so
                _worker = _Worker()


def render_bounded(store: TemplateStore, draft: Draft, name: str) -> Email:
    """Render `draft` with the template `name` from `store` in the worker.

    Raises TemplateError for any template failure, including taking longer
    than RENDER_SECONDS or more than MEMORY_MB of memory. Safe from any thread:
    renders take turns.
    """
    global _worker
    with _lock:
        try:
            # Known to abandon_render() before it is ready, so closing the app
            # never waits for a start either.
            if _worker is None:
                _worker = _Worker()
            worker = _worker
        except OSError as exc:
            raise TemplateError(name, f"could not be rendered: {exc.strerror or exc}") from None
        try:
            worker.wait_until_ready()
            reply = worker.render(store, draft, name)
        except (EOFError, OSError):
            reply = ("stopped",)
        if reply is None or reply[0] in ("stopped", "memory"):
            # Killed, or not to be trusted after a MemoryError: the next render starts afresh.
            worker.stop()
            _worker = None
            if reply is not None and worker.process.returncode == -signal.SIGXCPU:
                reply = None
    if reply is None:
        raise TemplateError(name, f"took longer than {RENDER_SECONDS:g} s to render")
    kind, *rest = reply
    if kind == "email":
        return rest[0]
    if kind == "error":
        raise TemplateError(*rest)
    if kind == "memory":
        raise TemplateError(name, f"used more than {MEMORY_MB} MB to render")
    raise TemplateError(name, "could not be rendered: the template worker stopped")


def abandon_render() -> None:
    """Kill the worker if a render is waiting on it, e.g. when the app closes.

    That render returns at once with a TemplateError instead of waiting out
    a slow template; the next render starts a new worker. An idle worker is
    left alone: it is stopped when Python exits, and it ends itself when its
    parent is gone.
    """
    worker = _worker
    if worker is not None and _lock.locked():
        with contextlib.suppress(OSError):
            worker.process.kill()  # reaped by the render that was waiting on it


# ----- the child -----


def serve(fd: int, memory_mb: int) -> None:
    """The worker's loop: take the templates or a draft, answer with the email or an error."""
    from composer.sandbox import SandboxRenderer
    from composer.templates_store import TemplateStore

    conn = _Channel(socket.socket(fileno=fd))
    _limit_memory(memory_mb)
    renderer: SandboxRenderer | None = None
    conn.send("ready")
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return  # the parent is gone
        if message[0] == "templates":
            # Every store holds every built-in name (removing yours brings
            # the built-in back), so built-ins plus these is the same store.
            renderer = SandboxRenderer(TemplateStore(extra=list(message[1].values())))
            continue
        _, draft, name, seconds = message
        _limit_cpu(seconds)
        try:
            reply: tuple = ("email", renderer.render(draft, name))
        except TemplateError as exc:
            reply = ("error", exc.template, exc.message, exc.line)
        except MemoryError:
            reply = ("memory",)
        except Exception as exc:
            # Whatever else a template can trigger is still the template's
            # failure, and one line, not a traceback.
            reply = ("error", name, f"could not be rendered: {type(exc).__name__}: {exc}", None)
        conn.send(reply)


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space at what the worker uses now plus `memory_mb`,
    and allow no core dump.

    A template asking for more gets a MemoryError. Linux only: other systems
    either do not enforce RLIMIT_AS (macOS) or have no resource module
    (Windows); there the time bound still holds."""
    try:
        import resource
    except ImportError:
        return
    with contextlib.suppress(OSError, ValueError):
        # A worker stopped by RLIMIT_CPU (SIGXCPU) must not leave a core file behind.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with contextlib.suppress(OSError, ValueError), open("/proc/self/statm") as statm:
        used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = used + memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _limit_cpu(seconds: float) -> None:
    """Let the kernel stop this render once it has used `seconds` and
    CPU_SECONDS_SPARE more CPU seconds."""
    try:
        import resource
    except ImportError:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds) + CPU_SECONDS_SPARE
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(
            resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard)
        )
