"""SQL for events: photos grouped by time and place. services/events.py decides.

Functions take the ``sqlite_utils.Database`` of a ``Catalog.write()`` or ``Catalog.read``
so that the caller chooses the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

EVENTS_SCHEMA = """
-- Photos grouped by gaps in time and jumps in place. An event keeps its id while photos
-- join it, so event:ID links stay good.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    name TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    place TEXT,
    cover_photo_id INTEGER REFERENCES photos(id) ON DELETE SET NULL,
    photo_count INTEGER NOT NULL
);
CREATE INDEX events_start ON events(start_at);
CREATE TABLE event_photos (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE
);
CREATE INDEX event_photos_event ON event_photos(event_id);
"""


@dataclass(frozen=True)
class EventRow:
    id: int
    start_at: str
    end_at: str
    name: str
    name_zh: str
    place: dict[str, Any] | None
    cover_photo_id: int | None
    photo_count: int


_EVENT_COLUMNS = "id, start_at, end_at, name, name_zh, place, cover_photo_id, photo_count"


def _event(row: Sequence[Any]) -> EventRow:
    id_, start, end, name, name_zh, place, cover, count = row
    found = json.loads(place) if place else None
    return EventRow(id_, start, end, name, name_zh, found, cover, count)


def list_events(db: Database) -> list[EventRow]:
    """Newest first."""
    rows = db.execute(f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY start_at DESC, id DESC")
    return [_event(row) for row in rows]


def get_event(db: Database, event_id: int) -> EventRow | None:
    row = db.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE id = ?", [event_id]).fetchone()
    return _event(row) if row else None


def event_photo_paths(db: Database, event_id: int) -> list[str]:
    rows = db.execute(
        "SELECT p.path FROM event_photos ep JOIN photos p ON p.id = ep.photo_id "
        "WHERE ep.event_id = ? ORDER BY p.taken_at, p.id",
        [event_id],
    )
    return [path for (path,) in rows]


def events_touching(db: Database, lo: str, hi: str) -> list[EventRow]:
    """Events that overlap [lo, hi] (ISO times, compared as text)."""
    rows = db.execute(
        f"SELECT {_EVENT_COLUMNS} FROM events WHERE start_at <= ? AND end_at >= ? "
        "ORDER BY start_at",
        [hi, lo],
    )
    return [_event(row) for row in rows]


def moments_between(
    db: Database, lo: str | None, hi: str | None
) -> list[tuple[int, str, float | None, float | None]]:
    """(id, taken_at, lat, lon) of photos taken from ``lo`` until before ``hi``
    (wall-clock ISO times to the second; a stored UTC offset only lengthens the text, so
    plain comparisons on the indexed column hold), oldest first."""
    where, params = ["1"], []
    if lo is not None:
        where.append("p.taken_at >= ?")
        params.append(lo)
    if hi is not None:
        where.append("p.taken_at < ?")
        params.append(hi)
    return db.execute(
        "SELECT p.id, p.taken_at, p.gps_lat, p.gps_lon FROM photos p "
        f"WHERE {' AND '.join(where)} ORDER BY substr(p.taken_at, 1, 19), p.id",
        params,
    ).fetchall()


def pending_times(db: Database) -> list[str]:
    """Times where events are out of date: photos in no event yet (new, or catalogued
    before events existed), events that lost photos (deleted files), and photos whose
    time moved out of their event's span (a file rescanned with another date)."""
    new = db.execute(
        "SELECT p.taken_at FROM photos p LEFT JOIN event_photos ep ON ep.photo_id = p.id "
        "WHERE ep.photo_id IS NULL"
    ).fetchall()
    shrunk = db.execute(
        "SELECT e.start_at, e.end_at FROM events e WHERE e.photo_count != "
        "(SELECT count(*) FROM event_photos ep WHERE ep.event_id = e.id)"
    ).fetchall()
    moved = db.execute(
        "SELECT p.taken_at, e.start_at, e.end_at FROM photos p "
        "JOIN event_photos ep ON ep.photo_id = p.id JOIN events e ON e.id = ep.event_id "
        "WHERE substr(p.taken_at, 1, 19) < e.start_at OR substr(p.taken_at, 1, 19) > e.end_at"
    ).fetchall()
    return [t for (t,) in new] + [t for row in shrunk + moved for t in row]


def members(db: Database, event_ids: Sequence[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {event_id: set() for event_id in event_ids}
    for start in range(0, len(event_ids), 500):
        chunk = list(event_ids[start : start + 500])
        rows = db.execute(
            "SELECT event_id, photo_id FROM event_photos "
            f"WHERE event_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for event_id, photo_id in rows:
            found[event_id].add(photo_id)
    return found


def delete_events(db: Database, event_ids: Iterable[int]) -> None:
    db.conn.executemany("DELETE FROM events WHERE id = ?", [(i,) for i in event_ids])


def save_event(
    db: Database, event_id: int | None, row: dict[str, Any], photo_ids: list[int]
) -> int:
    """Insert (``event_id`` None) or replace one event and its photos; returns its id."""
    values = [
        row["start_at"],
        row["end_at"],
        row["name"],
        row["name_zh"],
        json.dumps(row["place"], ensure_ascii=False) if row["place"] else None,
        row["cover_photo_id"],
        len(photo_ids),
    ]
    columns = "start_at, end_at, name, name_zh, place, cover_photo_id, photo_count"
    if event_id is None:
        cursor = db.execute(f"INSERT INTO events ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        event_id = int(cursor.lastrowid)
    else:
        db.execute(
            "UPDATE events SET start_at = ?, end_at = ?, name = ?, name_zh = ?, place = ?, "
            "cover_photo_id = ?, photo_count = ? WHERE id = ?",
            [*values, event_id],
        )
        db.execute("DELETE FROM event_photos WHERE event_id = ?", [event_id])
    db.conn.executemany(
        "INSERT OR REPLACE INTO event_photos (photo_id, event_id) VALUES (?, ?)",
        [(photo_id, event_id) for photo_id in photo_ids],
    )
    return event_id


def event_clause(event_ids: Sequence[int]) -> tuple[str, list[Any]]:
    """SQL on ``photos p`` for photos in any of the events."""
    marks = ", ".join("?" * len(event_ids))
    return (
        "EXISTS (SELECT 1 FROM event_photos ep WHERE ep.photo_id = p.id "
        f"AND ep.event_id IN ({marks}))",
        list(event_ids),
    )
