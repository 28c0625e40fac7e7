"""Places in the library: filling each photo's place, and naming places in queries.

Filling reads only the catalog's stored GPS positions, so photos catalogued before places
existed get theirs without their files being read again. It runs in batches, each its
own transaction: a cancelled or killed run keeps what it stored and the next run goes on
from there (a photo counts as done once its row exists for its current position).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from photoorg.model.place import Place
from photoorg.services.geocoding import gazetteer
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.store import places as store
from photoorg.store.catalog import Catalog

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
