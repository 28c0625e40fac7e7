"""SQL for tags: who put which label on which photo (``source``), with what score.

Functions take the ``sqlite_utils.Database`` of a ``Catalog.write()`` or ``Catalog.read``
so that the caller chooses the transaction. Bulk reads come back as numpy arrays: a
library of 100,000 photos can carry a few hundred thousand tags.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import numpy as np
from sqlite_utils import Database

AUTO, CONFIRMED, REJECTED, MANUAL, IMPORTED = "auto", "confirmed", "rejected", "manual", "imported"
SOURCES = (AUTO, CONFIRMED, REJECTED, MANUAL, IMPORTED)
"""A tag's source; its index in this tuple is the code that bulk reads return."""
SOURCE_CODE = {s: i for i, s in enumerate(SOURCES)}
DECISIONS = (CONFIRMED, REJECTED, MANUAL)
"""What a person decided; ``imported`` (the file's own keywords) is not a decision, but
like one it is never replaced by an automatic tag."""
POSITIVE = (CONFIRMED, MANUAL, IMPORTED)
"""Sources that count as examples of a label when it learns."""


def tags_of(db: Database, photo_id: int) -> list[dict]:
    rows = db.query(
        "SELECT l.name AS label, l.parent AS parent, t.score, t.probability, t.source "
        "FROM tags t JOIN labels l ON l.id = t.label_id WHERE t.photo_id = ? "
        "ORDER BY t.source = 'rejected', t.score IS NULL, t.score DESC, l.name",
        [photo_id],
    )
    return list(rows)


def all_tags(db: Database, label_ids: Sequence[int] | None = None) -> dict[str, np.ndarray]:
    """Every tag (of ``label_ids``) as columns: photo, label, source code, score, probability."""
    sql = (
        "SELECT photo_id, label_id, source, coalesce(score, 'nan'), "
        "coalesce(probability, 'nan') FROM tags"
    )
    params: list = []
    if label_ids is not None:
        sql += f" WHERE label_id IN ({', '.join('?' * len(label_ids))})"
        params = list(label_ids)
    rows = db.execute(sql, params).fetchall()
    n = len(rows)
    if not n:
        empty_i = np.zeros(0, np.int64)
        return {
            "photo": empty_i,
            "label": empty_i,
            "source": np.zeros(0, np.int8),
            "score": np.zeros(0),
            "probability": np.zeros(0),
        }
    photo, label, source, score, prob = zip(*rows, strict=True)
    return {
        "photo": np.fromiter(photo, np.int64, n),
        "label": np.fromiter(label, np.int64, n),
        "source": np.fromiter((SOURCE_CODE[s] for s in source), np.int8, n),
        "score": np.fromiter(score, np.float64, n),
        "probability": np.fromiter(prob, np.float64, n),
    }


def write_auto(
    db: Database,
    added: Iterable[tuple[int, int, float, float | None]],
    removed: Iterable[tuple[int, int]],
    rescored: Iterable[tuple[float, float | None, int, int]],
) -> None:
    """Apply a re-tag's changes. Only ``auto`` rows are ever touched here."""
    db.conn.executemany(
        "INSERT INTO tags(photo_id, label_id, source, score, probability) "
        "VALUES (?, ?, 'auto', ?, ?) "
        "ON CONFLICT(photo_id, label_id) DO NOTHING",
        added,
    )
    db.conn.executemany(
        "DELETE FROM tags WHERE photo_id = ? AND label_id = ? AND source = 'auto'", removed
    )
    db.conn.executemany(
        "UPDATE tags SET score = ?, probability = ? "
        "WHERE photo_id = ? AND label_id = ? AND source = 'auto'",
        rescored,
    )


def set_source(db: Database, photo_ids: Iterable[int], label_id: int, source: str) -> None:
    """Record a decision (or an imported keyword); an existing row keeps its score."""
    db.conn.executemany(
        "INSERT INTO tags(photo_id, label_id, source) VALUES (?, ?, ?) "
        "ON CONFLICT(photo_id, label_id) DO UPDATE SET source = excluded.source",
        [(int(p), label_id, source) for p in photo_ids],
    )


def clear_sources(
    db: Database, photo_ids: Iterable[int], label_id: int, sources: Sequence[str]
) -> None:
    marks = ", ".join("?" * len(sources))
    db.conn.executemany(
        f"DELETE FROM tags WHERE photo_id = ? AND label_id = ? AND source IN ({marks})",
        [(int(p), label_id, *sources) for p in photo_ids],
    )


def add_imported(db: Database, pairs: Iterable[tuple[int, int]]) -> None:
    """Keywords found in files: they replace an automatic tag, never a decision."""
    db.conn.executemany(
        "INSERT INTO tags(photo_id, label_id, source) VALUES (?, ?, 'imported') "
        "ON CONFLICT(photo_id, label_id) DO UPDATE SET source = 'imported' "
        "WHERE tags.source = 'auto'",
        pairs,
    )


def remove_imported(db: Database, pairs: Iterable[tuple[int, int]]) -> None:
    db.conn.executemany(
        "DELETE FROM tags WHERE photo_id = ? AND label_id = ? AND source = 'imported'", pairs
    )


def imported_pairs(db: Database) -> set[tuple[int, int]]:
    rows = db.execute("SELECT photo_id, label_id FROM tags WHERE source = 'imported'")
    return set(rows.fetchall())


def label_counts_among(db: Database, photo_ids: Sequence[int]) -> list[tuple[str, int]]:
    """``(label name, photos)`` over ``photo_ids``, any source but rejected, most first."""
    return db.execute(
        "SELECT l.name, count(*) FROM tags t JOIN labels l ON l.id = t.label_id "
        "WHERE t.source != 'rejected' AND t.photo_id IN (SELECT value FROM json_each(?)) "
        "GROUP BY l.id ORDER BY count(*) DESC, l.name",
        [json.dumps(list(photo_ids))],
    ).fetchall()


def online_photos_with_tags(db: Database) -> list[tuple[int, str, str, str, str | None, str]]:
    """``(id, path, folder, label, parent, source)`` per tag that is not rejected, and one
    row with a None label for an online photo without tags; by folder, path and label."""
    return db.execute(
        "SELECT p.id, p.path, p.folder, l.name, l.parent, t.source FROM photos p "
        "LEFT JOIN tags t ON t.photo_id = p.id AND t.source != 'rejected' "
        "LEFT JOIN labels l ON l.id = t.label_id "
        "WHERE p.offline = 0 ORDER BY p.folder, p.path, l.name"
    ).fetchall()


def decided_label_ids(db: Database) -> set[int]:
    """Labels that carry at least one of the user's decisions."""
    marks = ", ".join("?" * len(DECISIONS))
    rows = db.execute(f"SELECT DISTINCT label_id FROM tags WHERE source IN ({marks})", DECISIONS)
    return {label_id for (label_id,) in rows}
