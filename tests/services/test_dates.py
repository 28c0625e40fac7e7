"""Every date form the grammar knows, against a fixed today."""

from __future__ import annotations

from datetime import date

import pytest

from photoorg.services.dates import OPEN_END, OPEN_START, find_dates, season_range

TODAY = date(2026, 3, 18)  # a Wednesday in early spring (northern hemisphere)
D = date

# (query, expected (start, end) with end exclusive, expected remaining text)
CASES = [
    # a year
    ("2019", (D(2019, 1, 1), D(2020, 1, 1)), ""),
    ("2019年", (D(2019, 1, 1), D(2020, 1, 1)), ""),
    ("beach in 2019", (D(2019, 1, 1), D(2020, 1, 1)), "beach"),
    ("在2019年的照片", (D(2019, 1, 1), D(2020, 1, 1)), "的照片"),
    # a month
    ("May 2008", (D(2008, 5, 1), D(2008, 6, 1)), ""),
    ("dogs in may 2008", (D(2008, 5, 1), D(2008, 6, 1)), "dogs"),
    ("Sept. 2010", (D(2010, 9, 1), D(2010, 10, 1)), ""),
    ("December of 2010", (D(2010, 12, 1), D(2011, 1, 1)), ""),
    ("2008-05", (D(2008, 5, 1), D(2008, 6, 1)), ""),
    ("2019年5月", (D(2019, 5, 1), D(2019, 6, 1)), ""),
    ("2019年12月份", (D(2019, 12, 1), D(2020, 1, 1)), ""),
    ("2019年五月", (D(2019, 5, 1), D(2019, 6, 1)), ""),
    ("2019年5月的照片", (D(2019, 5, 1), D(2019, 6, 1)), "的照片"),
    # a day
    ("2008-10-22", (D(2008, 10, 22), D(2008, 10, 23)), ""),
    ("22 Oct 2008", (D(2008, 10, 22), D(2008, 10, 23)), ""),
    ("on October 22nd, 2008", (D(2008, 10, 22), D(2008, 10, 23)), ""),
    ("2019年5月1日", (D(2019, 5, 1), D(2019, 5, 2)), ""),
    ("2019/12/31", (D(2019, 12, 31), D(2020, 1, 1)), ""),
    # a season (northern range here; the southern one is tested below)
    ("summer 2019", (D(2019, 6, 1), D(2019, 9, 1)), ""),
    ("the summer of 2019", (D(2019, 6, 1), D(2019, 9, 1)), "the"),
    ("2019 winter", (D(2019, 12, 1), D(2020, 3, 1)), ""),
    ("fall 2018", (D(2018, 9, 1), D(2018, 12, 1)), ""),
    ("2019年夏天", (D(2019, 6, 1), D(2019, 9, 1)), ""),
    ("2019年的春季", (D(2019, 3, 1), D(2019, 6, 1)), ""),
    ("2019年冬", (D(2019, 12, 1), D(2020, 3, 1)), ""),
    # relative
    ("last summer", (D(2025, 6, 1), D(2025, 9, 1)), ""),
    ("last winter", (D(2025, 12, 1), D(2026, 3, 1)), ""),  # just over
    ("this summer", (D(2026, 6, 1), D(2026, 9, 1)), ""),
    ("last year", (D(2025, 1, 1), D(2026, 1, 1)), ""),
    ("this year", (D(2026, 1, 1), D(2027, 1, 1)), ""),
    ("this month", (D(2026, 3, 1), D(2026, 4, 1)), ""),
    ("last month", (D(2026, 2, 1), D(2026, 3, 1)), ""),
    ("this week", (D(2026, 3, 16), D(2026, 3, 23)), ""),
    ("last week", (D(2026, 3, 9), D(2026, 3, 16)), ""),
    ("today", (D(2026, 3, 18), D(2026, 3, 19)), ""),
    ("cats yesterday", (D(2026, 3, 17), D(2026, 3, 18)), "cats"),
    ("去年", (D(2025, 1, 1), D(2026, 1, 1)), ""),
    ("今年", (D(2026, 1, 1), D(2027, 1, 1)), ""),
    ("前年", (D(2024, 1, 1), D(2025, 1, 1)), ""),
    ("去年夏天", (D(2025, 6, 1), D(2025, 9, 1)), ""),
    ("去年夏天的海滩", (D(2025, 6, 1), D(2025, 9, 1)), "的海滩"),
    ("今年5月", (D(2026, 5, 1), D(2026, 6, 1)), ""),
    ("上个月", (D(2026, 2, 1), D(2026, 3, 1)), ""),
    ("这个月", (D(2026, 3, 1), D(2026, 4, 1)), ""),
    ("昨天", (D(2026, 3, 17), D(2026, 3, 18)), ""),
    ("上周", (D(2026, 3, 9), D(2026, 3, 16)), ""),
    # ranges: the last point is included
    ("from 2015 to 2017", (D(2015, 1, 1), D(2018, 1, 1)), ""),
    ("between May 2008 and June 2009", (D(2008, 5, 1), D(2009, 7, 1)), ""),
    ("2015-2017", (D(2015, 1, 1), D(2018, 1, 1)), ""),
    ("kids 2015 to 2017", (D(2015, 1, 1), D(2018, 1, 1)), "kids"),
    ("2015年到2017年", (D(2015, 1, 1), D(2018, 1, 1)), ""),
    ("从2019年5月至2019年8月", (D(2019, 5, 1), D(2019, 9, 1)), ""),
    # open ranges
    ("since 2024", (D(2024, 1, 1), D(2026, 3, 19)), ""),
    ("after 2019", (D(2020, 1, 1), OPEN_END), ""),
    ("before May 2008", (OPEN_START, D(2008, 5, 1)), ""),
    ("2019年以前", (OPEN_START, D(2019, 1, 1)), ""),
    ("2019年以后", (D(2020, 1, 1), OPEN_END), ""),
]


@pytest.mark.parametrize(("query", "span", "rest"), CASES, ids=[c[0] for c in CASES])
def test_each_date_form(query: str, span: tuple[date, date], rest: str) -> None:
    ranges, remaining = find_dates(query, TODAY)
    assert [(r.start, r.end) for r in ranges] == [span]
    assert remaining == rest


@pytest.mark.parametrize(
    "query",
    [
        "a nice day",
        "may flowers",  # a month name without a year is a word
        "1000 lanterns",  # outside the years photographs exist
        "route 66",
        "2019-13",  # no month 13: stays text
        "2019-02-30",
        "a12019b",
        "sunset",
    ],
)
def test_words_that_only_look_like_dates_stay_text(query: str) -> None:
    assert find_dates(query, TODAY) == ((), query)


def test_seasons_follow_the_hemisphere() -> None:
    (summer,), _ = find_dates("summer 2019", TODAY)
    assert summer.contains(D(2019, 7, 10), latitude=43.5)  # Arezzo in July
    assert not summer.contains(D(2019, 7, 10), latitude=-33.9)  # Sydney's winter
    assert summer.contains(D(2020, 1, 10), latitude=-33.9)  # Sydney's summer
    assert summer.contains(D(2019, 7, 10), latitude=None)  # unknown place: northern
    winter = season_range("winter", 2019).for_latitude(-33.9)
    assert (winter.start, winter.end) == (D(2019, 6, 1), D(2019, 9, 1))


def test_a_range_of_seasons_keeps_both_hemispheres() -> None:
    (span,), _ = find_dates("from summer 2018 to summer 2019", TODAY)
    assert (span.start, span.end) == (D(2018, 6, 1), D(2019, 9, 1))
    south = span.for_latitude(-1)
    assert (south.start, south.end) == (D(2018, 12, 1), D(2020, 3, 1))


def test_several_dates_are_several_filters() -> None:
    ranges, rest = find_dates("2019 dogs May 2019", TODAY)
    assert [(r.start, r.end) for r in ranges] == [
        (D(2019, 1, 1), D(2020, 1, 1)),
        (D(2019, 5, 1), D(2019, 6, 1)),
    ]
    assert rest == "dogs"


def test_each_range_keeps_the_words_it_came_from() -> None:
    (span,), _ = find_dates("beach in summer 2019", TODAY)
    assert span.text == "in summer 2019"
    assert span.as_json()["start"] == "2019-06-01"
    assert span.as_json()["southern"] == {"start": "2019-12-01", "end": "2020-03-01"}
