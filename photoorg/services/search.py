"""Ranking photos against a query: vectors, candidates, cutoff, order.

A query's terms become one vector: the weighted sum of the terms' embeddings (text from
the text tower, example photos from the catalog or, for a file outside it, the image
tower), normalised. Candidates come from the HNSW index, or from an exact product over
the stored vectors when filters leave few photos. A negative term also excludes: a photo
that a search for that term alone would return is dropped.

The relevance cutoff is read off the score distribution of the whole library (or a
sample of it), with robust statistics because a query may match a large part of the
library: a photo is kept when it reaches 70% of the way from the typical score (the
median) to the best one, and stands at least one robust standard deviation (from the
median absolute deviation) above the typical photo. Scores are relative to the library,
not absolute, because CLIP's cosine scale differs between models. A query for something
absent then keeps the few photos closest to the best (near) miss, and a query with
clear matches keeps the matches rather than their lookalikes. ``--min-score`` overrides
it when a user wants every partial match.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EXACT_LIMIT = 20_000
"""Below this many candidate photos an exact product beats the graph and has recall 1."""

SAMPLE_SIZE = 20_000
OUTLIER_SDS = 1.0
"""How far above the typical photo a match must be, in robust standard deviations."""
BEST_FRACTION = 0.7
"""And how far from the typical score towards the best one (this one usually decides)."""


@dataclass(frozen=True)
class Hit:
    id: int
    path: str
    score: float
    taken_at: str

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "score": round(self.score, 4), "taken_at": self.taken_at}


def combine(vectors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The normalised weighted sum of normalised term vectors."""
    query = (weights[:, None] * vectors).sum(axis=0)
    norm = np.linalg.norm(query)
    if norm < 1e-6:  # e.g. "dog - dog": nothing left to look for
        return np.zeros_like(query)
    return (query / norm).astype(np.float32)


def relevance_cutoffs(scores: np.ndarray) -> np.ndarray:
    """The lowest score worth showing for each column of ``scores`` (photos x queries)."""
    if scores.shape[0] == 0:
        return np.full(scores.shape[1], -1.0)
    median = np.median(scores, axis=0)
    spread = 1.4826 * np.median(np.abs(scores - median), axis=0) + 1e-6
    best = scores.max(axis=0)
    return median + np.maximum(OUTLIER_SDS * spread, BEST_FRACTION * (best - median))


def relevance_cutoff(sample_scores: np.ndarray) -> float:
    """The lowest score worth showing, read off the library's score distribution."""
    return float(relevance_cutoffs(sample_scores.reshape(-1, 1))[0])
