"""Events: grouping rules, titles, incremental updates, and the corpus's Arezzo afternoon."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from photoorg.model.place import Place
from photoorg.services import events
from photoorg.services.events import Moment, date_text, group_moments, main_place, title
from photoorg.services.library import Library
from photoorg.store import events as event_store
from tests.support.places_corpus import copy_gps_photos

T0 = datetime(2008, 10, 22, 16, 0)
AREZZO = (43.4674, 11.885)
FLORENCE = (43.77, 11.25)  # 60 km away: same trip
NAIROBI = (-1.29, 36.82)


def ids(groups: list[list[Moment]]) -> list[list[int]]:
    return [[m.photo_id for m in group] for group in groups]


def test_a_night_between_photos_starts_a_new_event() -> None:
    moments = [
        Moment(1, T0),
        Moment(2, T0 + timedelta(hours=3)),
        Moment(3, T0 + timedelta(hours=3 + 9)),  # the next morning, 9 h later
    ]
    assert ids(group_moments(moments)) == [[1, 2], [3]]


def test_a_jump_of_hundreds_of_km_starts_a_new_event() -> None:
    moments = [
        Moment(1, T0, *AREZZO),
        Moment(2, T0 + timedelta(hours=1), *FLORENCE),  # 60 km: same event
        Moment(3, T0 + timedelta(hours=2)),  # no GPS: same event
        Moment(4, T0 + timedelta(hours=3), *NAIROBI),  # thousands of km: a new one
    ]
    assert ids(group_moments(moments)) == [[1, 2, 3], [4]]


def test_titles_in_english_and_chinese() -> None:
    arezzo = Place("Arezzo", "Tuscany", "Italy", "IT", None, "托斯卡纳", "意大利")
    end = T0 + timedelta(hours=1)
    assert title(arezzo, T0, end) == "Arezzo, Italy · 22 Oct 2008"
    assert title(arezzo, T0, end, "zh") == "意大利 Arezzo · 2008年10月22日"
    assert title(None, T0, end) == "22 Oct 2008"
    assert date_text(T0, T0 + timedelta(days=2)) == "22–24 Oct 2008"
    assert date_text(T0, datetime(2008, 11, 2)) == "22 Oct – 2 Nov 2008"
    assert date_text(datetime(2008, 12, 30), datetime(2009, 1, 2)) == "30 Dec 2008 – 2 Jan 2009"
    assert date_text(T0, datetime(2008, 11, 2), "zh") == "2008年10月22日–11月2日"


def test_an_event_is_named_after_its_main_city_else_its_country() -> None:
    arezzo = Place("Arezzo", "Tuscany", "Italy", "IT")
    rome = Place("Rome", "Lazio", "Italy", "IT")
    assert main_place([arezzo, arezzo, rome, None]) == arezzo
    spread = main_place([arezzo, rome, Place("Milan", "Lombardy", "Italy", "IT")])
    assert (spread.city, spread.region, spread.country) == (None, None, "Italy")
    assert main_place([None, None]) is None


@pytest.fixture
def library(tmp_path):
    corpus = copy_gps_photos(tmp_path / "photos")
    with Library(tmp_path / "catalog") as lib:
        lib.index([corpus], encode=False)  # the indexing stage fills places and events
        yield lib, corpus


def test_the_nine_arezzo_photos_form_one_event_named_after_its_place(library) -> None:
    lib, corpus = library
    with lib.catalog.write() as db:
        events.refresh_events(db)
        found = events.events_json(db)
    arezzo = [e for e in found if any("DSCN" in p for p in e["photos"])]
    assert len(arezzo) == 1
    event = arezzo[0]
    assert sorted(event["photos"]) == sorted(str(p) for p in (corpus / "jpg/gps").glob("DSCN*"))
    assert event["name"] == "Arezzo, Italy · 22 Oct 2008"
    assert event["place"]["city"] == "Arezzo"
    assert (event["start"], event["end"]) == ("2008-10-22T16:28:39", "2008-10-22T17:00:07")
    # Newest first, every photo in exactly one event.
    assert [e["start"] for e in found] == sorted((e["start"] for e in found), reverse=True)
    paths = [p for e in found for p in e["photos"]]
    assert len(paths) == len(set(paths)) == len(lib.browse())
    with lib.catalog.write() as db:
        assert events.events_json(db, "zh")[found.index(event)]["name"] == (
            "意大利 Arezzo · 2008年10月22日"
        )


def test_refreshing_again_changes_nothing_and_keeps_ids(library) -> None:
    lib, _ = library
    with lib.catalog.write() as db:
        events.refresh_events(db)
        before = events.events_json(db)
        assert events.refresh_events(db) == 0  # nothing pending
        assert events.events_json(db) == before


def test_a_removed_photo_leaves_its_event(library) -> None:
    lib, corpus = library
    with lib.catalog.write() as db:
        events.refresh_events(db)
        event_id = next(e["id"] for e in events.events_json(db) if len(e["photos"]) == 9)
        db.execute("DELETE FROM photos WHERE path = ?", [str(corpus / "jpg/gps/DSCN0042.jpg")])
        events.refresh_events(db)
        event = event_store.get_event(db, event_id)
        assert event is not None and event.photo_count == 8
        assert event.end_at == "2008-10-22T16:55:37"


def _random_moments(rng: random.Random, count: int) -> list[Moment]:
    spots = [AREZZO, FLORENCE, NAIROBI, (40.71, -74.0), None]
    start = datetime(2020, 1, 1)
    moments = []
    for i in range(count):
        spot = rng.choice(spots)
        at = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 20))
        moments.append(Moment(i + 1, at, *(spot or (None, None))))
    return moments


def _insert(db, moments: list[Moment]) -> None:
    db.execute("INSERT OR IGNORE INTO roots (id, path, added_at) VALUES (1, '/r', 'x')")
    for m in moments:
        db.execute(
            "INSERT INTO photos (id, root_id, path, folder, size, mtime_ns, sha256, format, "
            "width, height, taken_at, taken_at_source, gps_lat, gps_lon, scanned_at) "
            "VALUES (?, 1, ?, '/r', 1, 1, ?, 'JPEG', 1, 1, ?, 'exif', ?, ?, 'x')",
            [
                m.photo_id,
                f"/r/{m.photo_id}.jpg",
                str(m.photo_id),
                m.taken_at.isoformat(),
                m.lat,
                m.lon,
            ],
        )


@pytest.mark.parametrize("seed", range(3))
def test_incremental_updates_group_exactly_as_a_full_rebuild(tmp_path, seed: int) -> None:
    rng = random.Random(seed)
    moments = _random_moments(rng, 300)
    with Library(tmp_path / f"catalog{seed}") as lib, lib.catalog.write() as db:
        rng.shuffle(moments)
        for start in range(0, len(moments), 37):  # photos arrive in batches
            _insert(db, moments[start : start + 37])
            events.refresh_events(db)
        gone = rng.sample(moments, 30)
        for m in gone:
            db.execute("DELETE FROM photos WHERE id = ?", [m.photo_id])
        events.refresh_events(db)
        stored = {
            frozenset(photos)
            for photos in event_store.members(
                db, [e.id for e in event_store.list_events(db)]
            ).values()
        }
    kept = [m for m in moments if m not in gone]
    expected = {frozenset(m.photo_id for m in group) for group in group_moments(kept)}
    assert stored == expected
