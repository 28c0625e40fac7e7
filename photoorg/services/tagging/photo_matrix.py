"""All stored image embeddings of one model as one float32 matrix, kept in memory.

Why: re-tagging is one matrix product, but reading 100,000 vectors out of SQLite costs
more than the product itself. So the matrix is read once and kept; a counter that
triggers bump on every change to the embeddings table (schema M002) says when it is
stale, whichever process or thread wrote. Above ``MAX_CACHED`` photos the matrix is
not kept, and callers stream chunks straight from SQLite instead (bounded memory).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from photoorg.store import counters, embeddings
from photoorg.store.catalog import Catalog

MAX_CACHED = 2_000_000
"""Photos whose vectors are kept in memory (2M x 512 float32 = 4 GB is the ceiling)."""

CHUNK = 16_384
"""Rows per block of the product: scores for 200 labels stay at ~13 MB."""


@dataclass(frozen=True)
class Snapshot:
    """Ids and vectors as of one counter value. ``matrix`` is None when streaming."""

    model: str
    generation: int
    ids: np.ndarray
    matrix: np.ndarray | None
    dim: int
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    def chunks(
        self, catalog: Catalog, rows: np.ndarray | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``(ids, vectors)`` blocks, all photos or those at positions ``rows``."""
        if self.matrix is not None:
            positions = np.arange(len(self.ids)) if rows is None else rows
            for start in range(0, len(positions), CHUNK):
                block = positions[start : start + CHUNK]
                if rows is None:
                    yield self.ids[start : start + CHUNK], self.matrix[start : start + CHUNK]
                else:
                    yield self.ids[block], self.matrix[block]
            return
        wanted = None if rows is None else set(self.ids[rows].tolist())
        for ids, matrix in embeddings.stream(catalog.read, self.model, self.dim):
            if wanted is not None:
                keep = np.fromiter((i in wanted for i in ids.tolist()), bool, len(ids))
                ids, matrix = ids[keep], matrix[keep]
            if len(ids):
                yield ids, matrix

    def vectors(self, catalog: Catalog, photo_ids: list[int]) -> np.ndarray:
        """The vectors of ``photo_ids`` that exist, in that order (missing ones skipped)."""
        if not len(photo_ids):
            return np.zeros((0, self.dim), np.float32)
        if self.matrix is not None:
            pos = self.positions(photo_ids)
            return self.matrix[pos[pos >= 0]]
        found = embeddings.get(catalog.read, self.model, photo_ids, self.dim)
        rows = [found[i] for i in photo_ids if i in found]
        return np.stack(rows) if rows else np.zeros((0, self.dim), np.float32)

    def positions(self, photo_ids: list[int] | np.ndarray) -> np.ndarray:
        """Row of each photo id in ``ids`` (sorted), -1 where absent."""
        wanted = np.asarray(photo_ids, np.int64)
        if not len(self.ids):
            return np.full(len(wanted), -1, np.int64)
        pos = np.searchsorted(self.ids, wanted).clip(0, len(self.ids) - 1)
        return np.where(self.ids[pos] == wanted, pos, -1)

    def sample(self, catalog: Catalog, size: int, seed: int = 0) -> np.ndarray:
        """Up to ``size`` vectors picked at random (fixed seed: thresholds stay put)."""
        if (size, seed) not in self._memo:
            self._memo[(size, seed)] = self._sample(catalog, size, seed)
        return self._memo[(size, seed)]

    def _sample(self, catalog: Catalog, size: int, seed: int) -> np.ndarray:
        if self.matrix is not None:
            if len(self.ids) <= size:
                return self.matrix
            rng = np.random.default_rng(seed)
            return self.matrix[np.sort(rng.choice(len(self.ids), size, replace=False))]
        return embeddings.sample(catalog.read, self.model, size, self.dim)


class PhotoMatrix:
    """Hands out the current ``Snapshot`` of a catalog's embeddings, re-reading on change."""

    def __init__(self, catalog: Catalog, max_cached: int = MAX_CACHED) -> None:
        self.catalog = catalog
        self.max_cached = max_cached
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def snapshot(self, model: str, dim: int) -> Snapshot:
        db = self.catalog.read
        generation = counters.counter(db, "embeddings")
        with self._lock:
            current = self._snapshot
            if current and (current.model, current.generation, current.dim) == (
                model,
                generation,
                dim,
            ):
                return current
            # The counter is read before the vectors: a write racing with this read leaves
            # a newer counter behind, so the next call reads again.
            if embeddings.count(db, model) > self.max_cached:
                snapshot = Snapshot(model, generation, embeddings.ids(db, model), None, dim)
            else:
                ids, matrix = embeddings.load_all(db, model, dim)
                snapshot = Snapshot(model, generation, ids, np.ascontiguousarray(matrix), dim)
            self._snapshot = snapshot
            return snapshot

    def invalidate(self) -> None:
        with self._lock:
            self._snapshot = None
