"""The arithmetic of tagging: prompt ensembles, thresholds, and learning from examples.

Everything here is numpy on normalised float32 vectors; no SQL, no model.

Prompt ensembling is what open_clip's ``build_zero_shot_classifier`` does: embed each
prompt (normalised), average, normalise again.

Thresholds read off score distributions the way search's relevance cutoff does (Otsu's
split when the scores form two well-separated groups, else only outliers), vectorised
over many labels at once.

Learning from examples: see ``learn`` and ``threshold_for``.
"""

from __future__ import annotations

import numpy as np

PROMPT_WEIGHT = 3.0
"""The prompt counts as this many agreeing examples: one or two examples adjust the
label, several that agree take it over."""

REJECTED_WEIGHT = 0.5
"""How hard each rejected photo pushes the label away, in the same units (Rocchio's
gamma): one "No" moves a label a sixth as far as its prompt holds it."""

SINGLE = 1.5
"""Up to this much agreement (one example, or two that disagree) the prompt keeps its
full weight; beyond, it yields fast (with the cube of the ratio) to what agrees."""

AGREEING_EXAMPLES = 3
"""From this many positive examples on, a label with a prompt reads its threshold off
its examples (``learned_threshold``); below, the zero-shot rule is kept (on the new
vector), so one example cannot move the threshold to wherever that one photo scores."""

SPREAD_SAMPLE = 4096
"""Library photos used to measure how far a direction spreads the scores."""

MIN_SPREAD = 0.02
"""Floor for a score spread estimated from a handful of examples."""

NEUTRAL_PROMPTS: tuple[str, ...] = (
    "a photo.",
    "a picture.",
    "an image.",
    "a photo of a thing.",
    "a photo of something.",
)
"""Descriptions of a photo of nothing in particular: the baseline a zero-shot label must beat.

A label with an automatic threshold holds for a photo only where its prompts match the
photo better than every one of these does (CLIP's zero-shot choice between the label
and a content-free class). Without it, a photo the model does not understand (noise, a
blank wall, a picture unlike the library) that matches all text a little cleared the
library-read thresholds of dozens of labels at once; what it shares with every prompt,
these share too, so its margins stay below zero. A picture of a beach matches "a photo
of a beach." better than "a photo.", so ground truth is kept. The best of several, not
their mean nor one: on two tiny test models trained from different seeds, "a photo."
alone still left a noise picture up to 55 wrong labels of 129, the mean of these five
up to 73, the best of the five at most 10 (``tests/services/tagging``). None names
a kind of photo ("a close-up photo.", "a dark photo."): a label could never beat it."""


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
    sample: np.ndarray,
) -> np.ndarray:
    """A label's vector from its prompt ensemble and the photos people decided on.

    Rocchio's relevance feedback, with three changes that keep one example from
    swinging a label:

    - each example is its offset from the library's mean photo (``sample``'s centre),
      made unit length: CLIP's image embeddings share a large common component (every
      photo is "a photo"); the offset points at what sets the photo apart;
    - every part is measured in how far it spreads the library's scores (its score
      standard deviation over ``sample``), not in vector length: an image direction
      moves photos' cosines several times more than a text direction of the same
      length, so unscaled, one example outweighed the prompt;
    - examples add up as a sum of unit offsets: examples that agree add up to their
      number, examples that disagree cancel. Each pulls at most ``1`` (a rejection
      ``REJECTED_WEIGHT``) against the prompt's ``PROMPT_WEIGHT``.
    """
    sample = _spread_sample(sample)
    centre = sample.mean(axis=0) if len(sample) else np.zeros(_dim(text, positives, rejected))
    total = np.zeros(centre.shape[-1], np.float64)
    agreeing = 0.0
    if len(positives):
        pull = _pull(positives, centre, sample)
        agreeing = float(np.linalg.norm(normalise(positives - centre).sum(axis=0)))
        total += pull
    if text is not None:
        # The prompt holds the label while few examples agree and yields as they add up.
        weight = PROMPT_WEIGHT * min(1.0, SINGLE / max(agreeing, 1e-9)) ** 3
        total += weight * _per_spread(np.asarray(text, np.float64), sample)
    if len(rejected):
        total -= REJECTED_WEIGHT * _pull(rejected, centre, sample)
    return normalise(total.astype(np.float32))


def _dim(*parts: np.ndarray | None) -> int:
    return next(p.shape[-1] for p in parts if p is not None and np.size(p))


def _spread_sample(sample: np.ndarray) -> np.ndarray:
    """At most ``SPREAD_SAMPLE`` rows, evenly spaced (deterministic)."""
    if len(sample) <= SPREAD_SAMPLE:
        return sample
    return sample[np.linspace(0, len(sample) - 1, SPREAD_SAMPLE).astype(np.int64)]


def _per_spread(direction: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """``direction`` (unit) scaled so that its scores over the sample spread by 1."""
    direction = direction / max(float(np.linalg.norm(direction)), 1e-12)
    if len(sample) < 2:
        return direction
    spread = float(np.std(sample @ direction))
    return direction / max(spread, 1e-6)


def _pull(examples: np.ndarray, centre: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """The examples' summed unit offsets: length up to their number when they agree."""
    examples = np.asarray(examples, np.float64)
    strength = float(np.linalg.norm(normalise(examples - centre).sum(axis=0)))
    direction = examples.mean(axis=0) - centre
    if strength < 1e-9 or float(np.linalg.norm(direction)) < 1e-12:
        return np.zeros_like(centre, dtype=np.float64)
    return strength * _per_spread(direction, sample)


def leave_one_out_scores(
    text: np.ndarray | None,
    positives: np.ndarray,
    rejected: np.ndarray,
    sample: np.ndarray,
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
        vector = learn(text, rest, rejected, sample)
        scores.append(float(positives[i] @ vector))
    return np.array(scores, np.float64)


def threshold_for(
    vector: np.ndarray,
    text: np.ndarray | None,
    positives: np.ndarray,
    rejected: np.ndarray,
    sample: np.ndarray,
) -> float:
    """The automatic threshold of a label learned from examples.

    With a prompt and fewer than ``AGREEING_EXAMPLES`` positives, the zero-shot rule on
    the learned vector's own scores (``auto_thresholds``); from then on (or with no
    prompt) the point between held-out examples and the rest (``learned_threshold``).
    """
    if text is not None and len(positives) < AGREEING_EXAMPLES:
        if len(sample) < 8:
            return -1.0
        return float(auto_thresholds((sample @ vector).reshape(-1, 1))[0])
    held_out = leave_one_out_scores(text, positives, rejected, sample)
    return learned_threshold(vector, held_out, rejected, sample)


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
