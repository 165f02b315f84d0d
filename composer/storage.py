"""Where the app keeps its files, and how it writes them without losing any.

`OUTREACH_HOME` (or `--home DIR`) puts config, data, drafts and history in one
folder; otherwise the platform's user folders (platformdirs) are used. Files
hold other people's contact details, so they are created 0600 in 0700 folders,
and written atomically: a temp file in the same folder, flushed, fsynced and
renamed over the old one, so a crash leaves either the old or the new file.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "outreach-composer"
HOME_VARIABLE = "OUTREACH_HOME"


@dataclass(frozen=True)
class Paths:
    """The folders the app reads and writes."""

    config: Path
    data: Path
    cache: Path | None = None  # None: a "cache" folder inside `data`

    @property
    def drafts(self) -> Path:
        return self.data / "drafts"

    @property
    def history(self) -> Path:
        return self.data / "history.jsonl"

    @property
    def cache_folder(self) -> Path:
        """What is kept between runs to start faster; safe to delete."""
        return self.cache or self.data / "cache"

    @property
    def compiled_cues(self) -> Path:
        return self.cache_folder / "cues.marshal"

    @property
    def config_file(self) -> Path:
        return self.config / "config.toml"

    @property
    def templates(self) -> Path:
        """The user's own templates."""
        return self.config / "templates"

    @property
    def themes(self) -> Path:
        """The user's own themes."""
        return self.config / "themes"


def resolve_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """`home` (from --home), else $OUTREACH_HOME, else the platform's user folders."""
    chosen = home or os.environ.get(HOME_VARIABLE)
    if chosen:
        root = Path(chosen).expanduser()
        return Paths(config=root, data=root)
    import platformdirs

    return Paths(
        config=Path(platformdirs.user_config_dir(APP_NAME)),
        data=Path(platformdirs.user_data_dir(APP_NAME)),
        cache=Path(platformdirs.user_cache_dir(APP_NAME)),
    )


def ensure_private_dir(path: Path) -> Path:
    """Create `path` as 0700, and any missing parents too (mkdir's own `parents`
    would make them with the umask's mode, e.g. 0755); tighten `path` if it exists."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        if os.name == "posix":
            os.chmod(folder, 0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path


def atomic_write(path: Path, content: str | bytes, private: bool = True) -> None:
    """Replace `path` with `content` so that no reader ever sees a torn file.

    Files of the app's own folders are `private` (0600, folder made 0700);
    a file the user exports elsewhere keeps that folder as it is.
    The temp file lives in the same folder (rename is atomic only within a
    file system), is created 0600 by mkstemp, and is fsynced before the rename;
    the folder is fsynced after it so the rename itself survives a power cut.
    """
    if path.is_symlink():
        # Write through a link (a dotfiles repo), do not replace it. A link
        # that loops is an OSError like any other unwritable path (resolve()
        # raises RuntimeError for it before Python 3.13).
        try:
            path = path.resolve(strict=True)
        except (RuntimeError, FileNotFoundError):
            path = Path(os.path.realpath(path))
            if path.is_symlink():
                raise OSError(errno.ELOOP, "a link that loops", str(path)) from None
    if private:
        ensure_private_dir(path.parent)
    data = content.encode("utf-8") if isinstance(content, str) else content
    import tempfile  # not at start-up: it pulls in shutil and random

    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if not private:
            # A file you export goes where you said, readable as files there usually are.
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def read_own_file(path: Path, limit: int) -> bytes | None:
    """A file the app wrote for itself (the cache), or None when it is missing,
    unreadable, larger than `limit`, or anything but a regular file: a cache
    must never wait on a FIFO or read /dev/zero for ever."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks = []
        left = limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data if len(data) <= limit else None


def append_line(path: Path, line: str) -> None:
    """Append one line (a history record) durably; the file is created 0600.

    Appends are not renames: a crash mid-write can leave a partial last line,
    which readers skip (see history.read_history).
    """
    ensure_private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    fd = os.open(path, flags, 0o600)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
