"""SQL for vectors made elsewhere (a Spark job), and the precision stamped on each vector.

``EMBEDDING_PRECISION`` is the migration that records, beside each vector, the precision
the image tower ran at (fp32, fp16, bf16, int8); NULL marks vectors made before it was
recorded.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

EMBEDDING_PRECISION = "ALTER TABLE embeddings ADD COLUMN precision TEXT;"


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
