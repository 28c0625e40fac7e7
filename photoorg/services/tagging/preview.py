"""What a (possibly unsaved) label would tag, fast enough for the live label editor.

At most the label's new prompts go through the text tower; then one product over the
embeddings kept in memory. When no photo reaches the threshold the closest undecided
photos are offered instead, so the user has something to confirm or reject.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from photoorg.model.hits import Preview
from photoorg.model.label import Label
from photoorg.store import labels as label_store
from photoorg.store import tags as tag_store

if TYPE_CHECKING:
    from photoorg.services.tagging.photo_matrix import Snapshot
    from photoorg.services.tagging.service import Tagging

CLOSEST_SHOWN = 24  # photos a preview offers as examples when none reaches the threshold


def preview_label(tagging: Tagging, label: Label, limit: int, examples_from: str | None) -> Preview:
    """``Tagging.preview`` for a checked ``label``."""
    snapshot = tagging._snapshot()
    if snapshot is None:
        return Preview(0, [])
    db = tagging.catalog.read
    stored = label_store.find_label(db, examples_from or label.name)
    label_id = stored.id if stored else -1
    mates = []
    if label.exclusive_group is not None:
        mates = [
            s
            for s in tagging._stored_labels()
            if s.label.exclusive_group == label.exclusive_group
            and s.label.enabled
            and s.id != label_id
        ]
    candidate = label_store.StoredLabel(label_id, replace(label, enabled=True))
    tags = tagging.state.current(db)
    classifiers = tagging.engine.classifiers([candidate, *mates], snapshot, tags)
    rows = np.flatnonzero(tags.of_labels([s.id for s in [candidate, *mates]]))
    decided = tagging.engine.decided_columns(tags, rows, classifiers)
    mine = rows[tags.label[rows] == label_id]
    people = mine[tags.source[mine] != tag_store.SOURCE_CODE[tag_store.AUTO]]
    carried = tags.photo[people[tags.source[people] != tag_store.SOURCE_CODE[tag_store.REJECTED]]]
    found: list[np.ndarray] = []
    for ids, vectors in snapshot.chunks(tagging.catalog):
        block = classifiers.score(ids, vectors, decided)
        found.append(block.photo[block.column == 0])
    auto = np.concatenate(found) if found else np.zeros(0, np.int64)
    auto = auto[~np.isin(auto, tags.photo[people])]
    members = np.union1d(auto, carried)
    if classifiers.matrix.shape[0] == 0:
        return Preview(len(members), [])
    if not len(members):
        shown = min(limit, CLOSEST_SHOWN)
        return _closest(tagging, snapshot, classifiers.matrix[0], tags.photo[people], shown)
    present = members[snapshot.positions(members) >= 0]
    scores = snapshot.vectors(tagging.catalog, present.tolist()) @ classifiers.matrix[0]
    order = np.argsort(-scores, kind="stable")[:limit]
    return Preview(len(members), [(int(present[i]), float(scores[i])) for i in order])


def _closest(
    tagging: Tagging, snapshot: Snapshot, direction: np.ndarray, decided: np.ndarray, limit: int
) -> Preview:
    """The ``limit`` photos nearest to ``direction`` that the user has not decided on."""
    best_ids = np.zeros(0, np.int64)
    best_scores = np.zeros(0, np.float32)
    for ids, vectors in snapshot.chunks(tagging.catalog):
        keep = ~np.isin(ids, decided)
        ids = np.asarray(ids)[keep]
        scores = np.asarray(vectors)[keep] @ direction
        best_ids = np.concatenate([best_ids, ids.astype(np.int64)])
        best_scores = np.concatenate([best_scores, scores.astype(np.float32)])
        if len(best_ids) > limit:
            top = np.argpartition(-best_scores, limit)[:limit]
            best_ids, best_scores = best_ids[top], best_scores[top]
    order = np.argsort(-best_scores, kind="stable")
    hits = [(int(best_ids[i]), float(best_scores[i])) for i in order]
    return Preview(0, hits, closest=True)
