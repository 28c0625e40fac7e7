"""Turning search filters into one parameterised SQL condition on ``photos p``.

User text only ever travels as parameters; LIKE patterns escape their wildcards.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlite_utils import Database

from photoorg.errors import UsageError
from photoorg.store import photo_text
from photoorg.store.events import event_clause
from photoorg.store.places import place_clause

if TYPE_CHECKING:
    from photoorg.model.place import DateRange
    from photoorg.model.query import Filters

# Pillow's format names for the query language's file types.
FORMATS = {
    "jpeg": ("JPEG", "MPO"),
    "png": ("PNG",),
    "heic": ("HEIF",),
    "tiff": ("TIFF",),
    "webp": ("WEBP",),
    "bmp": ("BMP",),
    "gif": ("GIF",),
}

# A tag counts as carried unless the user rejected it.
CARRIED = "t.source IN ('auto', 'confirmed', 'manual', 'imported')"


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where(filters: Filters | None) -> tuple[str, list[Any]]:
    """``(sql, params)`` selecting the photos that pass ``filters`` (online ones only)."""
    clauses = ["p.offline = 0"]
    params: list[Any] = []
    if filters is None:
        return clauses[0], params
    if filters.after:
        clauses.append("substr(p.taken_at, 1, 10) >= ?")
        params.append(filters.after.isoformat())
    if filters.before:
        clauses.append("substr(p.taken_at, 1, 10) < ?")
        params.append(filters.before.isoformat())
    if filters.folders:
        parts = []
        for folder in filters.folders:
            folder = os.path.abspath(os.path.expanduser(folder)).rstrip(os.sep)
            parts.append("(p.folder = ? OR p.folder LIKE ? ESCAPE '\\')")
            params += [folder, _like_escape(folder + os.sep) + "%"]
        clauses.append("(" + " OR ".join(parts) + ")")
    if filters.cameras:
        parts = []
        for camera in filters.cameras:
            parts.append(
                "(coalesce(p.camera_make, '') || ' ' || coalesce(p.camera_model, '')) "
                "LIKE ? ESCAPE '\\'"
            )
            params.append("%" + _like_escape(camera) + "%")
        clauses.append("(" + " OR ".join(parts) + ")")
    if filters.types:
        formats = [f for t in filters.types for f in FORMATS.get(t, (t.upper(),))]
        clauses.append(f"p.format IN ({', '.join('?' * len(formats))})")
        params += formats
    if filters.has_gps is not None:
        clauses.append("p.gps_lat IS NOT NULL" if filters.has_gps else "p.gps_lat IS NULL")
    for label in filters.labels:
        clauses.append(
            "EXISTS (SELECT 1 FROM tags t JOIN labels l ON l.id = t.label_id "
            f"WHERE t.photo_id = p.id AND {CARRIED} AND (l.name = ? OR l.parent = ?))"
        )
        params += [label, label]
    for label in filters.exclude_labels:
        clauses.append(
            "NOT EXISTS (SELECT 1 FROM tags t JOIN labels l ON l.id = t.label_id "
            f"WHERE t.photo_id = p.id AND {CARRIED} AND (l.name = ? OR l.parent = ?))"
        )
        params += [label, label]
    if filters.albums:
        clauses.append(
            "EXISTS (SELECT 1 FROM album_photos ap JOIN albums a ON a.id = ap.album_id "
            f"WHERE ap.photo_id = p.id AND a.name IN ({', '.join('?' * len(filters.albums))}))"
        )
        params += list(filters.albums)
    for span in filters.dates:
        clause, values = _date_clause(span)
        clauses.append(clause)
        params += values
    for extra in (
        place_clause(filters.places) if filters.places else None,
        event_clause(filters.events) if filters.events else None,
    ):
        if extra is not None:
            clauses.append(extra[0])
            params += extra[1]
    if filters.photo_ids:
        # One JSON parameter: a map cluster can hold more photos than SQLite has ?s.
        clauses.append("p.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(filters.photo_ids)))
    for phrase, negated in [(t, False) for t in filters.texts] + [
        (t, True) for t in filters.exclude_texts
    ]:
        try:
            clause, args = photo_text.text_clause(phrase, negated=negated)
        except ValueError as exc:  # nothing but spaces: say so rather than match all
            raise UsageError(str(exc)) from exc
        clauses.append(clause)
        params += args
    for person in filters.people:
        clauses.append(
            "EXISTS (SELECT 1 FROM faces f JOIN people pe ON pe.id = f.person_id "
            "WHERE f.photo_id = p.id AND f.decision IN ('auto', 'confirmed') "
            "AND pe.name = ? COLLATE NOCASE)"
        )
        params.append(person)
    return " AND ".join(clauses), params


def _date_clause(span: DateRange) -> tuple[str, list[Any]]:
    day = "substr(p.taken_at, 1, 10)"
    if span.southern is None:
        return f"({day} >= ? AND {day} < ?)", [span.start.isoformat(), span.end.isoformat()]
    # A season: photos south of the equator take the southern range; unknown places
    # the northern one (DateRange.for_latitude).
    south = span.southern
    return (
        f"((coalesce(p.gps_lat, 0) >= 0 AND {day} >= ? AND {day} < ?) "
        f"OR (p.gps_lat < 0 AND {day} >= ? AND {day} < ?))",
        [
            span.start.isoformat(),
            span.end.isoformat(),
            south.start.isoformat(),
            south.end.isoformat(),
        ],
    )


def matching_ids(db: Database, filters: Filters | None) -> np.ndarray:
    sql, params = where(filters)
    rows = db.execute(f"SELECT p.id FROM photos p WHERE {sql}", params)
    return np.fromiter((r[0] for r in rows), dtype=np.int64)


def browse(db: Database, filters: Filters | None, limit: int | None) -> list[tuple[int, str, str]]:
    """``(id, path, taken_at)`` of the photos passing ``filters``, newest first."""
    clause, params = where(filters)
    sql = (
        f"SELECT p.id, p.path, p.taken_at FROM photos p WHERE {clause} "
        "ORDER BY p.taken_at DESC, p.path"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    return db.execute(sql, params).fetchall()
