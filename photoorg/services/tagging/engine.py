"""The re-tagging machinery: label vectors, one product per block, the diff, the write.

``Tagging`` owns one ``Engine`` per catalog. The engine keeps the two in-memory copies
that make a re-tag cheap (all embeddings: ``PhotoMatrix``; all tags: ``TagState``) and
the automatic thresholds already read off the library, and it writes only the tags
that changed, telling ``TagState`` what it wrote.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from photoorg.errors import ModelError
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.services.tagging import learning
from photoorg.services.tagging.photo_matrix import PhotoMatrix, Snapshot
from photoorg.services.tagging.scoring import Classifier, Classifiers
from photoorg.services.tagging.tag_state import KEY_BASE, Tags, TagState, keys
from photoorg.store import counters
from photoorg.store import labels as label_store
from photoorg.store import tags as tag_store
from photoorg.store.catalog import Catalog

SAMPLE_SIZE = 20_000
"""Photos a label's automatic threshold is read from (a fixed random sample)."""
SCORE_EPSILON = 1e-6
"""Smaller score changes are not written back (float32 noise between block sizes)."""


class Engine:
    """Re-tags one catalog; ``text_vectors`` and ``logit_scale`` come from ``Tagging``."""

    def __init__(
        self,
        catalog: Catalog,
        text_vectors: Callable[
            [str, int, list[str], Progress, CancelToken | None], dict[str, np.ndarray]
        ],
        logit_scale: Callable[[str], float],
    ) -> None:
        self.catalog = catalog
        self.matrix = PhotoMatrix(catalog)
        self.state = TagState()
        self._text_vectors = text_vectors
        self._logit_scale = logit_scale
        self._thresholds: dict[tuple[int, bytes], float] = {}
        # A preview (GUI worker) and a re-tag (indexing worker) fill the cache at once.
        self._thresholds_lock = threading.Lock()

    def classifiers(
        self,
        labels: list[label_store.StoredLabel],
        snapshot: Snapshot,
        tags: Tags,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> Classifiers:
        """One classifier per label: prompt ensemble, examples, threshold.

        Prompts new to this model go through the text tower first ("embedding labels").
        """
        texts = [
            t for s in labels if s.label.enabled for t in s.label.texts() + s.label.negative_texts()
        ]
        auto_wanted = any(s.label.enabled and s.label.threshold is None for s in labels)
        neutral_texts = list(learning.NEUTRAL_PROMPTS) if auto_wanted else []
        vectors = self._prompt_vectors(snapshot, texts, neutral_texts, progress, cancel)
        has_group = any(s.label.exclusive_group for s in labels if s.label.enabled)
        logit_scale = self._logit_scale(snapshot.model) if has_group else 100.0
        sample = snapshot.sample(self.catalog, SAMPLE_SIZE)
        examples = examples_of(tags)
        built: list[Classifier] = []
        auto: list[
            tuple[int, np.ndarray]
        ] = []  # zero-shot labels whose threshold is read off the sample
        for s in labels:
            label = s.label
            if not label.enabled:
                built.append(Classifier(s.id, None, np.inf))
                continue
            text = (
                learning.ensemble(np.stack([vectors[t] for t in label.texts()]))
                if label.prompts
                else None
            )
            negatives = (
                np.stack([vectors[t] for t in label.negative_texts()])
                if label.negative_prompts
                else np.zeros((0, snapshot.dim), np.float32)
            )
            positive_ids, rejected_ids = examples.get(s.id, ([], []))
            positives = snapshot.vectors(self.catalog, positive_ids)
            rejected = snapshot.vectors(self.catalog, rejected_ids)
            threshold = label.threshold
            if not len(positives) and not len(rejected):
                vector = text
                if vector is not None and threshold is None:
                    auto.append((len(built), vector))
            elif text is None and not len(positives):
                vector = None  # only rejections and no words: nothing to look for
            else:
                vector = learning.learn(text, positives, rejected, sample)
                if threshold is None:
                    threshold = learning.threshold_for(vector, text, positives, rejected, sample)
            built.append(
                Classifier(
                    s.id,
                    vector,
                    threshold if threshold is not None else np.inf,
                    text=text,
                    negatives=negatives,
                    group=label.exclusive_group,
                )
            )
        self._fill_auto_thresholds(built, auto, snapshot, sample)
        neutral = None  # without the baseline, thresholds alone decide
        if auto and neutral_texts and all(t in vectors for t in neutral_texts):
            neutral = learning.normalise(np.stack([vectors[t] for t in neutral_texts]))
        return Classifiers(built, snapshot.dim, logit_scale, neutral)

    def _prompt_vectors(
        self,
        snapshot: Snapshot,
        texts: list[str],
        neutral: list[str],
        progress: Progress,
        cancel: CancelToken | None,
    ) -> dict[str, np.ndarray]:
        """The labels' prompt vectors, and the neutral baseline's where it can be had."""
        if not texts and not neutral:
            return {}
        try:
            return self._text_vectors(
                snapshot.model, snapshot.dim, texts + neutral, progress, cancel
            )
        except ModelError:
            if not neutral:
                raise
        # A catalog tagged before the baseline existed, whose model is missing now: its
        # labels' prompts are stored, so re-tagging still works, without the baseline.
        return (
            self._text_vectors(snapshot.model, snapshot.dim, texts, progress, cancel)
            if texts
            else {}
        )

    def _fill_auto_thresholds(
        self,
        built: list[Classifier],
        auto: list[tuple[int, np.ndarray]],
        snapshot: Snapshot,
        sample: np.ndarray,
    ) -> None:
        """Zero-shot labels' thresholds, computed together and cached per library state.

        Read off the raw scores; each such label then also needs evidence on each photo
        (``scoring`` rule 1: it must beat the neutral prompts there).
        """
        if not auto:
            return
        cache_keys = [(snapshot.generation, vector.tobytes()) for _, vector in auto]
        with self._thresholds_lock:
            known = {k: self._thresholds[k] for k in cache_keys if k in self._thresholds}
        todo = [i for i, key in enumerate(cache_keys) if key not in known]
        if todo:
            matrix = np.stack([auto[i][1] for i in todo])
            values = learning.auto_thresholds(sample @ matrix.T)
            found = {cache_keys[i]: float(v) for i, v in zip(todo, values.tolist(), strict=True)}
            known.update(found)
            with self._thresholds_lock:
                if len(self._thresholds) > 10_000:
                    self._thresholds.clear()
                self._thresholds.update(found)
        for (position, _), key in zip(auto, cache_keys, strict=True):
            built[position] = replace(built[position], threshold=known[key], evidence=True)

    @staticmethod
    def decided_columns(
        tags: Tags, rows: np.ndarray, classifiers: Classifiers
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """People's decisions among ``rows`` of ``tags`` as (photo, column, positive?)."""
        decided = rows[tags.source[rows] != tag_store.SOURCE_CODE[tag_store.AUTO]]
        column_of = {int(label_id): i for i, label_id in enumerate(classifiers.label_ids.tolist())}
        photo = tags.photo[decided]
        columns = np.array([column_of.get(int(x), -1) for x in tags.label[decided]], np.int64)
        positive = tags.source[decided] != tag_store.SOURCE_CODE[tag_store.REJECTED]
        keep = columns >= 0
        order = np.argsort(photo[keep], kind="stable")
        return photo[keep][order], columns[keep][order], positive[keep][order]

    def retag(
        self,
        chosen: list[label_store.StoredLabel],
        snapshot: Snapshot,
        scope: np.ndarray | None,
        progress: Progress,
        cancel: CancelToken,
        every_label: bool = False,
    ) -> dict[str, Any]:
        """The changes a re-tag of ``chosen`` makes (over ``scope`` rows, or all)."""
        tags = self.state.current(self.catalog.read)
        classifiers = self.classifiers(chosen, snapshot, tags, progress, cancel)
        if every_label:
            rows = np.arange(len(tags.key))  # every label: skip the membership test
        else:
            rows = np.flatnonzero(tags.of_labels([s.id for s in chosen]))
        decided = self.decided_columns(tags, rows, classifiers)
        photos, columns, scores, probabilities = [], [], [], []
        total = len(snapshot) if scope is None else len(scope)
        done = 0
        progress("tagging", 0, total)
        if classifiers.active:
            for ids, vectors in snapshot.chunks(self.catalog, scope):
                cancel.check()
                block = classifiers.score(ids, vectors, decided)
                photos.append(block.photo)
                columns.append(block.column)
                scores.append(block.score)
                probabilities.append(block.probability)
                done += len(ids)
                progress("tagging", done, total)
        cancel.check()
        empty_f = np.zeros(0, np.float32)
        new_photo = np.concatenate(photos) if photos else np.zeros(0, np.int64)
        new_label = (
            classifiers.label_ids[np.concatenate(columns)] if columns else np.zeros(0, np.int64)
        )
        new_score = np.concatenate(scores) if scores else empty_f
        new_prob = np.concatenate(probabilities) if probabilities else empty_f
        new_keys = keys(new_photo, new_label)

        is_auto = tags.source[rows] == tag_store.SOURCE_CODE[tag_store.AUTO]
        keep = ~np.isin(new_keys, tags.key[rows[~is_auto]])  # decisions are never touched
        new_keys, new_score, new_prob = new_keys[keep], new_score[keep], new_prob[keep]

        # The old automatic tags in scope: photos of this snapshot (or of the folder).
        in_scope = snapshot.ids if scope is None else snapshot.ids[scope]
        old = rows[is_auto]
        old = old[member(tags.photo[old], in_scope)]  # sorted, as rows are
        old_keys = tags.key[old]
        order = np.argsort(new_keys)
        new_keys, new_score, new_prob = new_keys[order], new_score[order], new_prob[order]
        position = np.searchsorted(old_keys, new_keys).clip(0, max(len(old_keys) - 1, 0))
        matched = (
            (old_keys[position] == new_keys) if len(old_keys) else np.zeros(len(new_keys), bool)
        )
        was = old[position[matched]]
        same_prob = np.isclose(
            new_prob[matched], tags.probability[was], atol=SCORE_EPSILON, equal_nan=True
        )
        moved = (np.abs(new_score[matched] - tags.score[was]) > SCORE_EPSILON) | ~same_prob
        rescored = np.flatnonzero(matched)[moved]
        added = ~matched
        removed = old_keys[~member(old_keys, new_keys)]
        return {
            "base": tags,
            "added": (new_keys[added], new_score[added], new_prob[added]),
            "removed": removed,
            "rescored": (new_keys[rescored], new_score[rescored], new_prob[rescored]),
        }

    def write(self, changes: dict[str, Any]) -> None:
        def prob(values: np.ndarray) -> list[float | None]:
            return [None if v != v else v for v in values.tolist()]  # NaN -> NULL

        def split(k: np.ndarray) -> tuple[list[int], list[int]]:
            return (k // KEY_BASE).tolist(), (k % KEY_BASE).tolist()

        add_keys, add_score, add_prob = changes["added"]
        re_keys, re_score, re_prob = changes["rescored"]
        removed = changes["removed"]
        if not len(add_keys) and not len(re_keys) and not len(removed):
            return
        added = zip(*split(add_keys), add_score.tolist(), prob(add_prob), strict=True)
        rescored = zip(re_score.tolist(), prob(re_prob), *split(re_keys), strict=True)
        with self.catalog.write() as db:
            before = counters.counter(db, "tags")
            tag_store.write_auto(db, added, zip(*split(removed), strict=True), rescored)
            upserted = np.concatenate([add_keys, re_keys])
            self.record(
                changes["base"],
                before,
                db,
                removed,
                upserted,
                tag_store.SOURCE_CODE[tag_store.AUTO],
                score=np.concatenate([add_score, re_score]),
                probability=np.concatenate([add_prob, re_prob]),
            )

    def record(
        self,
        base: Tags,
        before: int,
        db: Any,
        removed: np.ndarray,
        upserted: np.ndarray,
        source: int,
        score: np.ndarray | None = None,
        probability: np.ndarray | None = None,
    ) -> None:
        """Tell the in-memory tags what this transaction wrote (or drop them if stale)."""
        if before != base.generation:
            self.state.invalidate()  # someone else wrote since ``base`` was read
            return
        n = len(upserted)
        nan = np.full(n, np.nan)
        self.state.applied(
            base,
            counters.counter(db, "tags"),
            removed=removed,
            upserted=upserted,
            source=np.full(n, source, np.int8),
            score=nan if score is None else score,
            probability=nan if probability is None else probability,
            keep_score=score is None,
        )


def member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin`` for a sorted second array: one binary search per value."""
    if not len(sorted_set):
        return np.zeros(len(values), bool)
    position = np.searchsorted(sorted_set, values).clip(0, len(sorted_set) - 1)
    return sorted_set[position] == values


def examples_of(tags: Tags) -> dict[int, tuple[list[int], list[int]]]:
    """Per label id: (positive photo ids, rejected photo ids), from people and files."""
    decided = np.flatnonzero(tags.source != tag_store.SOURCE_CODE[tag_store.AUTO])
    out: dict[int, tuple[list[int], list[int]]] = {}
    rejected = tag_store.SOURCE_CODE[tag_store.REJECTED]
    for photo, label, source in zip(
        tags.photo[decided].tolist(),
        tags.label[decided].tolist(),
        tags.source[decided].tolist(),
        strict=True,
    ):
        entry = out.setdefault(label, ([], []))
        entry[1 if source == rejected else 0].append(photo)
    return out
