"""SQL for the XMP sidecars PhotoOrg has read or written: their size and mtime (to see
changes) and the keywords last seen in them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database


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
