"""The HNSW vector index over L2-normalised CLIP embeddings.

The catalog (SQLite) is the source of truth; this index is a cache that can always be
rebuilt from the stored embeddings. hnswlib labels are photo ids. The space is inner
product on unit vectors, so a score is the cosine similarity (hnswlib reports the
distance 1 - ip).

Saving returns an ``IndexManifest`` (sha256, size, element counts, dim, model) that the
caller stores in the catalog; loading checks the file against it before hnswlib ever
sees the file, because hnswlib's loader trusts the file's header (see hnswfile.py).
Any mismatch raises IndexFileError, and the caller rebuilds from SQLite.

Thread safety: hnswlib allows concurrent searches, but not a search during an insert,
and a resize with nothing; its bindings release the GIL. A readers-writer lock gives
searches and saves the shared side and add/remove/resize the exclusive side. An insert
holds off searches while it runs (about 1-5 ms a vector at 512-d on a laptop CPU), so
add in batches of hundreds, or build a big index on its own and swap it in.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Union

import hnswlib
import numpy as np

from photoorg.media.files import replacing
from photoorg.store.vectors.exact import empty_result, exact_search, exact_search_merge
from photoorg.store.vectors.hnswfile import (
    HnswFormatError,
    IndexFileError,
    IndexManifest,
    check_saved_index,
    hash_file,
    read_hnsw_file,
)
from photoorg.store.vectors.rwlock import RWLock

log = logging.getLogger(__name__)

SPACE = "ip"
EXACT_FACTOR = 10
"""A search restricted to m allowed photos out of n is done exactly with numpy when
m * m <= EXACT_FACTOR * n. A graph walk under a selective filter visits about n / m
elements per result it keeps, each with a call back into Python, so its cost grows as the
filter narrows; the exact path costs one hnswlib ``get_items`` per allowed photo, which is
slow (0.1-0.3 ms a row at 512-d: it builds Python lists), so its cost grows with m.
Measured on 100k x 512-d (benchmarks/bench_index.py --filtered): 100 allowed, exact 35 ms
vs graph 1.4 s; 1,000 allowed, 256 vs 276 ms; 10,000 allowed, 1.3 s vs 49 ms. The rule
puts the switch at about 1,000 for 100k photos and 3,200 for a million."""
_EXACT_CHUNK = 4_096

_ADD_PARALLEL_MIN = 2_000  # below this, threads cost more than they save
_NORM_TOLERANCE = 1e-3

Allowed = Union[Callable[[int], bool], Iterable[int], None]  # noqa: UP007 - runtime alias on 3.10


class VectorIndex:
    """An HNSW index of unit vectors keyed by photo id; safe to share between threads."""

    def __init__(
        self,
        dim: int,
        *,
        max_elements: int = 1024,
        M: int = 32,
        ef_construction: int = 200,
        ef: int = 100,
        threads: int | None = None,
        seed: int = 100,
    ) -> None:
        # M=32 rather than hnswlib's usual 16: on a million clustered 512-d vectors M=16
        # reached recall@10 0.94 at ef=100 and levelled off near 0.98 even at ef=800, while
        # M=32 gave 0.995 at ef=100 for 6% more memory (the vectors dominate at 512-d)
        # and twice the build time (benchmarks/bench_index.py). M is fixed until a
        # rebuild, while ef can change any time, so M is the one to choose generously.
        if dim < 1:
            raise ValueError(f"dim must be positive, not {dim}")
        index = hnswlib.Index(space=SPACE, dim=dim)
        index.init_index(
            max_elements=max(1, max_elements),
            M=M,
            ef_construction=ef_construction,
            random_seed=seed,
        )
        self._setup(index, dim, ef, threads, labels=[], deleted=[])

    def _setup(
        self,
        index: hnswlib.Index,
        dim: int,
        ef: int,
        threads: int | None,
        labels: Iterable[int],
        deleted: Iterable[int],
    ) -> None:
        self._index = index
        self._dim = dim
        # Searches come one query at a time from several Python threads, so each call
        # runs on its own thread; a thread pool inside hnswlib would only add overhead.
        # Bulk inserts use every core.
        self._index.set_num_threads(1)
        self._add_threads = threads or os.cpu_count() or 1
        # hnswlib forgets ef on save/load (a loaded index searches with ef=10).
        self._index.set_ef(max(1, ef))
        self._lock = RWLock()
        # Python-side bookkeeping, because hnswlib cannot say from Python which labels it
        # holds without copying them all, nor which are deleted at all.
        self._labels: set[int] = set(labels)  # every label in hnswlib, deleted ones too
        self._deleted: set[int] = set(deleted)

    # -- properties ---------------------------------------------------------------

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def ef(self) -> int:
        return int(self._index.ef)

    @ef.setter
    def ef(self, value: int) -> None:
        with self._lock.write():
            self._index.set_ef(max(1, int(value)))

    @property
    def capacity(self) -> int:
        return int(self._index.get_max_elements())

    @property
    def deleted_count(self) -> int:
        """Deleted elements still stored; they slow searches, so rebuild when this is large."""
        with self._lock.read():
            return len(self._deleted)

    def __len__(self) -> int:
        with self._lock.read():
            return len(self._labels) - len(self._deleted)

    def __contains__(self, photo_id: object) -> bool:
        if not isinstance(photo_id, (int, np.integer)):
            return False
        with self._lock.read():
            i = int(photo_id)
            return i in self._labels and i not in self._deleted

    def ids(self) -> np.ndarray:
        """The live photo ids, sorted, as int64."""
        with self._lock.read():
            live = self._labels - self._deleted
        return np.sort(np.fromiter(live, dtype=np.int64, count=len(live)))

    # -- building -----------------------------------------------------------------

    @classmethod
    def build(cls, ids: Iterable[int], vectors: np.ndarray, **kwargs: Any) -> VectorIndex:
        """Build an index in one go (e.g. from catalog rows); kwargs go to the constructor.

        To stream a large library without holding every vector at once, create an index
        with ``max_elements`` set to the total and ``add`` it in batches instead.
        """
        ids_arr = _as_ids(ids)
        vectors = np.asarray(vectors)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be 2-D, not shape {vectors.shape}")
        kwargs["max_elements"] = max(len(ids_arr), kwargs.get("max_elements", 0), 1)
        index = cls(vectors.shape[1], **kwargs)
        index.add(ids_arr, vectors)
        return index

    def add(self, ids: Iterable[int], vectors: np.ndarray) -> None:
        """Insert vectors; an id already present (even deleted) gets the new vector."""
        ids_arr = _as_ids(ids)
        vecs = self._prepare(vectors)
        if len(ids_arr) != len(vecs):
            raise ValueError(f"{len(ids_arr)} ids for {len(vecs)} vectors")
        if len(ids_arr) == 0:
            return
        ids_arr, vecs = _last_of_duplicates(ids_arr, vecs)
        id_list = ids_arr.tolist()
        threads = self._add_threads if len(id_list) >= _ADD_PARALLEL_MIN else 1
        with self._lock.write():
            new = sum(1 for i in id_list if i not in self._labels)
            self._reserve(len(self._labels) + new)
            try:
                # Without allow_replace_deleted, hnswlib's addPoint on a deleted label
                # unmarks it and updates its vector in place: exactly "re-add".
                self._index.add_items(vecs, ids_arr, num_threads=threads)
            except BaseException:
                self._resync(id_list)
                raise
            self._labels.update(id_list)
            self._deleted.difference_update(id_list)

    def remove(self, ids: Iterable[int]) -> None:
        """Mark ids deleted; ids that are absent or already deleted are ignored."""
        id_list = _as_ids(ids).tolist()
        with self._lock.write():
            for i in id_list:
                # hnswlib raises on an unknown label and on deleting twice.
                if i in self._labels and i not in self._deleted:
                    self._index.mark_deleted(i)
                    self._deleted.add(i)

    def _reserve(self, needed: int) -> None:
        capacity = self._index.get_max_elements()
        if needed > capacity:
            # Geometric growth keeps the total copying linear; resize_index reallocates,
            # so memory briefly holds both the old and the new block.
            self._index.resize_index(max(needed, capacity + capacity // 2, 1024))

    def _resync(self, touched: list[int]) -> None:
        # A failed batch may be partly in: ask hnswlib what it now holds.
        self._labels = {int(i) for i in self._index.get_ids_list()}
        for i in self._deleted.intersection(touched):
            try:
                self._index.get_items([i])  # raises "Label not found" while deleted
            except RuntimeError:
                continue
            self._deleted.discard(i)

    # -- searching ----------------------------------------------------------------

    def search(
        self,
        queries: np.ndarray,
        k: int,
        *,
        ef: int | None = None,
        allowed: Allowed = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest live photos to each query, best first.

        ``queries`` is one vector or a (n, dim) array; it is normalised here. Returns
        (ids int64, cosine scores float32), both shaped (n, k'), with k' = k clamped to the
        number of candidates. ``ef`` raises the search breadth for this call (it can only
        widen the index-wide ``ef``). ``allowed`` restricts results to a set of ids (any
        iterable; prefer this) or to ids a callable accepts. hnswlib calls the callable
        for every candidate it visits, under this index's read lock: keep it cheap and
        never call back into the index from it (the lock is not reentrant).
        """
        if k < 0:
            raise ValueError(f"k must not be negative, not {k}")
        q = self._prepare(queries)
        with self._lock.read():
            if allowed is None:
                return self._knn(q, k, ef, len(self._labels) - len(self._deleted), None)
            if callable(allowed):
                try:
                    return self._knn(q, k, ef, len(self._labels) - len(self._deleted), allowed)
                except _TooFew:
                    # Fewer than k ids pass the filter: spell them out and search exactly.
                    allowed = [i for i in self._labels - self._deleted if allowed(i)]
            candidates = {
                i for i in _as_ids(allowed).tolist() if i in self._labels and i not in self._deleted
            }
            if len(candidates) ** 2 <= EXACT_FACTOR * (len(self._labels) - len(self._deleted)):
                return self._exact(q, k, np.fromiter(candidates, np.int64, len(candidates)))
            try:
                return self._knn(q, k, ef, len(candidates), candidates.__contains__)
            except _TooFew:
                return self._exact(q, k, np.fromiter(candidates, np.int64, len(candidates)))

    def _knn(
        self, q: np.ndarray, k: int, ef: int | None, available: int, filt: Callable | None
    ) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, available)
        if k == 0 or len(q) == 0:
            return empty_result(len(q))
        # hnswlib searches with max(ef, k) and cannot take ef per call (set_ef is global
        # and would race with other searches), so a wider per-call ef is asking for more
        # neighbours and keeping the first k.
        wanted = min(max(k, ef or 0), available)
        try:
            labels, distances = self._index.knn_query(q, k=wanted, num_threads=1, filter=filt)
        except RuntimeError as exc:
            # "Cannot return the results in a contiguous 2D array": some query found fewer
            # than `wanted` elements (a filter that passes few, or a graph that deletions
            # have cut apart).
            if "contiguous" not in str(exc):
                raise
            if filt is not None:
                raise _TooFew from exc
            # Correct but slow on a big index; it only happens when deletions have cut
            # the graph apart, which a rebuild from the catalog repairs.
            live = np.fromiter(self._labels - self._deleted, np.int64)
            log.warning("vector index graph is fragmented; searching %d vectors exactly", len(live))
            return self._exact(q, k, live)
        scores = 1.0 - distances[:, :k]
        # Rounding can put a self-match a hair above 1 (ufuncs: np.clip is slower).
        np.minimum(scores, 1.0, out=scores)
        np.maximum(scores, -1.0, out=scores)
        # Labels are photo ids below 2**63: reinterpret hnswlib's uint64 without a copy.
        return labels[:, :k].view(np.int64), scores

    def _exact(
        self, q: np.ndarray, k: int, candidates: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        # Vectors come out of hnswlib in chunks: get_items builds Python lists first.
        best = empty_result(len(q))
        for start in range(0, len(candidates), _EXACT_CHUNK):
            chunk = candidates[start : start + _EXACT_CHUNK]
            found = exact_search(q, chunk, self._vectors(chunk), k)
            best = exact_search_merge(best, found, k)
        return best

    def _vectors(self, ids: np.ndarray) -> np.ndarray:
        return np.asarray(self._index.get_items(ids.astype(np.uint64)), dtype=np.float32)

    def _prepare(self, vectors: np.ndarray) -> np.ndarray:
        v = np.asarray(vectors, dtype=np.float32)
        if v.ndim == 1:
            v = v[None, :]
        if v.ndim != 2 or v.shape[1] != self._dim:
            raise ValueError(f"expected vectors of dimension {self._dim}, got shape {v.shape}")
        if len(v) == 0:
            return np.ascontiguousarray(v)
        # Few numpy calls on purpose: a single query costs well under a millisecond,
        # and this runs for every one.
        squares = np.einsum("ij,ij->i", v, v)
        low, high = float(squares.min()), float(squares.max())
        if not (low > 0 and high < math.inf):  # NaN fails both comparisons
            raise ValueError("vectors must be finite and non-zero")
        # The ip space does not normalise; a vector that is not unit length would make
        # its scores something other than cosine similarities.
        if low < (1 - _NORM_TOLERANCE) ** 2 or high > (1 + _NORM_TOLERANCE) ** 2:
            v = v / np.sqrt(squares)[:, None]
        return np.ascontiguousarray(v)

    # -- files --------------------------------------------------------------------

    def save(self, path: Path, model: str) -> IndexManifest:
        """Write the index to ``path`` atomically and return its manifest.

        Either the new file is complete and in place, or the old file is untouched.
        """
        path = Path(path)
        try:
            with replacing(path) as tmp:
                # Saving only reads the graph, so searches may go on; inserts wait.
                with self._lock.read():
                    self._index.save_index(str(tmp))
                    count = len(self._labels)
                    deleted = len(self._deleted)
                # hnswlib never checks its writes: a full disk leaves a short file behind
                # without an error. Check the whole structure before it replaces anything.
                info = read_hnsw_file(tmp, dim=self._dim)
                if info.count != count or int(info.deleted.sum()) != deleted:
                    raise HnswFormatError("the written file does not hold the index")
                sha256, size = hash_file(tmp)
        except (OSError, RuntimeError, HnswFormatError) as exc:
            raise IndexFileError(f"cannot save the vector index to {path}: {exc}") from exc
        _remove_stale_temporaries(path)
        return IndexManifest(sha256, size, count, deleted, self._dim, model)

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        dim: int,
        model: str,
        expected: IndexManifest,
        ef: int = 100,
        threads: int | None = None,
    ) -> VectorIndex:
        """Load an index saved by ``save``, after checking it against its manifest.

        ``model`` is the model whose embeddings the caller wants; an index built from
        another model's embeddings is refused. Raises IndexFileError on any mismatch.
        """
        path = Path(path)
        info = check_saved_index(path, dim=dim, model=model, expected=expected)
        # Between the checks above and this load another process could swap the file;
        # whoever can write the catalog folder can also edit the catalog, so the check
        # guards against damage, not against a local attacker.
        index = hnswlib.Index(space=SPACE, dim=dim)
        try:
            # Capacity = count: no memory for spare slots until the next add grows it.
            index.load_index(str(path), max_elements=max(info.count, 1))
        except (RuntimeError, MemoryError, ValueError) as exc:
            raise IndexFileError(f"cannot load the vector index {path}: {exc}") from exc
        if index.get_current_count() != info.count:
            raise IndexFileError(f"hnswlib read {path} differently from its manifest")
        loaded = cls.__new__(cls)
        deleted = info.labels[info.deleted].tolist()
        loaded._setup(index, dim, ef, threads, info.labels.tolist(), deleted)
        return loaded


class _TooFew(Exception):
    """A filtered hnswlib search found fewer than k elements."""


def _as_ids(ids: Iterable[int] | int) -> np.ndarray:
    if isinstance(ids, (int, np.integer)):
        ids = [ids]
    elif not isinstance(ids, np.ndarray):
        ids = list(ids)  # sets and generators do not become arrays of their items
    arr = np.asarray(ids)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"ids must be a 1-D sequence of integers, not {arr.dtype} {arr.shape}")
    if arr.min() < 0:
        raise ValueError("ids must not be negative")
    return arr.astype(np.int64, copy=False)


def _last_of_duplicates(ids: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # hnswlib inserts a batch in parallel, so duplicate ids would race; keep the last one,
    # as if the batch had been added row by row.
    _, first_in_reversed = np.unique(ids[::-1], return_index=True)
    if len(first_in_reversed) == len(ids):
        return ids, vectors
    keep = np.sort(len(ids) - 1 - first_in_reversed)
    return ids[keep], vectors[keep]


STALE_TEMPORARY_S = 600
"""A save's temporary file this old was left by a killed process (a save takes seconds)."""


def _remove_stale_temporaries(path: Path) -> None:
    """Delete half-written saves that a killed process left beside ``path``.

    They can be as large as the index itself (2 GB at a million photos). Only old ones:
    a young one may be another process's save in progress.
    """
    cutoff = time.time() - STALE_TEMPORARY_S
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
