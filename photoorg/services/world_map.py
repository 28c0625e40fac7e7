"""The offline world map: country outlines shipped with the app, and photo clusters.

The outlines are Natural Earth's 1:110m countries (public domain), converted once by
scripts/make_world_map.py into resources/map/countries-110m.json: no web tiles, nothing
fetched. Clustering is plain grid binning in map degrees: the window picks the cell size
from its zoom (about 40 pixels), so clusters split as one zooms in.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAP_FILE = Path(__file__).resolve().parents[2] / "resources" / "map" / "countries-110m.json"


@dataclass(frozen=True)
class Outline:
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat); lon may pass +-180


@lru_cache(maxsize=1)
def outlines(path: Path = MAP_FILE) -> tuple[Outline, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Outline(
            country["name"],
            tuple(tuple(zip(ring[0::2], ring[1::2], strict=True)) for ring in country["rings"]),
        )
        for country in data["countries"]
    )


@dataclass(frozen=True)
class Cluster:
    lat: float
    lon: float
    photo_ids: tuple[int, ...]


def cluster_positions(
    positions: Iterable[tuple[int, float, float]], cell_degrees: float
) -> list[Cluster]:
    """Photos (id, lat, lon) binned into square cells; each cluster at its photos' mean,
    biggest first. Positions off the globe are left out."""
    if not cell_degrees > 0:
        raise ValueError(f"cell size must be positive, not {cell_degrees}")
    cells: dict[tuple[int, int], list[tuple[int, float, float]]] = {}
    for photo_id, lat, lon in positions:
        if lat is None or lon is None or not (abs(lat) <= 90 and abs(lon) <= 180):
            continue
        key = (math.floor(lon / cell_degrees), math.floor(lat / cell_degrees))
        cells.setdefault(key, []).append((photo_id, lat, lon))
    clusters = [
        Cluster(
            sum(lat for _, lat, _ in members) / len(members),
            sum(lon for _, _, lon in members) / len(members),
            tuple(photo_id for photo_id, _, _ in members),
        )
        for members in cells.values()
    ]
    return sorted(clusters, key=lambda c: (-len(c.photo_ids), c.lat, c.lon))
