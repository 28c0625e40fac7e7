"""Approximate Euclidean nearest neighbours of many vectors among many, with hnswlib.

For grouping face descriptors (services/face_clusters.py) once there are too many for
exact distances: a throwaway graph, built and queried single-threaded so that results
do not depend on thread timing.
"""

from __future__ import annotations

import hnswlib
import numpy as np


def knn_graph(queries: np.ndarray, base: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(rows of base, Euclidean distances)``, each (len(queries), k), nearest first."""
    index = hnswlib.Index(space="l2", dim=base.shape[1])
    index.init_index(max_elements=len(base), ef_construction=200, M=16, random_seed=7)
    index.add_items(base, np.arange(len(base)), num_threads=1)
    index.set_ef(max(100, 2 * k))
    labels, squared = index.knn_query(queries, k=k, num_threads=1)
    return labels.astype(np.int64), np.sqrt(np.maximum(squared, 0.0))
