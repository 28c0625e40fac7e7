"""Repairing PhotoOrg's own files: set the damaged copy aside, rebuild, say so once.

Three kinds of file are ours and can be damaged by a crash, a bad disk or a bad copy:
the catalog (SQLite), the vector index (rebuilt by ``index_keeper`` from the catalog) and
the thumbnails (made again from the photos). Nothing damaged is ever deleted: it goes to
``Paths.quarantine`` (``damaged/`` in the catalog folder) under a name that never
overwrites an earlier one, so a person can look at it or send it in.

A damaged catalog is salvaged rather than refused: the window could not even start
otherwise, the damaged file is kept byte for byte, and everything readable (roots,
photos, vectors, labels, people's tag decisions, albums) is carried over; a rescan then
brings back whatever lived only on the damaged pages.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from pathlib import Path

from photoorg.config import Paths
from photoorg.store import salvage

log = logging.getLogger(__name__)

JPEG_START = b"\xff\xd8\xff"
JPEG_END = b"\xff\xd9"
MAX_THUMBNAIL_BYTES = 8 << 20


def set_aside(paths: Paths, source: Path, *, folder: str = "", copy: bool = False) -> Path:
    """Move (or copy) ``source`` into the quarantine folder; returns where it went."""
    target_dir = paths.quarantine / folder if folder else paths.quarantine
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"{source.name}.{stamp}"
    n = 2
    while target.exists():  # two repairs within a second must not overwrite each other
        target = target_dir / f"{source.name}.{stamp}.{n}"
        n += 1
    if copy:
        shutil.copy2(source, target)
    else:
        shutil.move(str(source), target)
    return target


# -- the catalog ----------------------------------------------------------------------


def recover_catalog(paths: Paths, reason: str) -> str:
    """Set a damaged catalog aside and build a new one from what can still be read.

    Returns the message for the user. The catalog's -wal and -shm files travel with it
    (the -wal may hold the latest commits). Raises OSError if the folder cannot be
    written, in which case nothing has been moved.
    """
    reason = (reason.strip().splitlines() or ["unknown damage"])[0][:200]
    database = paths.database
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside_dir = paths.quarantine / f"catalog.{stamp}"
    n = 2
    while aside_dir.exists():
        aside_dir = paths.quarantine / f"catalog.{stamp}.{n}"
        n += 1
    aside_dir.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{database}{suffix}")
        if part.exists():
            shutil.move(str(part), aside_dir / part.name)
    # Salvage from a scratch copy: SQLite may checkpoint a -wal into the file it reads,
    # and the copy set aside must stay exactly as it was found.
    scratch = paths.home / f".salvage-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(aside_dir, scratch)
    fresh = Path(f"{database}.salvage.tmp")
    try:
        fresh.unlink(missing_ok=True)
        counts = salvage.salvage(scratch / database.name, fresh)
        os.replace(fresh, database)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        with contextlib.suppress(OSError):
            fresh.unlink(missing_ok=True)
    photos = counts.get("photos", 0)
    kept = ", ".join(
        f"{counts.get(table, 0)} {noun}"
        for table, noun in (
            ("photos", "photos"),
            ("embeddings", "vectors"),
            ("labels", "labels"),
            ("tags", "tags"),
            ("albums", "albums"),
        )
    )
    if photos or counts.get("roots", 0) or counts.get("labels", 0):
        what = f"recovered {kept}; index your folders again to bring back anything missing"
    else:
        what = (
            "nothing could be recovered from it, so a new empty catalog was started: "
            "add your photo folders again"
        )
    message = f"the catalog was damaged ({reason}); the damaged file is kept in {aside_dir}; {what}"
    log.warning(message)
    return message


# -- thumbnails -----------------------------------------------------------------------


def thumbnail_ok(path: Path) -> bool:
    """Whether ``path`` looks like a whole JPEG of ours (start and end markers).

    Cheap on purpose (two tiny reads): it runs for every thumbnail the grid asks for.
    Random bytes, zeroed and truncated files all fail it.
    """
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if not len(JPEG_START) + len(JPEG_END) < size <= MAX_THUMBNAIL_BYTES:
                return False
            if handle.read(len(JPEG_START)) != JPEG_START:
                return False
            handle.seek(-len(JPEG_END), os.SEEK_END)
            return handle.read(len(JPEG_END)) == JPEG_END
    except OSError:
        return False
