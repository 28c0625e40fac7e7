"""The grid gives exactly what a full search gives: nearest points and balls on the sphere."""

from __future__ import annotations

import numpy as np
import pytest

from photoorg.services.geocoding import unit_vectors
from photoorg.services.sphere_grid import SphereGrid


def random_positions(rng: np.random.Generator, n: int) -> np.ndarray:
    return unit_vectors(np.degrees(np.arcsin(rng.uniform(-1, 1, n))), rng.uniform(-180, 180, n))


@pytest.fixture(scope="module")
def places() -> np.ndarray:
    """Clustered like a gazetteer: dense towns, empty oceans, points at the poles and on
    the 180th meridian."""
    rng = np.random.default_rng(3)
    centres = random_positions(rng, 40)
    clusters = np.repeat(centres, 250, axis=0) + rng.normal(0, 0.01, (40 * 250, 3))
    edges = unit_vectors(np.array([90.0, -90.0, 0.0, 0.0]), np.array([0.0, 0.0, 180.0, -180.0]))
    points = np.vstack([clusters, edges])
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def brute_nearest(points: np.ndarray, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    gaps = np.linalg.norm(points[None, :, :] - queries[:, None, :], axis=2)
    index = gaps.argmin(axis=1)
    return gaps[np.arange(len(queries)), index], index


@pytest.mark.parametrize("cell", [0.002, 0.01, 0.3])
def test_nearest_is_exact_near_and_far(places, cell):
    rng = np.random.default_rng(4)
    near = places[rng.integers(0, len(places), 300)] + rng.normal(0, 0.003, (300, 3))
    near /= np.linalg.norm(near, axis=1, keepdims=True)
    queries = np.vstack([near, random_positions(rng, 100), places[:5]])  # oceans; exact hits
    distance, index = SphereGrid(places, cell).nearest(queries)
    want_distance, want_index = brute_nearest(places, queries)
    np.testing.assert_allclose(distance, want_distance, atol=1e-7)
    # Ties aside (duplicate points), the same point.
    assert np.all((index == want_index) | np.isclose(distance, want_distance, atol=1e-12))
    assert np.all(distance[-5:] < 1e-7)


def test_within_is_exact_and_sorted(places):
    grid = SphereGrid(places, 0.02)
    rng = np.random.default_rng(5)
    for point in places[rng.integers(0, len(places), 20)]:
        for radius in (0.005, 0.02, 0.05):  # the last is wider than a cell
            gaps = np.linalg.norm(places - point, axis=1)
            np.testing.assert_array_equal(
                grid.within(point, radius), np.flatnonzero(gaps <= radius)
            )


def test_an_empty_batch_and_one_point():
    grid = SphereGrid(unit_vectors(np.array([10.0]), np.array([20.0])), 0.01)
    distance, index = grid.nearest(np.zeros((0, 3)))
    assert distance.shape == index.shape == (0,)
    distance, index = grid.nearest(unit_vectors(np.array([-10.0]), np.array([-160.0])))
    assert index.tolist() == [0] and 0 < distance[0] <= 2
