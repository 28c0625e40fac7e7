"""SQL for labels: their names, parents, prompts, thresholds and groups.

Functions take the ``sqlite_utils.Database`` of a ``Catalog.write()`` or ``Catalog.read``
so that the caller chooses the transaction. Bulk reads come back as numpy arrays: a
library of 100,000 photos can carry a few hundred thousand tags.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from photoorg.model.label import Label

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


def name_taken(db: Database, name: str, except_id: int | None = None) -> bool:
    """Whether another label has this name, ignoring case (``Dog`` and ``dog`` clash)."""
    row = db.execute(
        "SELECT id FROM labels WHERE name = ? COLLATE NOCASE AND id IS NOT ?", [name, except_id]
    ).fetchone()
    return row is not None
