"""The arithmetic of tagging: prompt ensembles, thresholds, and learning from examples.

Everything here is numpy on normalised float32 vectors; no SQL, no model.

Prompt ensembling is what open_clip's ``build_zero_shot_classifier`` does: embed each
prompt (normalised), average, normalise again.

Thresholds read off score distributions the way search's relevance cutoff does (Otsu's
split when the scores form two well-separated groups, else only outliers), vectorised
over many labels at once.

Learning from examples: see ``learn``.
"""

from __future__ import annotations

import numpy as np

TEXT_WEIGHT = 1.0
"""The prompt counts as this many examples: with few examples it keeps the label near
what its words say; as examples add up, they take over."""

REJECTED_WEIGHT = 0.5
"""How hard the mean of rejected photos pushes the label away (Rocchio's gamma)."""

BACKGROUND_WEIGHT = 1.0
"""How much of the library's mean photo is taken off the examples' mean (see ``learn``)."""

MIN_SPREAD = 0.02
"""Floor for a score spread estimated from a handful of examples."""


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows (or one vector) scaled to unit length; zero rows stay zero."""
    vectors = np.asarray(vectors, np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 1e-12)


MIN_SEPARATION = 3.0
OUTLIER_SDS = 3.0


def ensemble(prompt_vectors: np.ndarray) -> np.ndarray:
    """One label vector from its prompts' normalised embeddings (mean, then normalise)."""
    return normalise(normalise(prompt_vectors).mean(axis=0))


def auto_thresholds(scores: np.ndarray) -> np.ndarray:
    """An automatic threshold for each column of ``scores`` (sample x labels) at once.

    Tagging asks "does this photo carry the label?" across the whole library, where a
    label's scores usually split into two groups: Otsu's threshold when they separate
    well (by ``MIN_SEPARATION`` pooled standard deviations, the upper group at most 60%
    of the photos), else only outliers above mean + ``OUTLIER_SDS`` sd. (Search ranks
    instead and uses ``search.relevance_cutoffs``.)
    """
    n, labels = scores.shape
    if n < 8:
        return np.full(labels, -1.0)
    s = np.sort(scores.astype(np.float64), axis=0)
    prefix = np.cumsum(s, axis=0)
    prefix_sq = np.cumsum(s * s, axis=0)
    k = np.arange(1, n, dtype=np.float64)[:, None]
    low_mean = prefix[:-1] / k
    high_mean = (prefix[-1] - prefix[:-1]) / (n - k)
    between = k * (n - k) * (high_mean - low_mean) ** 2
    best = np.argmax(between, axis=0)
    cols = np.arange(labels)
    split = best + 1
    low_mu, high_mu = low_mean[best, cols], high_mean[best, cols]
    low_var = prefix_sq[best, cols] / split - low_mu**2
    high_var = (prefix_sq[-1] - prefix_sq[best, cols]) / (n - split) - high_mu**2
    pooled = np.sqrt(np.maximum(low_var * split + high_var * (n - split), 0) / n) + 1e-9
    separation = (high_mu - low_mu) / pooled
    split_at = (s[best, cols] + s[best + 1, cols]) / 2
    upper = (n - split) / n
    outliers = s.mean(axis=0) + OUTLIER_SDS * s.std(axis=0)
    bimodal = (separation >= MIN_SEPARATION) & (upper <= 0.6)
    return np.where(bimodal, split_at, outliers)


def learn(
    text: np.ndarray | None,
    positives: np.ndarray,
    rejected: np.ndarray,
    centre: np.ndarray,
) -> np.ndarray:
    """A label's vector from its prompt ensemble and the photos people decided on.

    Rocchio's relevance feedback with two changes that matter for CLIP embeddings:

    - the examples' mean is taken relative to ``centre``, the library's mean photo.
      CLIP's image embeddings share a large common component (every photo is "a
      photo"); what sets the examples apart is their offset from that centre, so
      ``mean(pos) - centre`` points at the examples' concept, not at photos in general;
    - the prompt counts as ``TEXT_WEIGHT`` examples, so the words lead while there are
      one or two examples and the examples lead once there are several.

    ``normalise(w_t·text + k·normalise(mean(pos) - centre) - g·normalise(mean(rej) - centre))``
    with ``k`` the number of positive examples.
    """
    total = np.zeros(centre.shape[-1], np.float64)
    if text is not None:
        total += TEXT_WEIGHT * text
    if len(positives):
        total += len(positives) * normalise(positives.mean(axis=0) - BACKGROUND_WEIGHT * centre)
    if len(rejected):
        total -= REJECTED_WEIGHT * normalise(rejected.mean(axis=0) - BACKGROUND_WEIGHT * centre)
    return normalise(total.astype(np.float32))


def leave_one_out_scores(
    text: np.ndarray | None,
    positives: np.ndarray,
    rejected: np.ndarray,
    centre: np.ndarray,
    limit: int = 64,
) -> np.ndarray:
    """Scores of (up to ``limit``) positive examples, each under the vector learned without it.

    Scores of the examples under a vector built from them flatter it; held-out scores
    say where unseen photos of the label will land.
    """
    scores = []
    for i in range(min(len(positives), limit)):
        rest = np.delete(positives, i, axis=0)
        if not len(rest) and text is None:
            continue
        vector = learn(text, rest, rejected, centre)
        scores.append(float(positives[i] @ vector))
    return np.array(scores, np.float64)


def learned_threshold(
    vector: np.ndarray,
    held_out: np.ndarray,
    rejected: np.ndarray,
    background: np.ndarray,
) -> float:
    """A threshold between where the label's photos score and where the rest does.

    The rest: the library sample (mostly photos without the label, whatever it is) with
    the examples' own region taken out, plus the rejected photos. The threshold is the
    point as many spreads above the rest's centre as below the examples' centre (the
    equal-error point of two normal curves with those spreads). With no held-out scores
    it falls back to the library's relevance cutoff.
    """
    library = background @ vector
    cutoff = float(auto_thresholds(library.reshape(-1, 1))[0])
    if not len(held_out):
        return float(cutoff)
    pos_mu = float(np.mean(held_out))
    pos_sd = max(float(np.std(held_out)), MIN_SPREAD)
    # Robust centre and spread of the library: the label's own photos are a minority
    # that should not pull the estimate up.
    rest = library[library < pos_mu - 2 * pos_sd]
    if len(rejected):
        rest = np.concatenate([rest, rejected @ vector])
    if len(rest) < 8:
        return float(min(cutoff, pos_mu - 2 * pos_sd))
    med = float(np.median(rest))
    mad = float(np.median(np.abs(rest - med))) * 1.4826
    neg_sd = max(mad, MIN_SPREAD / 2)
    threshold = (med * pos_sd + pos_mu * neg_sd) / (pos_sd + neg_sd)
    return float(threshold)
