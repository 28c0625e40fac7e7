"""Exact nearest neighbours by cosine similarity, with numpy.

The vector index uses this for searches restricted to a few photos. A caller that already
holds the embeddings of a small set (an album read from the catalog) can use it directly:
that is faster still, since hnswlib copies vectors out slowly.
"""

from __future__ import annotations

import numpy as np


def empty_result(n: int) -> tuple[np.ndarray, np.ndarray]:
    """No neighbours for each of n queries, in the shapes and types a search returns."""
    return np.zeros((n, 0), np.int64), np.zeros((n, 0), np.float32)


def exact_search(
    queries: np.ndarray, ids: np.ndarray, vectors: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k by cosine similarity of unit ``queries`` over unit ``vectors``.

    The same result shape as ``VectorIndex.search``. For a small allowed set whose
    embeddings the caller already holds (an album read from the catalog) this beats both
    the graph and ``search(allowed=...)``, which has to copy vectors out of hnswlib.
    """
    queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
    ids = np.asarray(ids, dtype=np.int64)
    k = min(k, len(ids))
    if k <= 0 or len(queries) == 0:
        return empty_result(len(queries))
    scores = queries @ np.asarray(vectors, dtype=np.float32).T
    if k < len(ids):
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        scores = np.take_along_axis(scores, top, axis=1)
        found = ids[top]
    else:
        found = np.broadcast_to(ids, scores.shape)
    order = np.argsort(-scores, axis=1, kind="stable")
    best = np.clip(np.take_along_axis(scores, order, axis=1), -1.0, 1.0)
    return np.take_along_axis(found, order, axis=1), best.astype(np.float32)


def exact_search_merge(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray], k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Merge two best-first (ids, scores) results into the best k, for chunked searches."""
    ids = np.concatenate([a[0], b[0]], axis=1)
    scores = np.concatenate([a[1], b[1]], axis=1)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(ids, order, axis=1), np.take_along_axis(scores, order, axis=1)
