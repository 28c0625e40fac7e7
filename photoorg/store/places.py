"""SQL for each photo's place and for events. Services decide; this module stores.

Functions take the ``sqlite_utils.Database`` of a ``Catalog.write()`` or ``Catalog.read``
so that the caller chooses the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlite_utils import Database

from photoorg.model.place import Place

PLACES_SCHEMA = """
-- The place of each photo with a GPS position, looked up offline (GeoNames). lat/lon are
-- the position it was looked up from: a photo whose GPS changed is looked up again, and
-- photos catalogued before places existed are filled from their stored position.
-- `names` holds every name casefolded between \x1f marks, so that place:NAME is one
-- exact, case-insensitive instr() in any script (SQLite's lower() knows only ASCII).
CREATE TABLE photo_places (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    city TEXT,
    district TEXT,
    region TEXT,
    country TEXT,
    country_code TEXT,
    region_zh TEXT,
    country_zh TEXT,
    names TEXT NOT NULL DEFAULT ''
);
CREATE INDEX photo_places_where ON photo_places(country_code, region, city);

-- A change counter, so the set of place names a query may mention is read again only
-- after places changed (the counters table and its triggers are M002's).
INSERT INTO counters(name, value) VALUES ('places', 0);
CREATE TRIGGER photo_places_inserted AFTER INSERT ON photo_places
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'places'; END;
CREATE TRIGGER photo_places_updated AFTER UPDATE ON photo_places
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'places'; END;
CREATE TRIGGER photo_places_deleted AFTER DELETE ON photo_places
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'places'; END;
"""

_SEP = "\x1f"
_PLACE_COLUMNS = "city, district, region, country, country_code, region_zh, country_zh"


def names_key(name: str) -> str:
    """The parameter that finds ``name`` in ``photo_places.names``."""
    return _SEP + name.strip().casefold() + _SEP


# -- places ---------------------------------------------------------------------------


def positions_to_fill(db: Database, limit: int) -> list[tuple[int, float, float]]:
    """Photos with GPS and no place, or a place looked up from another position."""
    return db.execute(
        "SELECT p.id, p.gps_lat, p.gps_lon FROM photos p "
        "LEFT JOIN photo_places pp ON pp.photo_id = p.id "
        "WHERE p.gps_lat IS NOT NULL AND p.gps_lon IS NOT NULL "
        "AND (pp.photo_id IS NULL OR pp.lat IS NOT p.gps_lat OR pp.lon IS NOT p.gps_lon) "
        "ORDER BY p.id LIMIT ?",
        [limit],
    ).fetchall()


def count_to_fill(db: Database) -> int:
    return db.execute(
        "SELECT count(*) FROM photos p LEFT JOIN photo_places pp ON pp.photo_id = p.id "
        "WHERE p.gps_lat IS NOT NULL AND p.gps_lon IS NOT NULL "
        "AND (pp.photo_id IS NULL OR pp.lat IS NOT p.gps_lat OR pp.lon IS NOT p.gps_lon)"
    ).fetchone()[0]


def save_places(db: Database, rows: Iterable[tuple[int, float, float, Place | None]]) -> None:
    """Store (photo id, lat, lon, place); None records "looked up, no place"."""
    values = []
    for photo_id, lat, lon, place in rows:
        if place is None:
            values.append((photo_id, lat, lon, None, None, None, None, None, None, None, ""))
            continue
        names = _SEP + _SEP.join(n.casefold() for n in place.names()) + _SEP
        values.append(
            (
                photo_id,
                lat,
                lon,
                place.city,
                place.district,
                place.region,
                place.country,
                place.country_code,
                place.region_zh,
                place.country_zh,
                names,
            )
        )
    db.conn.executemany(
        f"INSERT OR REPLACE INTO photo_places (photo_id, lat, lon, {_PLACE_COLUMNS}, names) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        values,
    )


def forget_stale_places(db: Database) -> None:
    """Drop the places of photos whose GPS position is gone."""
    db.execute(
        "DELETE FROM photo_places WHERE photo_id IN "
        "(SELECT id FROM photos WHERE gps_lat IS NULL OR gps_lon IS NULL)"
    )


def _place(row: Sequence[Any]) -> Place | None:
    city, district, region, country, code, region_zh, country_zh = row
    if not country:
        return None
    return Place(city, region, country, code, district, region_zh, country_zh)


def places_of(db: Database, photo_ids: Sequence[int]) -> dict[int, Place]:
    found: dict[int, Place] = {}
    made: dict[tuple, Place | None] = {}  # photos share few places: one object each
    for start in range(0, len(photo_ids), 500):
        chunk = list(photo_ids[start : start + 500])
        rows = db.execute(
            f"SELECT photo_id, {_PLACE_COLUMNS} FROM photo_places "
            f"WHERE photo_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for photo_id, *rest in rows:
            key = tuple(rest)
            place = made[key] if key in made else made.setdefault(key, _place(rest))
            if place is not None:
                found[photo_id] = place
    return found


@dataclass(frozen=True)
class PlaceCount:
    place: Place
    photos: int


def place_counts(db: Database) -> list[PlaceCount]:
    """Each distinct place (to the city) in online photos, with its number of photos."""
    rows = db.execute(
        f"SELECT {_PLACE_COLUMNS}, count(*) FROM photo_places pp "
        "JOIN photos p ON p.id = pp.photo_id AND p.offline = 0 "
        f"WHERE pp.country IS NOT NULL GROUP BY {_PLACE_COLUMNS} "
        "ORDER BY pp.country, pp.region, pp.city"
    )
    counts: dict[Place, int] = {}
    for *columns, count in rows:
        place = _place(columns)
        if place is not None:
            # Districts of one city count together: the tree goes down to the city.
            key = replace(place, district=None)
            counts[key] = counts.get(key, 0) + count
    return [PlaceCount(place, count) for place, count in counts.items()]


def place_names(db: Database) -> set[str]:
    """Every place name in the library, casefolded: what "in PLACE" may refer to."""
    found: set[str] = set()
    for (names,) in db.execute("SELECT DISTINCT names FROM photo_places WHERE names != ''"):
        found.update(name for name in names.split(_SEP) if name)
    return found


def places_version(db: Database) -> int:
    """Changes whenever any photo's place does."""
    row = db.execute("SELECT value FROM counters WHERE name = 'places'").fetchone()
    return row[0] if row else 0


def positions(db: Database) -> list[tuple[int, float, float]]:
    """(id, lat, lon) of every online photo with a GPS position: what the map shows."""
    return db.execute(
        "SELECT id, gps_lat, gps_lon FROM photos "
        "WHERE offline = 0 AND gps_lat IS NOT NULL AND gps_lon IS NOT NULL"
    ).fetchall()


def place_clause(names: Sequence[str]) -> tuple[str, list[Any]]:
    """SQL on ``photos p`` for photos at any of ``names`` (city, region or country)."""
    clause = (
        "EXISTS (SELECT 1 FROM photo_places pp WHERE pp.photo_id = p.id AND ("
        + " OR ".join("instr(pp.names, ?) > 0" for _ in names)
        + "))"
    )
    return clause, [names_key(name) for name in names]
