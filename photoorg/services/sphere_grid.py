"""Exact nearest neighbours among fixed points on the unit sphere, with numpy alone.

The gazetteer asks two things: the nearest of 155k places to each photo of a batch, and
the places within a few tens of km of one place. scipy's k-d tree answered both, but
scipy is 76 MiB of the desktop package (which must stay under 1.2 GB) and 0.2 s of a
command's start, for this one structure. A uniform grid over the cube that holds the
sphere answers both exactly: a point within ``cell`` of a query lies in one of the 27
cells around the query's cell, so a nearest found closer than ``cell`` is the nearest of
all; the rare query with nothing that close (far out at sea) is searched in full.
"""

from __future__ import annotations

import numpy as np

_STEPS = np.array([(x, y, z) for x in (-1, 0, 1) for y in (-1, 0, 1) for z in (-1, 0, 1)])


class SphereGrid:
    """Points (n, 3) on the unit sphere, bucketed in cubes of side ``cell`` (a chord)."""

    def __init__(self, points: np.ndarray, cell: float) -> None:
        self.points = np.ascontiguousarray(points, dtype=np.float64)
        self.cell = float(cell)
        # One cell of margin on each side, so a neighbour's key is never negative.
        self._side = int(np.ceil(2.0 / self.cell)) + 3
        keys = self._keys(self._cells(self.points))
        self._order = np.argsort(keys, kind="stable")
        self._cell_keys, self._starts, counts = np.unique(
            keys[self._order], return_index=True, return_counts=True
        )
        self._ends = self._starts + counts
        self._steps = self._keys(_STEPS)
        self._next: SphereGrid | None = None  # built when a query finds nothing near

    def __len__(self) -> int:
        return len(self.points)

    def _cells(self, xyz: np.ndarray) -> np.ndarray:
        return np.floor((xyz + 1.0) / self.cell).astype(np.int64) + 1

    def _keys(self, cells: np.ndarray) -> np.ndarray:
        return (cells[..., 0] * self._side + cells[..., 1]) * self._side + cells[..., 2]

    def _candidates(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(query index, point index) for every point in the 27 cells around each query,
        grouped by query in order."""
        keys = self._keys(self._cells(queries))[:, None] + self._steps[None, :]
        slot = np.minimum(np.searchsorted(self._cell_keys, keys), len(self._cell_keys) - 1)
        found = self._cell_keys[slot] == keys
        starts = np.where(found, self._starts[slot], 0).ravel()
        counts = np.where(found, self._ends[slot] - self._starts[slot], 0).ravel()
        total = int(counts.sum())
        first = np.repeat(np.cumsum(counts) - counts, counts)
        positions = np.repeat(starts, counts) + (np.arange(total) - first)
        owners = np.repeat(np.repeat(np.arange(len(queries)), len(self._steps)), counts)
        return owners, self._order[positions]

    def nearest(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each query (m, 3): the chord distance to its nearest point, and its index."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float64))
        distance = np.full(len(queries), np.inf)
        index = np.zeros(len(queries), dtype=np.int64)
        # Candidates per query grow with the cell: bound the arrays of a coarse level.
        chunk = max(1, int(4096 * (0.004 / self.cell) ** 2))
        for start in range(0, len(queries), chunk):
            part = slice(start, start + chunk)
            distance[part], index[part] = self._nearest_near(queries[part])
        far = np.flatnonzero(distance > self.cell)
        if len(far):  # nothing within a cell: ask a grid of cells eight times as big
            distance[far], index[far] = self._coarser().nearest(queries[far])
        return distance, index

    def _nearest_near(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The nearest point among each query's 27 cells (inf where there is none)."""
        distance = np.full(len(queries), np.inf)
        index = np.zeros(len(queries), dtype=np.int64)
        owners, points = self._candidates(queries)
        if not len(owners):
            return distance, index
        # Squared chord from the dot product: 2 - 2 p.q on the unit sphere.
        gaps = 2.0 - 2.0 * np.einsum("ij,ij->i", self.points[points], queries[owners])
        asked, first = np.unique(owners, return_index=True)
        least = np.minimum.reduceat(gaps, first)
        is_least = gaps <= np.repeat(least, np.diff(np.append(first, len(gaps))))
        winner = np.unique(owners[is_least], return_index=True)[1]
        distance[asked] = np.sqrt(np.maximum(least, 0.0))
        index[asked] = points[is_least][winner]
        return distance, index

    def _coarser(self) -> SphereGrid:
        if self._next is None:
            self._next = SphereGrid(self.points, self.cell * 8)
        return self._next

    def within(self, point: np.ndarray, radius: float) -> np.ndarray:
        """Indices of the points within ``radius`` (a chord) of ``point``."""
        if radius > self.cell:
            candidates = np.arange(len(self.points))
        else:
            candidates = self._candidates(np.atleast_2d(point))[1]
        gaps = np.linalg.norm(self.points[candidates] - point, axis=1)
        return np.sort(candidates[gaps <= radius])
