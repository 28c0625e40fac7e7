"""Moving photo files with their catalog rows: the photo keeps its id, so its tags,
decisions, album places and vectors stay with it.

A move to a folder under no library root would leave rows that the next scan sweeps
(the file is gone from where the catalog knows it): ``move_photos`` refuses with an
``OutsideLibraryError``, and the caller offers to add the folder as a root first.
Each file is moved, then its row updated; if the row cannot be written the file goes
back, so the catalog and the disk never disagree for long.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from photoorg.errors import OutsideLibraryError, UsageError
from photoorg.media.sidecars import sidecar_names
from photoorg.store import photos

if TYPE_CHECKING:
    from photoorg.services.library import Library


@dataclass
class MoveReport:
    moved: dict[int, str] = field(default_factory=dict)  # photo id -> new path
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


def free_name(folder: Path, name: str) -> Path:
    """``folder / name``, or ``name (2).ext`` ... if that is taken (never overwrite)."""
    target = folder / name
    stem, suffix = os.path.splitext(name)
    n = 2
    while target.exists():
        target = folder / f"{stem} ({n}){suffix}"
        n += 1
    return target


def move_photos(
    library: Library, photo_ids: Sequence[int], folder: str | os.PathLike
) -> MoveReport:
    """Move the photos' files (and their XMP sidecars) into ``folder``, keeping their ids."""
    target = Path(folder).expanduser().resolve()
    if not target.is_dir():
        raise UsageError(f"not a folder: {folder}")
    root = next((r for r in library.roots() if target.is_relative_to(r.path)), None)
    if root is None:
        raise OutsideLibraryError(
            f"{target} is not inside a library folder: add it as a library folder first, "
            "or the moved photos would lose their tags and albums at the next scan"
        )
    catalog = library.catalog
    report = MoveReport()
    for photo_id in photo_ids:
        row = photos.get_photo(catalog.read, photo_id)
        if row is None:
            continue  # removed since it was selected
        source = Path(row["path"])
        if source.parent == target:
            continue
        destination = free_name(target, source.name)
        try:
            shutil.move(source, destination)
        except OSError as exc:
            report.failed.append((str(source), exc.strerror or str(exc)))
            continue
        try:
            with catalog.write() as db:
                photos.move_photo(db, photo_id, root.id, str(destination), str(target))
        except Exception:
            shutil.move(destination, source)  # the catalog still knows it there
            raise
        _move_sidecars(source, destination)
        report.moved[photo_id] = str(destination)
    return report


def _move_sidecars(source: Path, destination: Path) -> None:
    """Sidecars follow their photo, renamed as it was (``a.jpg.xmp`` → ``a (2).jpg.xmp``)."""
    for old, new in zip(sidecar_names(source.name), sidecar_names(destination.name), strict=True):
        old_path = source.parent / old
        if old_path.is_file():
            # If it cannot move, the photo has still moved: the sidecar stays where it was.
            with contextlib.suppress(OSError):
                shutil.move(old_path, free_name(destination.parent, new))
