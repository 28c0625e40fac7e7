"""Do two sets of image vectors rank photos alike? The measure the precision tests use."""

from __future__ import annotations

import numpy as np

TIE = 0.01
"""Queries whose reference 10th and 11th photos score closer than this are not counted:
which of the two makes the top 10 is a coin toss for any encoder (5-8 % of them)."""


def top10_agreement(found: np.ndarray, images: np.ndarray, queries: np.ndarray) -> float:
    """Share of ``queries`` for which ``found`` has the same top 10 as ``images``."""
    same, counted = 0, 0
    for query in queries:
        truth = images @ query
        order = np.argsort(-truth)
        if truth[order[9]] - truth[order[10]] < TIE:
            continue
        counted += 1
        same += set(order[:10]) == set(np.argsort(-(found @ query))[:10])
    assert counted >= 0.8 * len(queries), "too few well-separated queries to judge"
    return same / counted
