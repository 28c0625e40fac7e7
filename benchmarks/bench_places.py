"""Places, plain-word queries and events at library scale.

A catalog of N photos is written through SQL (what a scan would store): trips of one to
five days, 20-60 photos a day, each trip around a random GeoNames place (positions
jittered by a few km), trips weeks apart, so the events are realistic in number and size.

Timed, in one process:
  load        the gazetteer (GeoNames data read, k-d trees built), once per process
  fill        fill_places over all N photos: SQL reads, look-ups, writes, per photo
  lookup      the look-up alone for N positions in one batch (warm), per photo
  single      one photo at a time (what a scanner that did not batch would pay)
  parse       a whole query through Library.places.parse (the query language, dates,
              places the library holds, noise words): the first call, then the mean
  events      update_events for all N photos from scratch, then an incremental refresh
              after one more day of 40 photos arrives

    python benchmarks/bench_places.py [--photos 100000]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photoorg.services import events
from photoorg.services.geocoding import gazetteer
from photoorg.services.library import Library
from photoorg.services.places import fill_places

QUERIES = [
    "photos from 2008 in Italy",
    "beach last summer",
    "去年夏天在意大利的海滩照片",
    "kids on a beach at sunset",
    "from 2015 to 2017 dogs in Kenya",
    "2019年5月的照片",
    "skyline at night in New York City",
]


def trips(count: int, seed: int = 0) -> list[tuple[str, float, float]]:
    """(taken_at, lat, lon) for ``count`` photos in trips around random places."""
    rng = random.Random(seed)
    places = gazetteer()
    coordinates = places.points
    photos: list[tuple[str, float, float]] = []
    when = datetime(2005, 1, 1, 9)
    while len(photos) < count:
        index = rng.randrange(len(places.city))
        x, y, z = coordinates[index]
        lat, lon = math.degrees(math.asin(z)), math.degrees(math.atan2(y, x))
        for _day in range(rng.randint(1, 5)):
            for _ in range(rng.randint(20, 60)):
                when += timedelta(minutes=rng.randint(1, 15))
                photos.append(
                    (when.isoformat(), lat + rng.gauss(0, 0.03), lon + rng.gauss(0, 0.03))
                )
            when = when.replace(hour=9) + timedelta(days=1)
        when += timedelta(days=rng.randint(7, 40))
    return photos[:count]


def insert(library: Library, photos: list[tuple[str, float, float]], first_id: int) -> None:
    with library.catalog.write() as db:
        db.execute("INSERT OR IGNORE INTO roots (id, path, added_at) VALUES (1, '/bench', 'x')")
        db.conn.executemany(
            "INSERT INTO photos (id, root_id, path, folder, size, mtime_ns, sha256, format, "
            "width, height, taken_at, taken_at_source, gps_lat, gps_lon, scanned_at) "
            "VALUES (?, 1, ?, '/bench', 1, 1, ?, 'JPEG', 4000, 3000, ?, 'exif', ?, ?, 'x')",
            [
                (first_id + i, f"/bench/{first_id + i}.jpg", str(first_id + i), t, lat, lon)
                for i, (t, lat, lon) in enumerate(photos)
            ],
        )


def timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=100_000)
    args = parser.parse_args()
    n = args.photos
    figures: dict[str, float] = {}
    figures["load_s"], _ = timed(gazetteer)
    photos = trips(n)
    with tempfile.TemporaryDirectory() as home, Library(Path(home)) as library:
        insert(library, photos, 1)
        seconds, _ = timed(lambda: fill_places(library.catalog))
        figures["fill_ms_per_photo"] = seconds * 1000 / n
        positions = [(lat, lon) for _, lat, lon in photos]
        seconds, _ = timed(lambda: gazetteer().lookup(positions))
        figures["lookup_ms_per_photo"] = seconds * 1000 / n
        sample = positions[:2000]
        seconds, _ = timed(lambda: [gazetteer().lookup([p]) for p in sample])
        figures["single_lookup_ms"] = seconds * 1000 / len(sample)

        parse = library.places.parse
        figures["parse_first_ms"], _ = timed(lambda: parse(QUERIES[0]))
        figures["parse_first_ms"] *= 1000
        rounds = 200
        seconds, _ = timed(lambda: [parse(q) for _ in range(rounds) for q in QUERIES])
        figures["parse_ms"] = seconds * 1000 / (rounds * len(QUERIES))

        with library.catalog.write() as db:
            seconds, count = timed(lambda: events.refresh_events(db))
        figures["events_full_s"], figures["events"] = seconds, count
        last = datetime.fromisoformat(photos[-1][0]) + timedelta(days=3)
        day = [((last + timedelta(minutes=5 * i)).isoformat(), 43.46, 11.88) for i in range(40)]
        insert(library, day, n + 1)
        with library.catalog.write() as db:
            seconds, _ = timed(lambda: events.refresh_events(db))
        figures["events_incremental_ms"] = seconds * 1000
    print(json.dumps({"photos": n, **{k: round(v, 4) for k, v in figures.items()}}, indent=2))


if __name__ == "__main__":
    main()
