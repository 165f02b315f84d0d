"""What /proc says about the processes a test started (Linux), for the tests
that check a render worker never outlives its parent, and for the tmux tests'
teardown, which checks that no composer outlives its terminal."""

from __future__ import annotations

from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command's name; None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children(pid: int) -> list[int]:
    """The pids whose parent is `pid`."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        fields = _stat(int(process.name))
        if fields is not None and int(fields[1]) == pid:
            found.append(int(process.name))
    return found


def descendants(pid: int) -> list[int]:
    """The pids below `pid`: its children, theirs, and so on."""
    found = children(pid)
    for child in list(found):
        found += descendants(child)
    return found


def alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie, dead but not yet reaped, does not)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"
