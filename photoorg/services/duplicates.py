"""Finding exact copies (same content) and near-duplicates (cosine at or above a threshold).

Exact copies share a SHA-256. Near-duplicates are joined through the vector index: each
photo's few nearest neighbours above the threshold land in its group (union-find), and a
group counts only when it holds more than one distinct content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from photoorg.errors import UsageError
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.store import embeddings, photos

if TYPE_CHECKING:
    from photoorg.services.library import Library


def find_duplicates(
    library: Library,
    threshold: float = 0.95,
    *,
    neighbours: int = 8,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> list[dict[str, Any]]:
    """Groups of exact copies and near-duplicates, as ``Library.duplicates`` returns them.

    Each group lists its photos best first: the largest resolution, then file size.
    Every photo's neighbours are looked up (about a millisecond each), so a large
    library reports progress ("comparing", photos done, all) and can be cancelled.
    """
    cancel = cancel or CancelToken()
    if not -1.0 <= threshold <= 1.0:
        raise UsageError("--threshold is a cosine similarity between -1 and 1")
    db = library.catalog.read
    meta = {row[0]: row for row in photos.online_sizes(db)}
    by_hash: dict[str, list[int]] = {}
    for photo_id, *_, sha in meta.values():
        by_hash.setdefault(sha, []).append(photo_id)
    groups = [("exact", ids) for ids in by_hash.values() if len(ids) > 1]

    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    total = embeddings.count(db, library.model_name_id())
    if total:
        model = library.model()
        index = library._index_keeper().index()
        done = 0
        for ids, vectors in embeddings.stream(db, model.id, model.dim):
            progress("comparing", done, total)
            cancel.check()
            found, scores = index.search(vectors, min(neighbours, len(index)))
            done += len(ids)
            for photo_id, row_ids, row_scores in zip(ids, found, scores, strict=True):
                for other, score in zip(row_ids, row_scores, strict=True):
                    if other != photo_id and score >= threshold:
                        parent[find(int(photo_id))] = find(int(other))
        progress("comparing", done, total)
    near: dict[int, list[int]] = {}
    for photo_id in list(parent):
        near.setdefault(find(photo_id), []).append(photo_id)
    for members in near.values():
        if len(members) > 1 and len({meta[m][5] for m in members if m in meta}) > 1:
            groups.append(("near", members))

    def best_first(ids: list[int]) -> list[dict[str, Any]]:
        rows = sorted(
            (meta[i] for i in ids if i in meta), key=lambda r: (-r[2] * r[3], -r[4], r[1])
        )
        return [{"path": r[1], "width": r[2], "height": r[3], "size": r[4]} for r in rows]

    result = [{"kind": kind, "photos": best_first(ids)} for kind, ids in groups]
    return sorted(result, key=lambda g: (g["kind"] != "exact", g["photos"][0]["path"]))
