"""SQL for photos, roots and scan errors. The scanner decides; this module stores.

Functions take the ``sqlite_utils.Database`` of a ``Catalog.write()`` or ``Catalog.read``
so that the caller chooses the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from typing import Any

from sqlite_utils import Database


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Root:
    id: int
    path: str
    online: bool


@dataclass(frozen=True)
class PhotoRecord:
    """What a scan learns about one file; the columns of ``photos`` but id and state."""

    path: str
    folder: str
    size: int
    mtime_ns: int
    sha256: str
    format: str
    width: int
    height: int
    orientation: int
    taken_at: str
    taken_at_source: str
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    iso: int | None = None
    f_number: float | None = None
    exposure_time: float | None = None
    focal_length: float | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    keywords: tuple[str, ...] = ()

    def row(self) -> dict[str, Any]:
        row = asdict(self)
        row["keywords"] = json.dumps(list(self.keywords), ensure_ascii=False)
        row["scanned_at"] = now_iso()
        return row


RECORD_COLUMNS = [f.name for f in fields(PhotoRecord)]


@dataclass(frozen=True)
class KnownFile:
    id: int
    size: int
    mtime_ns: int
    sha256: str
    offline: bool


# -- roots ---------------------------------------------------------------------------


def list_roots(db: Database) -> list[Root]:
    rows = db.execute("SELECT id, path, online FROM roots ORDER BY path").fetchall()
    return [Root(id, path, bool(online)) for id, path, online in rows]


def add_root(db: Database, path: str) -> Root:
    db.execute(
        "INSERT INTO roots(path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING",
        [path, now_iso()],
    )
    id, online = db.execute("SELECT id, online FROM roots WHERE path = ?", [path]).fetchone()
    return Root(id, path, bool(online))


def remove_root(db: Database, root_id: int) -> int:
    """Forget a root and its photos (the files on disk are not touched)."""
    count = db.execute("SELECT count(*) FROM photos WHERE root_id = ?", [root_id]).fetchone()[0]
    db.execute("DELETE FROM roots WHERE id = ?", [root_id])
    return count


def merge_root(db: Database, into: int, old: int) -> None:
    """A new root that contains an old one takes its photos and errors over."""
    db.execute("UPDATE photos SET root_id = ? WHERE root_id = ?", [into, old])
    db.execute("UPDATE scan_errors SET root_id = ? WHERE root_id = ?", [into, old])
    db.execute("DELETE FROM roots WHERE id = ?", [old])


def set_root_online(db: Database, root_id: int, online: bool) -> None:
    db.execute("UPDATE roots SET online = ? WHERE id = ?", [int(online), root_id])
    db.execute("UPDATE photos SET offline = ? WHERE root_id = ?", [int(not online), root_id])


# -- photos --------------------------------------------------------------------------


def file_stamps(db: Database, root_id: int) -> dict[str, tuple[int, int]]:
    """``path -> (size, mtime_ns)`` of a root's photos: all a rescan compares."""
    rows = db.execute("SELECT path, size, mtime_ns FROM photos WHERE root_id = ?", [root_id])
    return {path: (size, mtime) for path, size, mtime in rows}


def known_files(db: Database, root_id: int, paths: set[str]) -> dict[str, KnownFile]:
    """Full records of some of a root's photos (the few that vanished, usually)."""
    rows = db.execute(
        "SELECT path, id, size, mtime_ns, sha256, offline FROM photos WHERE root_id = ?",
        [root_id],
    )
    return {
        path: KnownFile(id, size, mtime, sha, bool(off))
        for path, id, size, mtime, sha, off in rows
        if path in paths
    }


def insert_photo(db: Database, root_id: int, record: PhotoRecord) -> int:
    row = record.row() | {"root_id": root_id}
    cursor = db.execute(
        f"INSERT INTO photos ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    return cursor.lastrowid


def update_photo(db: Database, photo_id: int, root_id: int, record: PhotoRecord) -> None:
    """Rewrite a photo's row in place: a changed file, or a moved one (new path)."""
    row = record.row() | {"root_id": root_id, "offline": 0}
    assignments = ", ".join(f"{column} = ?" for column in row)
    db.execute(f"UPDATE photos SET {assignments} WHERE id = ?", [*row.values(), photo_id])


def move_photo(db: Database, photo_id: int, root_id: int, path: str, folder: str) -> None:
    """A file moved by PhotoOrg itself: same photo (id, tags, albums), new place."""
    db.execute(
        "UPDATE photos SET path = ?, folder = ?, root_id = ?, offline = 0 WHERE id = ?",
        [path, folder, root_id, photo_id],
    )


def forget_content(db: Database, photo_id: int) -> None:
    """A file's pixels changed: its embeddings and automatic tags no longer describe it."""
    db.execute("DELETE FROM embeddings WHERE photo_id = ?", [photo_id])
    db.execute("DELETE FROM tags WHERE photo_id = ? AND source = 'auto'", [photo_id])


def delete_photos(db: Database, photo_ids: Iterable[int]) -> None:
    db.conn.executemany("DELETE FROM photos WHERE id = ?", [(i,) for i in photo_ids])


def photo_ids_by_path(db: Database, paths: Sequence[str]) -> dict[str, int]:
    result = {}
    for path in paths:
        row = db.execute("SELECT id FROM photos WHERE path = ?", [path]).fetchone()
        if row:
            result[path] = row[0]
    return result


def get_photo(db: Database, photo_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM photos WHERE id = ?", [photo_id]))
    if not rows:
        return None
    row = rows[0]
    row["keywords"] = json.loads(row["keywords"])
    return row


def counts(db: Database) -> dict[str, int]:
    (total, offline) = db.execute(
        "SELECT count(*), coalesce(sum(offline), 0) FROM photos"
    ).fetchone()
    errors = db.execute("SELECT count(*) FROM scan_errors").fetchone()[0]
    roots = db.execute("SELECT count(*) FROM roots").fetchone()[0]
    return {
        "photos": total,
        "online": total - offline,
        "offline": offline,
        "errors": errors,
        "roots": roots,
    }


# -- scan errors ---------------------------------------------------------------------


def known_errors(db: Database, root_id: int) -> dict[str, tuple[int | None, int | None]]:
    rows = db.execute("SELECT path, size, mtime_ns FROM scan_errors WHERE root_id = ?", [root_id])
    return {path: (size, mtime) for path, size, mtime in rows}


def record_error(
    db: Database, root_id: int, path: str, error: str, size: int | None, mtime_ns: int | None
) -> None:
    db.execute(
        "INSERT INTO scan_errors(path, root_id, size, mtime_ns, error, at) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(path) DO UPDATE SET root_id = excluded.root_id, size = excluded.size, "
        "mtime_ns = excluded.mtime_ns, error = excluded.error, at = excluded.at",
        [path, root_id, size, mtime_ns, error, now_iso()],
    )


def clear_errors(db: Database, paths: Iterable[str]) -> None:
    db.conn.executemany("DELETE FROM scan_errors WHERE path = ?", [(p,) for p in paths])


def list_errors(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT path, error, at FROM scan_errors ORDER BY path"))


def embedded_keywords(db: Database) -> dict[int, list[str]]:
    """Keywords the scanner read from inside each photo file (only photos with some)."""
    rows = db.execute("SELECT id, keywords FROM photos WHERE keywords != '[]'")
    return {photo_id: json.loads(text) for photo_id, text in rows}


def existing_ids(db: Database, photo_ids: Sequence[int]) -> set[int]:
    """Which of ``photo_ids`` are still in the catalog (a rescan may have removed some)."""
    marks = ",".join("?" * len(photo_ids))
    return {r[0] for r in db.execute(f"SELECT id FROM photos WHERE id IN ({marks})", photo_ids)}


def content_and_path(db: Database, photo_id: int) -> tuple[str, str] | None:
    """A photo's ``(sha256, path)``, or None when it is not in the catalog."""
    row = db.execute("SELECT sha256, path FROM photos WHERE id = ?", [photo_id]).fetchone()
    return None if row is None else (row[0], row[1])


def paths_and_dates(db: Database, photo_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """``id -> (path, taken_at)`` for the photos among ``photo_ids`` that still exist."""
    if not photo_ids:
        return {}
    rows = db.execute(
        f"SELECT id, path, taken_at FROM photos WHERE id IN ({','.join('?' * len(photo_ids))})",
        list(photo_ids),
    ).fetchall()
    return {i: (path, taken) for i, path, taken in rows}


def online_paths(db: Database) -> list[tuple[int, str, str]]:
    """``(id, path, folder)`` of every photo whose root is online."""
    return db.execute("SELECT id, path, folder FROM photos WHERE offline = 0").fetchall()


def online_sizes(db: Database) -> list[tuple[int, str, int, int, int, str]]:
    """``(id, path, width, height, size, sha256)`` of every online photo."""
    return db.execute(
        "SELECT id, path, width, height, size, sha256 FROM photos WHERE offline = 0"
    ).fetchall()


def folder_counts(db: Database) -> list[tuple[str, int]]:
    """Every folder that holds online photos, with how many, sorted by path."""
    rows = db.execute(
        "SELECT folder, count(*) FROM photos WHERE offline = 0 GROUP BY folder ORDER BY folder"
    )
    return [(folder, count) for folder, count in rows]
