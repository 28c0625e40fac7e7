"""Where and when as plain values: a photo's place, and a range of dates.

No I/O here: the gazetteer that fills a Place lives in services/geocoding.py, and the
grammar that makes a DateRange out of words lives in services/dates.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Place:
    """A photo's place as people name it: the city, not the district GeoNames lists nearest.

    ``city`` is None far from any listed place (at sea, in a desert); ``district`` holds the
    finer place when the nearest GeoNames place was part of a bigger city (``Moncloa-
    Aravaca`` in Madrid). ``region`` is GeoNames' first-level division (Tuscany). The
    ``*_zh`` names are simplified Chinese where pycountry has them, else None.
    """

    city: str | None
    region: str | None
    country: str
    country_code: str  # ISO 3166-1 alpha-2
    district: str | None = None
    region_zh: str | None = None
    country_zh: str | None = None

    def label(self, language: str = "en") -> str:
        """A short name for lists and event titles: ``Arezzo, Italy`` / ``意大利 Arezzo``."""
        if language.startswith("zh"):
            country = self.country_zh or self.country
            return f"{country} {self.city}" if self.city else country
        return f"{self.city}, {self.country}" if self.city else self.country

    def names(self) -> tuple[str, ...]:
        """Every name a ``place:`` filter may match: city, district, region, country."""
        found = (
            self.city,
            self.district,
            self.region,
            self.region_zh,
            self.country,
            self.country_zh,
        )
        return tuple(name for name in found if name)

    def as_json(self) -> dict[str, Any]:
        return {
            "city": self.city,
            "district": self.district,
            "region": self.region,
            "country": self.country,
            "country_code": self.country_code,
            "region_zh": self.region_zh,
            "country_zh": self.country_zh,
        }


@dataclass(frozen=True)
class DateRange:
    """Days from ``start`` (inclusive) to ``end`` (exclusive), as the query language's
    after:/before: pair means them.

    A season differs by hemisphere: ``southern`` then holds the range that applies to a
    photo taken south of the equator (summer 2019 is June-August 2019 in Italy, December
    2019-February 2020 in Australia). ``text`` keeps the words it came from, for chips.
    """

    start: date
    end: date
    southern: DateRange | None = None
    text: str = ""

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError(f"empty date range {self.start} .. {self.end}")

    def for_latitude(self, latitude: float | None) -> DateRange:
        """The range for a photo at ``latitude``; the northern one where it is unknown."""
        if self.southern is not None and latitude is not None and latitude < 0:
            return self.southern
        return DateRange(self.start, self.end, text=self.text)

    def contains(self, day: date, latitude: float | None = None) -> bool:
        span = self.for_latitude(latitude)
        return span.start <= day < span.end

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.southern is not None:
            found["southern"] = {
                "start": self.southern.start.isoformat(),
                "end": self.southern.end.isoformat(),
            }
        if self.text:
            found["text"] = self.text
        return found
