"""The checklist's compiled cues, kept between runs in one file.

Python's `re` parses every pattern in Python before the C engine sees it, so
compiling the ~300 cue patterns and filing them by first word took ~50 ms of
each `outreach check`, five times the interpreter's own start. This keeps what
that work produces: the filed cue table, and each pattern's compiled program
(the list of opcodes `re` hands to its C engine, `_sre.compile`). Loading them
back with `marshal` takes ~2 ms.

The opcodes belong to one interpreter build: the file is keyed by the Python
version, the engine's MAGIC and this module's code, and is rebuilt whenever
they change. Each program goes through the engine's own validation when it
is loaded, and any failure there (an interpreter whose `re` internals
differ) turns the cache off for the process and compiles with `re.compile`.
A file that is damaged, foreign, too big or not a regular file is ignored
and written anew. What cannot be detected is a well-formed file edited by
hand to hold another pattern's program; the file is the app's own, in the
user's own folder, and safe to delete.
"""

from __future__ import annotations

import marshal
import re
import sys
import zlib
from functools import cache
from pathlib import Path
from typing import Any

_FORMAT = 1
# The cache is dropped rather than grown past this many patterns (a user who
# keeps changing their own phrases would otherwise grow it without end).
_MAX_PATTERNS = 5_000

# Larger than any real cache (~0.4 MB for ~300 patterns); a bigger file is not ours.
_MAX_BYTES = 32 * 1024 * 1024

Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


@cache
def _interpreter() -> str:
    """What the kept programs depend on: this Python build, its regex engine,
    and this module's code (which turns patterns into programs)."""
    import _sre

    own = zlib.crc32(Path(__file__).read_bytes())
    return f"{_FORMAT}:{sys.implementation.cache_tag}:{sys.version}:{_sre.MAGIC}:{own}"


def _program(pattern: str, flags: int) -> Program:
    """What `re._compiler.compile` passes to `_sre.compile`, kept instead of used."""
    from re import _compiler, _parser

    parsed = _parser.parse(pattern, flags)
    # Opcodes are int subclasses (named constants), which marshal refuses.
    code = [int(op) for op in _compiler._code(parsed, flags)]
    state = parsed.state
    indexgroup: list[str | None] = [None] * state.groups
    for name, index in state.groupdict.items():
        indexgroup[index] = name
    groupindex = {name: int(index) for name, index in state.groupdict.items()}
    return int(flags | state.flags), code, state.groups - 1, groupindex, tuple(indexgroup)


def _load_program(pattern: str, program: Program) -> re.Pattern[str]:
    import _sre

    flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)


class CueCache:
    """Compiled patterns and the filed cue table, read from and written to `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dirty = False
        self._usable = sys.implementation.name == "cpython"
        self._tables: dict[str, Any] = {}
        self._programs: dict[tuple[str, int], Program] = {}
        self._read()

    def _read(self) -> None:
        if not self._usable:
            return
        from composer.storage import read_own_file

        data = read_own_file(self.path, _MAX_BYTES)
        try:
            key, tables, programs = marshal.loads(data or b"")
        except (ValueError, EOFError, TypeError):
            return  # missing, unreadable or not ours: start empty, write anew
        if key == _interpreter() and isinstance(tables, dict) and isinstance(programs, dict):
            self._tables, self._programs = tables, programs

    def table(self, key: str) -> Any:
        """The cue table filed under `key`, or None."""
        return self._tables.get(key)

    def keep_table(self, key: str, table: Any) -> None:
        # One table at a time: a new key means new cues or new user phrases.
        self._tables = {key: table}
        self.dirty = True

    def compile(self, pattern: str, flags: int) -> re.Pattern[str]:
        """`re.compile(pattern, flags)`, from the kept program when there is one."""
        flags = int(flags)
        if not self._usable:
            return re.compile(pattern, flags)
        kept = self._programs.get((pattern, flags))
        if kept is not None:
            try:
                return _load_program(pattern, kept)
            except Exception:  # a damaged entry: made again below, and kept
                pass
        try:
            program = _program(pattern, flags)
            compiled = _load_program(pattern, program)
        except re.error:
            raise
        except Exception:  # re's internals differ in this interpreter: do without
            self._usable = False
            self._programs.clear()
            return re.compile(pattern, flags)
        if len(self._programs) >= _MAX_PATTERNS:
            self._programs.clear()
        self._programs[pattern, flags] = program
        self.dirty = True
        return compiled

    def save(self) -> None:
        """Write the file if anything was added; a cache that cannot be written
        costs the next run its speed, nothing else."""
        if not (self.dirty and self._usable):
            return
        from composer.storage import atomic_write

        try:
            atomic_write(self.path, marshal.dumps((_interpreter(), self._tables, self._programs)))
        except OSError:
            return
        self.dirty = False
