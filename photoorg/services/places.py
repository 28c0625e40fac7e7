"""Places in the library: filling each photo's place, and naming places in queries.

Filling reads only the catalog's stored GPS positions, so photos catalogued before places
existed get theirs without their files being read again. It runs in batches, each its
own transaction: a cancelled or killed run keeps what it stored and the next run goes on
from there (a photo counts as done once its row exists for its current position).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from photoorg.model.place import Place
from photoorg.model.query import Query
from photoorg.services import events
from photoorg.services.geocoding import gazetteer
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.services.query_parser import parse_query
from photoorg.store import events as event_store
from photoorg.store import places as store
from photoorg.store.catalog import Catalog
from photoorg.store.events import EventRow

if TYPE_CHECKING:
    from photoorg.services.library import Library

FILL_BATCH = 2000


def fill_places(
    catalog: Catalog,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    batch: int = FILL_BATCH,
) -> int:
    """Look up the place of every photo with GPS that has none (or an outdated one)."""
    with catalog.write() as db:
        store.forget_stale_places(db)
    total = store.count_to_fill(catalog.read)
    done = 0
    progress("places", 0, total)
    while done < total:
        if cancel is not None:
            cancel.check()
        rows = store.positions_to_fill(catalog.read, batch)
        if not rows:
            break
        found = gazetteer().lookup([(lat, lon) for _, lat, lon in rows])
        with catalog.write() as db:
            store.save_places(
                db, ((i, lat, lon, place) for (i, lat, lon), place in zip(rows, found, strict=True))
            )
        done += len(rows)
        progress("places", min(done, total), total)
    return done


def place_json(place: Place | None) -> dict | None:
    """``photoorg info --json``'s ``place``: city, region, country, country_code (or null)."""
    if place is None:
        return None
    return {
        "city": place.city,
        "region": place.region,
        "country": place.country,
        "country_code": place.country_code,
    }


@dataclass(frozen=True)
class PlaceNode:
    """One row of the Places tree: a country, a region in it, or a city in that."""

    name: str
    name_zh: str | None
    photos: int
    filter_name: str  # what place:NAME takes to show this node's photos
    children: tuple[PlaceNode, ...] = ()


def place_tree(counts: list[store.PlaceCount]) -> list[PlaceNode]:
    """Country -> region -> city with photo counts, biggest first at each level."""
    tree: dict[str, dict[str, dict[str, int]]] = {}
    zh: dict[str, str | None] = {}
    for entry in counts:
        p = entry.place
        regions = tree.setdefault(p.country, {})
        cities = regions.setdefault(p.region or "", {})
        cities[p.city or ""] = cities.get(p.city or "", 0) + entry.photos
        zh[p.country] = p.country_zh
        if p.region:
            zh[f"{p.country}\x1f{p.region}"] = p.region_zh

    def ordered(nodes: list[PlaceNode]) -> tuple[PlaceNode, ...]:
        return tuple(sorted(nodes, key=lambda n: (-n.photos, n.name.casefold())))

    countries = []
    for country, regions in tree.items():
        region_nodes = []
        for region, cities in regions.items():
            city_nodes = [
                PlaceNode(city, None, count, city) for city, count in cities.items() if city
            ]
            total = sum(cities.values())
            if region:
                region_zh = zh.get(f"{country}\x1f{region}")
                region_nodes.append(
                    PlaceNode(region, region_zh, total, region, ordered(city_nodes))
                )
            else:
                region_nodes += city_nodes
        total = sum(sum(cities.values()) for cities in regions.values())
        countries.append(PlaceNode(country, zh.get(country), total, country, ordered(region_nodes)))
    return list(ordered(countries))


class PlaceNames:
    """The library's place names, for telling "in Italy" (a place) from "in the park"."""

    def __init__(self, names: set[str]) -> None:
        self._names = {name.casefold() for name in names}

    @classmethod
    def of(cls, catalog: Catalog) -> PlaceNames:
        return cls(store.place_names(catalog.read))

    def __call__(self, name: str) -> bool:
        return " ".join(name.split()).casefold() in self._names

    def __len__(self) -> int:
        return len(self._names)


IsPlace = Callable[[str], bool]


class Places:
    """Where and when, for the ``Library`` facade (``library.places``): filling places and
    events after a scan, queries that name dates and places, the tree, map and events."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.catalog = library.catalog
        self._names: tuple[int, PlaceNames] | None = None
        self._lock = threading.Lock()

    def update(self, progress: Progress = no_progress, cancel: CancelToken | None = None) -> int:
        """The indexing stage: places for photos with GPS and none yet (old ones too),
        then events around every photo added or removed since last time."""
        filled = fill_places(self.catalog, progress, cancel)
        if cancel is not None:
            cancel.check()
        progress("events", 0, 0)
        with self.catalog.write() as db:
            events.refresh_events(db)
        progress("events", 1, 1)
        return filled

    def names(self) -> PlaceNames:
        """The library's place names, read again only after places changed."""
        version = store.places_version(self.catalog.read)
        with self._lock:
            if self._names is None or self._names[0] != version:
                self._names = (version, PlaceNames.of(self.catalog))
            return self._names[1]

    def parse(self, text: str, *, cwd: Path | None = None, today: date | None = None) -> Query:
        """``parse_query`` knowing this library's places and today's date."""
        return parse_query(text, cwd=cwd, today=today, is_place=self.names())

    def place_of(self, photo_id: int) -> Place | None:
        return store.places_of(self.catalog.read, [photo_id]).get(photo_id)

    def tree(self) -> list[PlaceNode]:
        return place_tree(store.place_counts(self.catalog.read))

    def positions(self) -> list[tuple[int, float, float]]:
        return store.positions(self.catalog.read)

    def events(self, language: str = "en") -> list[dict]:
        return events.events_json(self.catalog.read, language)

    def event_list(self) -> list[EventRow]:
        """Events newest first, without their photo lists (for the sidebar)."""
        return event_store.list_events(self.catalog.read)
