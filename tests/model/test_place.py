"""Place and DateRange, the plain values."""

from __future__ import annotations

from datetime import date

import pytest

from photoorg.model.place import DateRange, Place

AREZZO = Place("Arezzo", "Tuscany", "Italy", "IT", None, "托斯卡纳", "意大利")


def test_a_place_names_itself_in_english_and_chinese() -> None:
    assert AREZZO.label() == "Arezzo, Italy"
    assert AREZZO.label("zh_CN") == "意大利 Arezzo"
    at_sea = Place(None, "Azores", "Portugal", "PT", country_zh="葡萄牙")
    assert (at_sea.label(), at_sea.label("zh")) == ("Portugal", "葡萄牙")
    assert AREZZO.names() == ("Arezzo", "Tuscany", "托斯卡纳", "Italy", "意大利")
    assert AREZZO.as_json()["country_code"] == "IT"


def test_an_empty_date_range_is_refused() -> None:
    with pytest.raises(ValueError):
        DateRange(date(2020, 1, 1), date(2020, 1, 1))


def test_a_season_range_picks_its_hemisphere() -> None:
    south = DateRange(date(2019, 12, 1), date(2020, 3, 1))
    summer = DateRange(date(2019, 6, 1), date(2019, 9, 1), southern=south, text="summer 2019")
    assert summer.for_latitude(-34).start == date(2019, 12, 1)
    assert summer.for_latitude(45).start == summer.for_latitude(None).start == date(2019, 6, 1)
    assert summer.for_latitude(0).southern is None
    assert summer.contains(date(2019, 8, 31)) and not summer.contains(date(2019, 9, 1))
