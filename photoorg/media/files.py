"""Reading and writing whole files safely: the one atomic write every writer uses.

A write goes to a temporary file in the target's folder, is flushed to disk (fsync), and
is renamed over the target; the folder is synced too, so that after a crash or a full
disk the target holds either its old bytes or all the new ones, never a torn file.
Thumbnails, sidecars, exported labels and JPEGs and the vector index all write this way.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from photoorg.errors import ImageError


def read_bytes_stable(path: str) -> tuple[bytes, os.stat_result]:
    """Read a whole file, failing if it changed while we read (a copy still in progress)."""
    with open(path, "rb") as handle:
        before = os.fstat(handle.fileno())
        if not stat.S_ISREG(before.st_mode):
            raise ImageError("not a regular file")
        data = handle.read()
        after = os.fstat(handle.fileno())
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(
        data
    ) != after.st_size:
        raise ImageError("the file changed while it was read (still being copied?)")
    return data, after


@contextlib.contextmanager
def replacing(path: Path, *, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside ``path`` for the block to write; it replaces ``path`` when
    the block ends without an error, and is removed (``path`` untouched) when it raises.

    ``durable=False`` skips the fsyncs: only for caches that are checked when read and
    made again when damaged (thumbnails), where a sync per file would slow a scan.
    """
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if durable:
            sync_file(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    if durable:
        sync_folder(path.parent)


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through ``replacing``; raises OSError.

    The new file keeps the old one's permission bits (a fresh one gets rw-r--r--).
    """
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = 0o644
    with replacing(path, durable=durable) as tmp:
        tmp.write_bytes(data)
        os.chmod(tmp, mode)


def sync_file(path: Path) -> None:
    # "r+b": Windows cannot fsync a handle opened read-only.
    with open(path, "r+b") as handle:
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    # Makes a rename itself durable. Windows has no directory handles to fsync.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
