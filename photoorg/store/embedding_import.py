"""SQL for vectors made elsewhere (a Spark job): which catalogued photos they belong to."""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database


def photos_by_path_and_hash(db: Database, paths: Sequence[str]) -> dict[str, tuple[int, str]]:
    """``{path: (photo_id, sha256)}`` for the catalogued ``paths``."""
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(paths), 500):  # SQLite's parameter limit
        chunk = list(paths[start : start + 500])
        rows = db.execute(
            f"SELECT path, id, sha256 FROM photos WHERE path IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for path, photo_id, sha256 in rows:
            found[path] = (photo_id, sha256)
    return found
