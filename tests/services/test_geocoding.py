"""Offline reverse geocoding: the corpus's GPS photos, districts, the poles and the 180th."""

from __future__ import annotations

import math

import pytest
from PIL import Image

from photoorg.media.metadata import read_metadata
from photoorg.services.geocoding import gazetteer, place_of
from tests.support.corpus import require_corpus

# Ground truth for the corpus's GPS photos (checked on a map): nine DSCN photos in the
# old town of Arezzo, a Kodak photo by Lake Nakuru, an iPhone HEIC in Blue Springs, MO.
EXPECTED = {
    "jpg/gps/DSCN0010.jpg": ("Arezzo", "Tuscany", "Italy", "IT", "托斯卡纳", "意大利"),
    "jpg/Kodak_CX7530.jpg": ("Nakuru", "Nakuru County", "Kenya", "KE", None, "肯尼亚"),
    "heic/IMG_5195.HEIC": ("Blue Springs", "Missouri", "United States", "US", "密苏里州", "美国"),
}


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_each_corpus_gps_photo_gets_its_place(relative: str) -> None:
    with Image.open(require_corpus() / relative) as img:
        meta = read_metadata(img)
    place = place_of(meta.gps_lat, meta.gps_lon)
    assert place is not None
    found = (place.city, place.region, place.country, place.country_code)
    assert (*found, place.region_zh, place.country_zh) == EXPECTED[relative]


def test_all_nine_arezzo_photos_are_in_arezzo() -> None:
    folder = require_corpus() / "jpg" / "gps"
    positions = []
    for path in sorted(folder.glob("DSCN*.jpg")):
        with Image.open(path) as img:
            meta = read_metadata(img)
        positions.append((meta.gps_lat, meta.gps_lon))
    places = gazetteer().lookup(positions)
    assert len(places) == 9
    assert {(p.city, p.country) for p in places if p} == {("Arezzo", "Italy")}
    assert all(places)


@pytest.mark.parametrize(
    ("position", "city", "district"),
    [
        ((40.4361, -3.7307), "Madrid", "Moncloa-Aravaca"),  # GeoNames lists the district
        ((60.1555, 24.9150), "Helsinki", "Länsisatama"),
        ((52.4997, 13.4034), "Berlin", "Kreuzberg"),
        ((34.5733, 135.4830), "Sakai", None),  # a city of its own beside Osaka
        ((40.7282, -74.0776), "Jersey City", None),  # another state than New York City
    ],
)
def test_districts_are_named_after_their_city(
    position: tuple[float, float], city: str, district: str | None
) -> None:
    place = place_of(*position)
    assert place is not None
    assert (place.city, place.district) == (city, district)


def test_distances_are_measured_on_the_sphere() -> None:
    # In raw degrees the Eiffel Tower is nearer Vanves than Paris; on the sphere it is not
    # (Paris itself or a suburb that counts as Paris).
    assert place_of(48.8584, 2.2945).city == "Paris"
    # Across the 180th meridian: Taveuni, Fiji, lies at 179.97 E; a point at 179.99 W is
    # 4 km east of it, not on the other side of the world.
    east, west = place_of(-16.85, 179.98), place_of(-16.85, -179.99)
    assert east.country_code == west.country_code == "FJ"
    # Near the poles, a degree of longitude is almost nothing.
    assert place_of(78.2232, 15.6267).country_code == "SJ"  # Longyearbyen, Svalbard
    assert place_of(78.2232, 15.6267 + 20).country_code == "SJ"


def test_far_from_every_place_there_is_a_country_but_no_city() -> None:
    place = place_of(38.0, -40.0)  # mid-Atlantic, west of the Azores
    assert place is not None and place.city is None and place.country_code == "PT"


@pytest.mark.parametrize(
    "position",
    [(None, 11.0), (43.0, None), (math.nan, 1.0), (91.0, 0.0), (0.0, 181.0), ("x", 1.0)],
)
def test_impossible_positions_have_no_place(position: tuple) -> None:
    assert gazetteer().lookup([position, (43.4674, 11.885)])[0] is None
    assert gazetteer().lookup([position, (43.4674, 11.885)])[1].city == "Arezzo"


def test_a_batch_keeps_its_order() -> None:
    points = [(43.4674, 11.885), (-0.3713, 36.0564), (None, None), (39.0513, -94.2888)]
    names = [p.city if p else None for p in gazetteer().lookup(points)]
    assert names == ["Arezzo", "Nakuru", None, "Blue Springs"]
