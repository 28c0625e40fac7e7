"""Every tag of the catalog as sorted numpy columns, kept in memory between re-tags.

Why: a re-tag compares the tags it computes with the stored ones and writes only the
difference. Reading 400,000 tag rows back out of SQLite as Python tuples costs seconds,
ten times the matrix product. So the tags are read once and kept; a counter that
triggers bump on every change to the tags table (schema M002) tells when the copy is
stale. Writes made through ``Tagging`` update the copy in place and record the counter
value inside their own transaction, so they never force a re-read; writes made by
anyone else do.

Rows are ordered by ``key = photo_id * KEY_BASE + label_id``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from photoorg.store import counters
from photoorg.store import tags as tag_store

if TYPE_CHECKING:
    from sqlite_utils import Database  # the type of Catalog.read, for hints only

KEY_BASE = 1 << 21
"""Label ids stay below this (about two million labels); photo ids below 2**42."""

AUTO = tag_store.SOURCE_CODE[tag_store.AUTO]
REJECTED = tag_store.SOURCE_CODE[tag_store.REJECTED]


@dataclass(frozen=True)
class Tags:
    generation: int
    key: np.ndarray  # int64, sorted
    source: np.ndarray  # int8 codes of tag_store.SOURCES
    score: np.ndarray  # float64, NaN where unknown
    probability: np.ndarray  # float64, NaN outside exclusive groups

    @property
    def photo(self) -> np.ndarray:
        return self.key // KEY_BASE

    @property
    def label(self) -> np.ndarray:
        return self.key % KEY_BASE

    def carried_counts(self) -> dict[int, int]:
        labels, counts = np.unique(self.label[self.source != REJECTED], return_counts=True)
        return dict(zip(labels.tolist(), counts.tolist(), strict=True))

    def carried_photos(self) -> dict[int, np.ndarray]:
        """Per label id: the (sorted) ids of the photos carrying it (any source but rejected)."""
        carried = self.source != REJECTED
        label, photo = self.label[carried], self.photo[carried]
        order = np.lexsort((photo, label))
        label, photo = label[order], photo[order]
        ids, starts = np.unique(label, return_index=True)
        if not len(ids):
            return {}
        return dict(zip(ids.tolist(), np.split(photo, starts[1:]), strict=True))

    def of_labels(self, label_ids: list[int]) -> np.ndarray:
        """A mask of the rows of these labels."""
        return np.isin(self.label, np.asarray(label_ids, np.int64))


def keys(photo: np.ndarray, label: np.ndarray) -> np.ndarray:
    return photo.astype(np.int64) * KEY_BASE + label.astype(np.int64)


def read(db: Database, generation: int) -> Tags:
    columns = tag_store.all_tags(db)
    key = keys(columns["photo"], columns["label"])
    order = np.argsort(key, kind="stable")
    return Tags(
        generation,
        key[order],
        columns["source"][order],
        columns["score"][order],
        columns["probability"][order],
    )


class TagState:
    """Hands out the current ``Tags``; ``Tagging`` reports its own writes to it."""

    def __init__(self) -> None:
        self._tags: Tags | None = None
        self._lock = threading.Lock()

    def current(self, db: Database) -> Tags:
        generation = counters.counter(db, "tags")
        with self._lock:
            if self._tags is not None and self._tags.generation == generation:
                return self._tags
        tags = read(db, generation)  # counter read first: a racing write forces a re-read
        with self._lock:
            self._tags = tags
        return tags

    def invalidate(self) -> None:
        with self._lock:
            self._tags = None

    def applied(
        self,
        base: Tags,
        generation: int,
        *,
        removed: np.ndarray,
        upserted: np.ndarray,
        source: np.ndarray,
        score: np.ndarray,
        probability: np.ndarray,
        keep_score: bool = False,
    ) -> None:
        """Record a write made on top of ``base``: rows ``removed`` went, rows
        ``upserted`` (keys) now have ``source`` and ``score``/``probability``
        (with ``keep_score``, existing rows keep theirs). ``generation``: the counter
        value read inside the writing transaction, after the write."""
        drop = np.isin(base.key, removed) | np.isin(base.key, upserted)
        position = np.searchsorted(base.key, upserted).clip(0, max(len(base.key) - 1, 0))
        existing = (
            (base.key[position] == upserted) if len(base.key) else np.zeros(len(upserted), bool)
        )
        if keep_score:
            score = np.where(existing, base.score[position] if len(base.key) else np.nan, score)
            probability = np.where(
                existing, base.probability[position] if len(base.key) else np.nan, probability
            )
        key = np.concatenate([base.key[~drop], upserted])
        order = np.argsort(key, kind="stable")
        tags = Tags(
            generation,
            key[order],
            np.concatenate([base.source[~drop], source.astype(np.int8)])[order],
            np.concatenate([base.score[~drop], score.astype(np.float64)])[order],
            np.concatenate([base.probability[~drop], probability.astype(np.float64)])[order],
        )
        with self._lock:
            if self._tags is None or self._tags.generation == base.generation:
                self._tags = tags
