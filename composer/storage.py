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
from collections.abc import Iterator
from contextlib import contextmanager
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
    def database(self) -> Path:
        """Sends, contacts and replies (composer/store.py)."""
        return self.data / "outreach.db"

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
    would make them with the umask's mode, e.g. 0755).

    Only folders made here are given that mode: a folder that already exists
    is left as it is, since it may be shared (a 1777 folder a link points
    into, a team's synced folder) and is not the app's to change.
    """
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by someone else: theirs, not ours to chmod
        if os.name == "posix":
            os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
    return path


class NotARegularFile(OSError):
    """A path the app reads that is a FIFO, a socket, a device or a folder."""


class FileTooLarge(OSError):
    """A file over the reader's size limit (checked while reading, not trusted from stat)."""


def read_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; every file the app
    reads goes through here.

    The open never blocks (O_NONBLOCK: a FIFO with no writer would wait for
    ever) and never takes a terminal as controlling one (O_NOCTTY); fstat then
    refuses anything but a regular file (/dev/zero, a socket, a folder), and
    at most `limit` + 1 bytes are read, so a file that grows while it is read
    cannot exhaust memory. Links are followed: a dotfiles link is read as the
    file it points to. Raises OSError: FileTooLarge, NotARegularFile
    (IsADirectoryError for a folder), or what the system said.
    """
    name = os.fspath(path)
    if "\0" in name:
        raise OSError(errno.EINVAL, "a file name cannot hold a NUL character", name)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # what open() says for a socket
            raise NotARegularFile(errno.ENXIO, "a socket, not a regular file", name) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "a folder, not a file", name)
        if not stat.S_ISREG(mode):
            raise NotARegularFile(errno.EINVAL, f"{_kind(mode)}, not a regular file", name)
        chunks = []
        left = limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    if left <= 0:
        raise FileTooLarge(errno.EFBIG, f"too large (over {_size(limit)})", name)
    return b"".join(chunks)


def _kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return kind
    return "a special file"


def _size(limit: int) -> str:
    megabytes = limit / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{limit} bytes"


def read_own_file(path: Path, limit: int) -> bytes | None:
    """A file the app wrote for itself (the cache), or None when it is missing,
    unreadable, larger than `limit`, or anything but a regular file: a cache
    is rebuilt rather than explained."""
    try:
        return read_file(path, limit)
    except OSError:
        return None


def atomic_write(path: Path, content: str | bytes, private: bool = True) -> None:
    """Replace `path` with `content` so that no reader ever sees a torn file.

    Files of the app's own folders are `private` (0600, in a 0700 folder when
    the app makes the folder); a file the user exports elsewhere gets the
    umask's usual mode. The temp file lives in the same folder (rename is
    atomic only within a file system), is created 0600 and exclusively by
    mkstemp, and is fsynced before the rename; the folder is fsynced after it
    so the rename itself survives a power cut.

    A link at `path` is replaced by the file itself and its target is left
    as it was: writing through a link would let whoever controls the link
    choose which file the app overwrites. Anything else that is not a
    regular file (a FIFO, a device, a folder) is refused.
    An error names `path` (a full disk says which file it filled).
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        kind = "a folder" if stat.S_ISDIR(mode) else _kind(mode)
        raise NotARegularFile(errno.EINVAL, f"{kind}, not a file the app may replace", str(path))
    if private:
        ensure_private_dir(path.parent)
    data = content.encode("utf-8") if isinstance(content, str) else content
    import tempfile  # not at start-up: it pulls in shutil and random

    with _naming(path):
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


APPEND_COPY_LIMIT = 64 * 1024 * 1024
"""How much of a linked history file is copied when the link is replaced."""


def append_line(path: Path, line: str) -> None:
    """Append one line (a history record) durably; the file is created 0600.

    Appends are not renames: a crash mid-write can leave a partial last line,
    which readers skip (see senders.read_history). A link at `path` is not
    appended through: it is replaced, atomically, by a file of its own
    holding what the link showed and the new line (see atomic_write).
    """
    record = (line.rstrip("\n") + "\n").encode("utf-8")
    if path.is_symlink():
        try:
            before = read_file(path, APPEND_COPY_LIMIT)
        except FileNotFoundError:
            before = b""  # a dangling link: nothing to keep
        if before and not before.endswith(b"\n"):
            before += b"\n"
        atomic_write(path, before + record)
        return
    ensure_private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    with _naming(path):
        fd = os.open(path, flags, 0o600)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise NotARegularFile(errno.EINVAL, "not a regular file", str(path))
            os.write(fd, record)
            os.fsync(fd)
        finally:
            os.close(fd)


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Give an OSError raised while writing `path` that file's name: a write to
    an open file (a full disk) says only "No space left on device"."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            raise type(exc)(exc.errno, exc.strerror or str(exc), str(path)) from None
        raise


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
