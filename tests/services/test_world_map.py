"""The shipped world map and the clustering of photo positions."""

from __future__ import annotations

import pytest

from photoorg.services.world_map import MAP_FILE, cluster_positions, outlines


def test_the_map_ships_every_country_small_enough() -> None:
    assert MAP_FILE.stat().st_size < 1_000_000
    countries = {outline.name: outline for outline in outlines()}
    assert len(countries) > 170
    assert {"Italy", "Kenya", "United States of America", "China", "Antarctica"} <= set(countries)
    lons = [lon for ring in countries["Italy"].rings for lon, _ in ring]
    lats = [lat for ring in countries["Italy"].rings for _, lat in ring]
    # Italy's mainland and islands lie within these bounds (Lampedusa to the Alps).
    assert (
        6 < min(lons) < 7.5
        and 18 < max(lons) < 19
        and 35 < min(lats) < 37
        and 46 < max(lats) < 47.5
    )
    # Russia crosses the 180th meridian in one continuous ring, not a line across the map.
    russia = [lon for ring in countries["Russia"].rings for lon, _ in ring]
    assert max(russia) > 180


def test_nearby_photos_cluster_and_far_ones_do_not() -> None:
    arezzo = [(i, 43.46 + i * 0.001, 11.88) for i in range(9)]
    kenya = [(20, -0.37, 36.06)]
    clusters = cluster_positions([*arezzo, *kenya, (30, None, 1.0), (31, 95.0, 0.0)], 5.0)
    assert [c.photo_ids for c in clusters] == [tuple(range(9)), (20,)]
    assert clusters[0].lat == pytest.approx(43.464) and clusters[0].lon == pytest.approx(11.88)
    # Zoomed in far enough, the Arezzo photos separate.
    assert len(cluster_positions(arezzo, 0.0001)) == 9


def test_a_cell_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        cluster_positions([], 0)
