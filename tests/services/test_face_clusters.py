"""Chinese whispers on made-up descriptors: groups, bridges, anchors, the hnswlib path."""

from __future__ import annotations

import numpy as np

from photoorg.services import face_clusters
from photoorg.services.face_clusters import chinese_whispers, nearest


def _blob(centre: np.ndarray, n: int, spread: float, rng) -> np.ndarray:
    return centre + rng.normal(0, spread / np.sqrt(centre.size), (n, centre.size))


def _people(rng, count=4, n=12, dim=128):
    centres = rng.normal(0, 1.0 / np.sqrt(dim), (count, dim)) * 3.0  # ~0.75+ apart
    return np.vstack([_blob(c, n, 0.15, rng) for c in centres]), np.repeat(np.arange(count), n)


def _same_partition(labels, truth) -> bool:
    pairs = {(int(a), int(b)) for a, b in zip(labels, truth, strict=True)}
    return len(pairs) == len(set(labels.tolist())) == len(set(truth.tolist()))


def test_separate_people_become_separate_groups():
    rng = np.random.default_rng(0)
    vectors, truth = _people(rng)
    assert _same_partition(chinese_whispers(vectors, 0.5), truth)


def test_a_face_between_two_people_does_not_glue_them_together():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1 / np.sqrt(128), (2, 128))
    b = a + (b - a) / np.linalg.norm(b - a) * 0.8  # two people 0.8 apart
    vectors = np.vstack([_blob(a, 10, 0.1, rng), _blob(b, 10, 0.1, rng), (a + b)[None] / 2])
    labels = chinese_whispers(vectors, 0.5)
    assert len(set(labels[:10].tolist())) == len(set(labels[10:20].tolist())) == 1
    assert labels[0] != labels[10]


def test_anchors_keep_their_person_and_draw_their_neighbours():
    rng = np.random.default_rng(2)
    vectors, truth = _people(rng, count=2)
    labels = chinese_whispers(vectors, 0.5, anchors={0: 7, 1: 7})
    assert labels[0] == labels[1] == -1 - 7
    assert set(labels[truth == 0].tolist()) == {-8}
    assert -8 not in set(labels[truth == 1].tolist())


def test_the_hnswlib_path_finds_what_exact_distances_find(monkeypatch):
    rng = np.random.default_rng(3)
    vectors, _ = _people(rng, count=5, n=20)
    exact = nearest(vectors, vectors, 0.5, 10)
    monkeypatch.setattr(face_clusters, "BRUTE_FORCE_LIMIT", 10)
    approximate = nearest(vectors, vectors, 0.5, 10)
    agree = [
        {j for j, _ in e} == {j for j, _ in a} for e, a in zip(exact, approximate, strict=True)
    ]
    assert np.mean(agree) > 0.95
