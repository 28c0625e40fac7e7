"""Grouping face descriptors: who is near whom, and label propagation with anchors.

Why this method. Two photos of one person sit closer than ~0.6 in dlib's descriptor
space, but the margin is thin: a face and its mirror image have been measured 0.51 apart,
two different people as close as 0.61. Single linkage (join whatever is within the
threshold) chains: one ambiguous face can glue two people together. K-means-style methods
need the number of people. Chinese whispers (Biemann 2006, what dlib itself ships for face
clustering) has neither problem: every face repeatedly takes the label that weighs most
among its neighbours within the threshold, so a lone bridge between two dense groups
loses the vote on both sides. It also takes anchors naturally: faces the user confirmed
keep their person's label and never change, so their neighbours are drawn to them, which
is how names survive a regroup. Edges weigh ``1 - d / radius``: a close neighbour counts
more than one at the edge of the threshold.

Neighbours come from exact distances for a few thousand faces, or for a few new faces
against any number, and from an hnswlib graph for a regroup of many (the library already
depends on hnswlib for photo search).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from photoorg.store.vectors.neighbours import knn_graph

NEIGHBOURS = 30  # per face; more only matters for people with hundreds of near-copies
BRUTE_FORCE_LIMIT = 4000
FEW_QUERIES = 512  # against this few, exact distances beat building a graph of the base
_CHUNK_ELEMENTS = 4_000_000


def distances(queries: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Euclidean distances, queries x base."""
    q2 = np.einsum("ij,ij->i", queries, queries)[:, None]
    b2 = np.einsum("ij,ij->i", base, base)[None, :]
    return np.sqrt(np.maximum(q2 + b2 - 2.0 * queries @ base.T, 0.0))


def nearest(
    queries: np.ndarray, base: np.ndarray, radius: float, k: int = NEIGHBOURS
) -> list[list[tuple[int, float]]]:
    """For each query, up to ``k`` rows of ``base`` closer than ``radius``, nearest first."""
    if len(base) == 0 or len(queries) == 0:
        return [[] for _ in range(len(queries))]
    k = min(k, len(base))
    if len(base) <= BRUTE_FORCE_LIMIT or len(queries) <= FEW_QUERIES:
        found = []
        rows = max(1, _CHUNK_ELEMENTS // len(base))  # bounds the distance block's memory
        for start in range(0, len(queries), rows):
            d = distances(queries[start : start + rows], base)
            part = np.argpartition(d, k - 1, axis=1)[:, :k] if k < len(base) else None
            for i, row in enumerate(d):
                idx = part[i] if part is not None else np.arange(len(base))
                idx = idx[np.argsort(row[idx], kind="stable")]
                found.append([(int(j), float(row[j])) for j in idx if row[j] < radius])
        return found
    labels, d = knn_graph(queries, base, k)
    return [
        [(int(j), float(dist)) for j, dist in zip(row_l, row_d, strict=True) if dist < radius]
        for row_l, row_d in zip(labels, d, strict=True)
    ]


def chinese_whispers(
    descriptors: np.ndarray,
    radius: float,
    anchors: Mapping[int, int] | None = None,
    iterations: int = 20,
    seed: int = 0,
) -> np.ndarray:
    """A group label per row. Rows in ``anchors`` (row -> person id) keep the label
    ``-1 - person id`` throughout; other rows get a label >= 0 shared by their group,
    or a negative one when they joined an anchored person."""
    n = len(descriptors)
    anchors = dict(anchors or {})
    labels = np.arange(n, dtype=np.int64)
    for row, person in anchors.items():
        labels[row] = -1 - person
    near = nearest(descriptors, descriptors, radius, NEIGHBOURS + 1)
    graph = [[(j, 1.0 - d / radius) for j, d in row if j != i] for i, row in enumerate(near)]
    free = np.array([i for i in range(n) if i not in anchors and graph[i]], dtype=np.int64)
    rng = np.random.default_rng(seed)
    for _ in range(iterations):
        changed = 0
        for i in rng.permutation(free):
            weights: dict[int, float] = defaultdict(float)
            for j, w in graph[i]:
                weights[int(labels[j])] += w
            best = max(weights.values())
            current = int(labels[i])
            if weights.get(current, -1.0) >= best:
                continue
            labels[i] = min(label for label, w in weights.items() if w == best)
            changed += 1
        if not changed:
            break
    return labels
