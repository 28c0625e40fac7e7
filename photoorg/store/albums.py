"""SQL for albums: named sets of photos, or saved queries (smart albums)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from photoorg.store.photos import now_iso


@dataclass(frozen=True)
class AlbumRow:
    id: int
    name: str
    query: str | None
    count: int  # photos added by hand (a smart album's members come from its query)


def list_albums(db: Database) -> list[AlbumRow]:
    rows = db.execute(
        "SELECT a.id, a.name, a.query, count(ap.photo_id) FROM albums a "
        "LEFT JOIN album_photos ap ON ap.album_id = a.id "
        "GROUP BY a.id ORDER BY a.name COLLATE NOCASE, a.name"
    )
    return [AlbumRow(*r) for r in rows]


def find_album(db: Database, name: str) -> AlbumRow | None:
    row = db.execute(
        "SELECT a.id, a.name, a.query, "
        "(SELECT count(*) FROM album_photos ap WHERE ap.album_id = a.id) "
        "FROM albums a WHERE a.name = ?",
        [name],
    ).fetchone()
    return AlbumRow(*row) if row else None


def create_album(db: Database, name: str, query: str | None) -> int:
    cursor = db.execute(
        "INSERT INTO albums(name, query, created_at) VALUES (?, ?, ?)", [name, query, now_iso()]
    )
    return int(cursor.lastrowid)


def update_album(db: Database, album_id: int, name: str, query: str | None) -> None:
    db.execute("UPDATE albums SET name = ?, query = ? WHERE id = ?", [name, query, album_id])


def delete_album(db: Database, album_id: int) -> None:
    db.execute("DELETE FROM albums WHERE id = ?", [album_id])  # members cascade


def add_photos(db: Database, album_id: int, photo_ids: Iterable[int]) -> int:
    at = now_iso()
    before = db.conn.total_changes
    db.conn.executemany(
        "INSERT INTO album_photos(album_id, photo_id, added_at) "
        "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM photos WHERE id = ?) "
        "ON CONFLICT(album_id, photo_id) DO NOTHING",
        [(album_id, int(p), at, int(p)) for p in photo_ids],
    )
    return db.conn.total_changes - before


def remove_photos(db: Database, album_id: int, photo_ids: Iterable[int]) -> int:
    before = db.conn.total_changes
    db.conn.executemany(
        "DELETE FROM album_photos WHERE album_id = ? AND photo_id = ?",
        [(album_id, int(p)) for p in photo_ids],
    )
    return db.conn.total_changes - before


def photo_ids(db: Database, album_id: int) -> list[int]:
    rows = db.execute(
        "SELECT ap.photo_id FROM album_photos ap JOIN photos p ON p.id = ap.photo_id "
        "WHERE ap.album_id = ? AND p.offline = 0 ORDER BY p.taken_at DESC, p.path",
        [album_id],
    )
    return [r[0] for r in rows]
