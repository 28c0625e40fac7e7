"""Where and when in the window: filter chips, the Places tree, the Events section, the
map (a click on a cluster filters the grid) and the place in the photo view."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from photoorg.services.library import Library
from photoorg.ui.widgets.sidebar import ALL, Scope, ScopeRole
from tests.support.places_corpus import copy_gps_photos
from tests.ui.conftest import START_TIMEOUT, search, shown_paths, wait_idle

DSCN = {f"DSCN00{n}.jpg" for n in (10, 12, 21, 25, 27, 29, 38, 40, 42)}


@pytest.fixture(scope="module")
def gps_catalog(tmp_path_factory) -> Path:
    """The corpus's GPS photos (Arezzo, Kenya, Missouri) and two without GPS, indexed
    without the model: places and events need none."""
    root = tmp_path_factory.mktemp("places-ui")
    photos = copy_gps_photos(root / "photos")
    with Library(root / "catalog") as library:
        library.index([photos], encode=False)
    return root / "catalog"


@pytest.fixture
def window(make_window, gps_catalog, tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(gps_catalog, catalog)
    return make_window(catalog)


def names(paths: list[str]) -> set[str]:
    return {Path(p).name for p in paths}


def section_items(window, key: str) -> list:
    section = window.sidebar._sections[key]
    return [section.child(i) for i in range(section.childCount())]


def select(qtbot, window, item) -> None:
    before = window.browser.generation
    window.sidebar.setCurrentItem(item)
    qtbot.waitUntil(lambda: window.browser.generation > before, timeout=START_TIMEOUT)
    wait_idle(qtbot, window)


def test_places_tree_country_region_city_with_counts(qtbot, window) -> None:
    countries = section_items(window, "places")
    assert [(i.text(0), i.text(1)) for i in countries] == [
        ("Italy", "9"),
        ("Kenya", "1"),
        ("United States", "1"),
    ]
    tuscany = countries[0].child(0)
    assert (tuscany.text(0), tuscany.text(1)) == ("Tuscany", "9")
    assert (tuscany.child(0).text(0), tuscany.child(0).text(1)) == ("Arezzo", "9")
    assert "意大利" in countries[0].toolTip(0)
    select(qtbot, window, countries[0])
    assert names(shown_paths(window)) == DSCN
    assert window.browser.title.text() == "Italy"
    # The scope shows as a chip; removing it goes back to all photos.
    (chip,) = window.browser.chips.chips
    assert chip.text == "Italy"
    before = window.browser.generation
    window.browser.chips.button(chip).click()
    qtbot.waitUntil(lambda: window.browser.generation > before, timeout=START_TIMEOUT)
    wait_idle(qtbot, window)
    assert window.browser.scope == ALL
    assert len(shown_paths(window)) == 13


def test_events_section_newest_first_with_covers(qtbot, window) -> None:
    events = section_items(window, "events")
    titles = [item.text(0) for item in events]
    assert titles[0].startswith("Blue Springs, United States · 11 Apr 2021")
    assert "Arezzo, Italy · 22 Oct 2008" in titles
    arezzo = events[titles.index("Arezzo, Italy · 22 Oct 2008")]
    assert arezzo.text(1) == "9"
    qtbot.waitUntil(lambda: not arezzo.icon(0).isNull(), timeout=START_TIMEOUT)  # its cover
    select(qtbot, window, arezzo)
    assert names(shown_paths(window)) == DSCN
    scope = arezzo.data(0, ScopeRole)
    assert scope.kind == "event" and window.browser.title.text() == arezzo.text(0)


def test_chips_show_the_filters_a_query_became_and_undo_one(qtbot, window) -> None:
    search(qtbot, window, "photos from 2008 in Italy")
    assert names(shown_paths(window)) == DSCN
    chips = window.browser.chips
    assert [(c.kind, c.text) for c in chips.chips] == [("date", "from 2008"), ("place", "Italy")]
    assert chips.isVisible()
    place = chips.chips[1]
    before = window.browser.generation
    qtbot.mouseClick(chips.button(place), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.browser.generation > before, timeout=START_TIMEOUT)
    wait_idle(qtbot, window)
    assert window.browser.search_bar.text == "photos from 2008"
    # Every photo of 2008 now, wherever it was taken (two have no GPS at all).
    assert names(shown_paths(window)) == DSCN | {"Canon_40D.jpg", "Nikon_D70.jpg"}
    assert [c.text for c in chips.chips] == ["from 2008"]


def test_clicking_a_cluster_on_the_map_filters_the_grid(qtbot, window) -> None:
    window.commands.actions["map"].trigger()
    view = window.map_view
    assert window.pages.currentWidget() is view
    qtbot.waitUntil(lambda: len(view.clusters) == 3, timeout=START_TIMEOUT)
    arezzo = next(item for item in view.clusters if len(item.cluster.photo_ids) == 9)
    before = window.browser.generation
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.position_of(arezzo).toPoint()
    )
    qtbot.waitUntil(lambda: window.browser.generation > before, timeout=START_TIMEOUT)
    wait_idle(qtbot, window)
    assert window.pages.currentWidget() is window.browser
    assert names(shown_paths(window)) == DSCN
    assert window.browser.scope.kind == "photos"
    assert window.browser.title.text() == "9 photos on the map"


def test_photo_view_shows_the_place(qtbot, window) -> None:
    window.sidebar.select_scope(Scope("place", "Kenya"))
    qtbot.waitUntil(
        lambda: names(shown_paths(window)) == {"Kodak_CX7530.jpg"}, timeout=START_TIMEOUT
    )
    window.show_photo_at(0)
    wait_idle(qtbot, window)
    assert window.photo_view.meta_values["Place"].text() == "Nakuru, Nakuru County, Kenya"
