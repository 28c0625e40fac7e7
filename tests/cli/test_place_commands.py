"""Places, dates and events from the command line, over the corpus's GPS photos:
``place:`` in English and Chinese, "photos from 2008 in Italy", ``parse``, ``events``,
and ``info``'s place."""

from __future__ import annotations

from pathlib import Path

import pytest

from photoorg.cli import main as cli
from photoorg.services.library import Library
from tests.support.cli_runs import run_json
from tests.support.places_corpus import copy_gps_photos

ITALIAN = {f"jpg/gps/DSCN00{n}.jpg" for n in (10, 12, 21, 25, 27, 29, 38, 40, 42)}
MOVED_TO_2009 = "jpg/gps/DSCN0042.jpg"


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("places-cli")
    photos = copy_gps_photos(root / "photos")
    catalog = root / "catalog"
    code = cli.main(["index", str(photos), "--no-encode", "--catalog", str(catalog)])
    assert code == 0
    # One Italian photo taken a year later (in the catalog; the file is never written),
    # so that "from 2008 in Italy" must use both the date and the place.
    with Library(catalog) as lib:
        with lib.catalog.write() as db:
            db.execute(
                "UPDATE photos SET taken_at = '2009-10-22T17:00:07' WHERE path = ?",
                [str(photos / MOVED_TO_2009)],
            )
        lib.places.update()  # what the next index run does: the photo leaves its event
    return photos, catalog


def found(capsys, library, *query: str) -> set[str]:
    photos, catalog = library
    hits = run_json(capsys, "search", *query, "--catalog", catalog, "--limit", 100)
    return {Path(hit["path"]).relative_to(photos).as_posix() for hit in hits}


@pytest.mark.parametrize("query", ["place:Italy", "place:意大利", "place:tuscany", "place:AREZZO"])
def test_place_filter_returns_exactly_the_italian_photos(capsys, library, query: str) -> None:
    assert found(capsys, library, query) == ITALIAN


def test_photos_from_2008_in_italy(capsys, library) -> None:
    assert found(capsys, library, "photos from 2008 in Italy") == ITALIAN - {MOVED_TO_2009}
    assert found(capsys, library, "2008年在意大利的照片") == ITALIAN - {MOVED_TO_2009}
    # The year alone also finds the 2008 photos taken elsewhere or without GPS.
    assert found(capsys, library, "2008") == (ITALIAN - {MOVED_TO_2009}) | {
        "jpg/Canon_40D.jpg",
        "jpg/Nikon_D70.jpg",
    }
    assert found(capsys, library, "place:Kenya") == {"jpg/Kodak_CX7530.jpg"}
    assert found(capsys, library, "place:Atlantis") == set()


def test_parse_shows_how_a_query_is_understood(capsys, library) -> None:
    _, catalog = library
    data = run_json(capsys, "parse", "beach in Italy summer 2019", "--catalog", catalog)
    assert data["description"] == [{"text": "beach", "weight": 1.0}]
    assert data["filters"]["places"] == ["Italy"]
    (span,) = data["filters"]["dates"]
    assert (span["start"], span["end"]) == ("2019-06-01", "2019-09-01")
    assert span["southern"] == {"start": "2019-12-01", "end": "2020-03-01"}
    assert {(u["kind"], u["words"]) for u in data["understood"]} == {
        ("place", "in Italy"),
        ("date", "summer 2019"),
    }
    # Not a place in this library: stays the description.
    data = run_json(capsys, "parse", "a day in Atlantis", "--catalog", catalog)
    assert data["description"] == [{"text": "a day in Atlantis", "weight": 1.0}]
    assert "places" not in data["filters"]


def test_events_and_info(capsys, library) -> None:
    photos, catalog = library
    events = run_json(capsys, "events", "--catalog", catalog)
    arezzo = [e for e in events if e["name"] == "Arezzo, Italy · 22 Oct 2008"]
    assert len(arezzo) == 1
    assert {Path(p).relative_to(photos).as_posix() for p in arezzo[0]["photos"]} == ITALIAN - {
        MOVED_TO_2009
    }
    later = [e for e in events if e["name"] == "Arezzo, Italy · 22 Oct 2009"]
    assert [e["photos"] for e in later] == [[str(photos / MOVED_TO_2009)]]
    assert [e["start"] for e in events] == sorted((e["start"] for e in events), reverse=True)
    event_id = arezzo[0]["id"]
    assert found(capsys, library, f"event:{event_id}") == {
        Path(p).relative_to(photos).as_posix() for p in arezzo[0]["photos"]
    }
    info = run_json(capsys, "info", photos / "jpg/gps/DSCN0010.jpg", "--catalog", catalog)
    assert info["place"] == {
        "city": "Arezzo",
        "region": "Tuscany",
        "country": "Italy",
        "country_code": "IT",
    }
    assert (
        run_json(capsys, "info", photos / "jpg/Canon_40D.jpg", "--catalog", catalog)["place"]
        is None
    )


def test_seasons_follow_the_hemisphere_of_the_photo(capsys, library) -> None:
    # The Kodak photo was taken on 13 Aug 2005 by Lake Nakuru, just south of the equator:
    # its winter, not its summer (the Nikon and Canon photos have no GPS: northern).
    assert found(capsys, library, "winter 2005") == {"jpg/Kodak_CX7530.jpg"}
    assert found(capsys, library, "summer 2005") == set()
    # 15 Mar and 30 May 2008: spring in the north.
    assert found(capsys, library, "spring 2008") == {"jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg"}
