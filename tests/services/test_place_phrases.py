"""Place phrases and noise words in plain queries."""

from __future__ import annotations

from datetime import date

import pytest

from photoorg.services.place_phrases import find_places, strip_noise, understand

LIBRARY = {"italy", "意大利", "arezzo", "tuscany", "托斯卡纳", "new york", "new york city", "kenya"}
TODAY = date(2026, 3, 18)


def is_place(name: str) -> bool:
    return name.casefold() in LIBRARY


@pytest.mark.parametrize(
    ("query", "places", "rest"),
    [
        ("beach in Italy", ("Italy",), "beach"),
        ("beach in italy", ("italy",), "beach"),
        ("dinner at Arezzo", ("Arezzo",), "dinner"),
        ("skyline in New York City at night", ("New York City",), "skyline at night"),
        ("in Tuscany, dogs", ("Tuscany",), ", dogs"),
        ("海滩在意大利", ("意大利",), "海滩"),
        ("在托斯卡纳的日落", ("托斯卡纳",), "的日落"),
        ("a day in the park", (), "a day in the park"),  # "the park" is no place here
        ("reading", (), "reading"),
        ("in Atlantis", (), "in Atlantis"),  # not in the library: stays text
        ("Italy", (), "Italy"),  # no preposition: a description, CLIP may know it
    ],
)
def test_a_place_phrase_becomes_a_filter_only_for_a_known_place(
    query: str, places: tuple[str, ...], rest: str
) -> None:
    found, remaining = find_places(query, is_place)
    assert (tuple(name for name, _ in found), remaining) == (places, rest)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("photos", ""),
        ("pictures of dogs", "dogs"),
        ("photos taken in the snow", "the snow"),
        ("beach photos", "beach"),
        ("photo booth", "photo booth"),  # a thing, not a noise word
        ("的照片", ""),
        ("海滩的照片", "海滩"),
        ("拍的照片", ""),
        ("的日落", "日落"),
    ],
)
def test_noise_words_go(text: str, rest: str) -> None:
    assert strip_noise(text) == rest


def test_photos_from_2008_in_italy() -> None:
    found = understand("photos from 2008 in Italy", TODAY, is_place)
    assert found.description == ""
    assert [(r.start, r.end) for r in found.dates] == [(date(2008, 1, 1), date(2009, 1, 1))]
    assert found.places == (("Italy", "in Italy"),)


def test_chinese_query_with_date_place_and_description() -> None:
    found = understand("去年夏天在意大利的海滩照片", TODAY, is_place)
    assert found.description == "海滩"
    assert [(r.start, r.end) for r in found.dates] == [(date(2025, 6, 1), date(2025, 9, 1))]
    assert found.places == (("意大利", "在意大利"),)


def test_a_query_without_dates_or_places_is_left_alone() -> None:
    found = understand("kids on a beach at sunset", TODAY, is_place)
    assert (found.description, found.dates, found.places) == ("kids on a beach at sunset", (), ())
