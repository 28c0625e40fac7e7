"""SQL for labels, tags, cached prompt embeddings, sidecar keywords and change counters.

Functions take the ``sqlite_utils.Database`` of a ``Catalog.write()`` or ``Catalog.read``
so that the caller chooses the transaction. Bulk reads come back as numpy arrays: a
library of 100,000 photos can carry a few hundred thousand tags.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from photoorg.model.label import Label

AUTO, CONFIRMED, REJECTED, MANUAL, IMPORTED = "auto", "confirmed", "rejected", "manual", "imported"
SOURCES = (AUTO, CONFIRMED, REJECTED, MANUAL, IMPORTED)
"""A tag's source; its index in this tuple is the code that bulk reads return."""
SOURCE_CODE = {s: i for i, s in enumerate(SOURCES)}
DECISIONS = (CONFIRMED, REJECTED, MANUAL)
"""What a person decided; ``imported`` (the file's own keywords) is not a decision, but
like one it is never replaced by an automatic tag."""
POSITIVE = (CONFIRMED, MANUAL, IMPORTED)
"""Sources that count as examples of a label when it learns."""

_COLUMNS = (
    "id, name, parent, prompts, negative_prompts, threshold, auto_threshold, "
    "enabled, exclusive_group"
)


@dataclass(frozen=True)
class StoredLabel:
    id: int
    label: Label


def _row_to_label(row: Sequence) -> StoredLabel:
    id_, name, parent, prompts, negatives, threshold, auto, enabled, group = row
    label = Label(
        name=name,
        parent=parent,
        prompts=tuple(json.loads(prompts)),
        negative_prompts=tuple(json.loads(negatives)),
        threshold=None if auto else float(threshold),
        enabled=bool(enabled),
        exclusive_group=group,
    )
    return StoredLabel(id_, label)


def _values(label: Label) -> list:
    return [
        label.name,
        label.parent,
        json.dumps(list(label.prompts), ensure_ascii=False),
        json.dumps(list(label.negative_prompts), ensure_ascii=False),
        0.0 if label.threshold is None else label.threshold,
        int(label.threshold is None),
        int(label.enabled),
        label.exclusive_group,
    ]


# -- labels --------------------------------------------------------------------------


def list_labels(db: Database) -> list[StoredLabel]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM labels ORDER BY name COLLATE NOCASE, name")
    return [_row_to_label(r) for r in rows]


def find_label(db: Database, name: str) -> StoredLabel | None:
    """The label called ``name``; case only matters when two names differ by it alone."""
    row = db.execute(f"SELECT {_COLUMNS} FROM labels WHERE name = ?", [name]).fetchone()
    if row is None:
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM labels WHERE name = ? COLLATE NOCASE", [name]
        ).fetchall()
        row = rows[0] if len(rows) == 1 else None
    return _row_to_label(row) if row else None


def insert_label(db: Database, label: Label) -> int:
    cursor = db.execute(
        "INSERT INTO labels(name, parent, prompts, negative_prompts, threshold, auto_threshold, "
        "enabled, exclusive_group) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        _values(label),
    )
    return int(cursor.lastrowid)


def update_label(db: Database, label_id: int, label: Label) -> None:
    db.execute(
        "UPDATE labels SET name = ?, parent = ?, prompts = ?, negative_prompts = ?, threshold = ?, "
        "auto_threshold = ?, enabled = ?, exclusive_group = ? WHERE id = ?",
        [*_values(label), label_id],
    )


def delete_label(db: Database, label_id: int) -> None:
    db.execute("DELETE FROM labels WHERE id = ?", [label_id])  # its tags cascade


def rename_parent(db: Database, old: str, new: str) -> None:
    """Children follow a renamed label."""
    db.execute("UPDATE labels SET parent = ? WHERE parent = ?", [new, old])


# -- tags ----------------------------------------------------------------------------


def tags_of(db: Database, photo_id: int) -> list[dict]:
    rows = db.query(
        "SELECT l.name AS label, l.parent AS parent, t.score, t.probability, t.source "
        "FROM tags t JOIN labels l ON l.id = t.label_id WHERE t.photo_id = ? "
        "ORDER BY t.source = 'rejected', t.score IS NULL, t.score DESC, l.name",
        [photo_id],
    )
    return list(rows)


def carried_counts(db: Database) -> dict[int, int]:
    """Photos carrying each label (any source but rejected), by label id."""
    rows = db.execute(
        "SELECT label_id, count(*) FROM tags WHERE source != 'rejected' GROUP BY label_id"
    )
    return dict(rows.fetchall())


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


def examples(db: Database, label_id: int) -> tuple[list[int], list[int]]:
    """``(positive, rejected)`` photo ids: what people said about this label."""
    rows = db.execute(
        "SELECT photo_id, source FROM tags WHERE label_id = ? AND source != 'auto' "
        "ORDER BY photo_id",
        [label_id],
    ).fetchall()
    positive = [p for p, s in rows if s in POSITIVE]
    rejected = [p for p, s in rows if s == REJECTED]
    return positive, rejected


def photos_with_label(db: Database, label_id: int, sources: Sequence[str]) -> list[int]:
    marks = ", ".join("?" * len(sources))
    rows = db.execute(
        f"SELECT photo_id FROM tags WHERE label_id = ? AND source IN ({marks}) ORDER BY photo_id",
        [label_id, *sources],
    )
    return [r[0] for r in rows]


# -- cached prompt embeddings ----------------------------------------------------------


def text_vectors(db: Database, model: str, texts: Sequence[str], dim: int) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(texts))
    for start in range(0, len(unique), 500):  # SQLite's parameter limit
        chunk = unique[start : start + 500]
        rows = db.execute(
            "SELECT text, vector FROM text_embeddings "
            f"WHERE model = ? AND text IN ({', '.join('?' * len(chunk))})",
            [model, *chunk],
        )
        for text, blob in rows:
            vector = np.frombuffer(blob, np.float32)
            if vector.shape == (dim,):
                found[text] = vector
    return found


def save_text_vectors(db: Database, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
    vectors = np.ascontiguousarray(vectors, np.float32)
    db.conn.executemany(
        "INSERT INTO text_embeddings(model, text, vector) VALUES (?, ?, ?) "
        "ON CONFLICT(model, text) DO UPDATE SET vector = excluded.vector",
        [(model, t, v.tobytes()) for t, v in zip(texts, vectors, strict=True)],
    )


def forget_text_vectors_except(db: Database, model: str) -> None:
    db.execute("DELETE FROM text_embeddings WHERE model != ?", [model])


# -- counters and sidecars -------------------------------------------------------------


def counter(db: Database, name: str) -> int:
    row = db.execute("SELECT value FROM counters WHERE name = ?", [name]).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class SidecarRow:
    photo_id: int
    path: str
    size: int
    mtime_ns: int
    keywords: tuple[str, ...]
    auto: tuple[str, ...]


def sidecars(db: Database) -> dict[int, SidecarRow]:
    rows = db.execute("SELECT photo_id, path, size, mtime_ns, keywords, auto FROM sidecars")
    return {
        r[0]: SidecarRow(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), tuple(json.loads(r[5])))
        for r in rows
    }


def save_sidecar(db: Database, row: SidecarRow) -> None:
    db.execute(
        "INSERT INTO sidecars(photo_id, path, size, mtime_ns, keywords, auto) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(photo_id) DO UPDATE SET path = excluded.path, size = excluded.size, "
        "mtime_ns = excluded.mtime_ns, keywords = excluded.keywords, auto = excluded.auto",
        [
            row.photo_id,
            row.path,
            row.size,
            row.mtime_ns,
            json.dumps(list(row.keywords), ensure_ascii=False),
            json.dumps(list(row.auto), ensure_ascii=False),
        ],
    )


def forget_sidecars(db: Database, photo_ids: Iterable[int]) -> None:
    db.conn.executemany("DELETE FROM sidecars WHERE photo_id = ?", [(int(p),) for p in photo_ids])


def embedded_keywords(db: Database) -> dict[int, list[str]]:
    """Keywords the scanner read from inside each photo file (only photos with some)."""
    rows = db.execute("SELECT id, keywords FROM photos WHERE keywords != '[]'")
    return {photo_id: json.loads(text) for photo_id, text in rows}


def name_taken(db: Database, name: str, except_id: int | None = None) -> bool:
    """Whether another label has this name, ignoring case (``Dog`` and ``dog`` clash)."""
    row = db.execute(
        "SELECT id FROM labels WHERE name = ? COLLATE NOCASE AND id IS NOT ?", [name, except_id]
    ).fetchone()
    return row is not None


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
