"""A catalog row for a photo that a test writes through SQL instead of scanning."""

from __future__ import annotations

import os

from photoorg.store.photos import PhotoRecord


def photo_record(
    path: str | os.PathLike[str], sha256: str, width: int = 100, height: int = 100
) -> PhotoRecord:
    """An upright JPEG of ``width`` x ``height`` at ``path``, taken 2020-01-01."""
    path = str(path)
    return PhotoRecord(
        path=path, folder=os.path.dirname(path), size=1, mtime_ns=1, sha256=sha256,
        format="JPEG", width=width, height=height, orientation=1,
        taken_at="2020-01-01T00:00:00", taken_at_source="file",
    )  # fmt: skip
