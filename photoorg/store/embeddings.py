"""SQL for image embeddings: float32 vectors stamped with the model that made them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from sqlite_utils import Database

STREAM_CHUNK = 8192


def save(
    db: Database,
    model: str,
    ids: Sequence[int],
    vectors: np.ndarray,
    precision: str | Sequence[str | None] | None = None,
) -> None:
    """Store vectors, each stamped with the precision the image tower ran at."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    stamps = (
        [precision] * len(ids) if precision is None or isinstance(precision, str) else precision
    )
    db.conn.executemany(
        "INSERT INTO embeddings(photo_id, model, vector, precision) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(photo_id, model) DO UPDATE SET vector = excluded.vector, "
        "precision = excluded.precision",
        [
            (int(i), model, v.tobytes(), p)
            for i, v, p in zip(ids, vectors, list(stamps), strict=True)
        ],
    )


def precisions(db: Database, model: str) -> dict[str, int]:
    """How many of ``model``'s vectors were made at each precision ("unrecorded": before)."""
    rows = db.execute(
        "SELECT coalesce(precision, 'unrecorded'), count(*) FROM embeddings WHERE model = ? "
        "GROUP BY 1",
        [model],
    )
    return dict(rows.fetchall())


def count(db: Database, model: str) -> int:
    return db.execute("SELECT count(*) FROM embeddings WHERE model = ?", [model]).fetchone()[0]


def models(db: Database) -> dict[str, int]:
    """Each model with stored embeddings, and how many."""
    rows = db.execute("SELECT model, count(*) FROM embeddings GROUP BY model")
    return dict(rows.fetchall())


def missing(db: Database, model: str) -> list[tuple[int, str]]:
    """Online photos without an embedding from ``model``: ``(id, path)``, by path."""
    rows = db.execute(
        "SELECT p.id, p.path FROM photos p WHERE p.offline = 0 AND NOT EXISTS "
        "(SELECT 1 FROM embeddings e WHERE e.photo_id = p.id AND e.model = ?) ORDER BY p.path",
        [model],
    )
    return rows.fetchall()


def delete_other_models(db: Database, keep: str) -> int:
    """Drop vectors of every model but ``keep`` (once ``keep`` covers the library)."""
    return db.execute("DELETE FROM embeddings WHERE model != ?", [keep]).rowcount


def stream(db: Database, model: str, dim: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """All vectors of ``model`` as ``(ids, matrix)`` chunks, so memory stays bounded."""
    cursor = db.execute(
        "SELECT photo_id, vector FROM embeddings WHERE model = ? ORDER BY photo_id", [model]
    )
    while rows := cursor.fetchmany(STREAM_CHUNK):
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32)
        yield ids, matrix.reshape(len(rows), dim)


def load_all(db: Database, model: str, dim: int) -> tuple[np.ndarray, np.ndarray]:
    chunks = list(stream(db, model, dim))
    if not chunks:
        return np.zeros(0, np.int64), np.zeros((0, dim), np.float32)
    return np.concatenate([c[0] for c in chunks]), np.concatenate([c[1] for c in chunks])


def get(db: Database, model: str, ids: Sequence[int], dim: int) -> dict[int, np.ndarray]:
    result = {}
    for photo_id in ids:
        row = db.execute(
            "SELECT vector FROM embeddings WHERE photo_id = ? AND model = ?", [int(photo_id), model]
        ).fetchone()
        if row:
            result[int(photo_id)] = np.frombuffer(row[0], dtype=np.float32, count=dim)
    return result


def ids(db: Database, model: str) -> np.ndarray:
    """Ids of the photos that have a vector from ``model``, ascending."""
    rows = db.execute(
        "SELECT photo_id FROM embeddings WHERE model = ? ORDER BY photo_id", [model]
    ).fetchall()
    return np.fromiter((r[0] for r in rows), np.int64, len(rows))


def dim(db: Database, model: str) -> int | None:
    """The length of ``model``'s vectors, read off one stored row; None when none is."""
    row = db.execute(
        "SELECT length(vector) FROM embeddings WHERE model = ? LIMIT 1", [model]
    ).fetchone()
    return None if row is None else int(row[0]) // 4


def sample(db: Database, model: str, size: int, dim: int) -> np.ndarray:
    """Up to ``size`` of ``model``'s vectors, chosen at random, as a matrix."""
    rows = db.execute(
        "SELECT vector FROM embeddings WHERE model = ? ORDER BY random() LIMIT ?", [model, size]
    ).fetchall()
    return np.frombuffer(b"".join(r[0] for r in rows), np.float32).reshape(len(rows), dim)
