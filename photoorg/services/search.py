"""Ranking photos against a query: vectors, candidates, cutoff, order.

A query's terms become one vector: the weighted sum of the terms' embeddings (text from
the text tower, example photos from the catalog or, for a file outside it, the image
tower), normalised. Candidates come from the vector index, which itself switches to an
exact product when filters leave few photos (``store.vectors.index.EXACT_FACTOR``). A
negative term also excludes: a photo that a search for that term alone would return is
dropped.

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

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from photoorg.errors import NotEncodedError, PhotoOrgError, UsageError
from photoorg.model.hits import Hit
from photoorg.model.query import Filters, Query, Term
from photoorg.services.text_fusion import fuse, text_strength
from photoorg.store import counters, embeddings, photo_text, photos
from photoorg.store import filters as sql_filters

if TYPE_CHECKING:
    from photoorg.services.library import Library

SAMPLE_SIZE = 20_000
OUTLIER_SDS = 1.0
"""How far above the typical photo a match must be, in robust standard deviations."""
BEST_FRACTION = 0.7
"""And how far from the typical score towards the best one (this one usually decides)."""


class Space(NamedTuple):
    """Which vectors a search compares: the model's id and their length."""

    id: str
    dim: int


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


class Searcher:
    """The search pipeline behind ``Library.search``, ``similar`` and ``browse``."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.catalog = library.catalog
        self._sample: tuple[tuple[str, int], np.ndarray] | None = None

    def search(
        self,
        query: str | Query,
        *,
        filters: Filters | None = None,
        limit: int = 50,
        min_score: float | None = None,
        sort: str = "relevance",
        cwd: Path | None = None,
        exclude: Iterable[int] = (),
    ) -> list[Hit]:
        """Photos best matching ``query`` (the query language of ``services.query_parser``)."""
        parsed = self.library.places.parse(query, cwd=cwd) if isinstance(query, str) else query
        merged = parsed.filters.merged(filters) if filters else parsed.filters
        if sort not in ("relevance", "date"):
            raise UsageError(f"unknown sort {sort!r}: use relevance or date")
        if limit < 1:
            raise UsageError("--limit must be at least 1")
        if not parsed.terms:
            # Nothing to score against: filters only. Newest first is both orders (there
            # is no relevance to rank by); a score floor would silently mean nothing.
            if min_score is not None:
                raise UsageError(
                    "--min-score needs words or example photos to score against; "
                    "filters alone give no scores"
                )
            return self.browse(merged, limit=limit)
        # The model's id and vector length, not the model: a text query asked before, or
        # one the exported text tower answers, never loads torch (services.query_vectors).
        space = Space(*self.library.encoded_space())
        vectors = self._term_vectors(parsed.terms, space)
        weights = np.array([t.weight for t in parsed.terms], np.float32)
        query_vector = combine(vectors, weights)
        if not query_vector.any():
            return []
        allowed = None if merged.is_empty() else sql_filters.matching_ids(self.catalog.read, merged)
        # A photo asked for by example is what the user already has: show what is like it.
        excluded = set(exclude) | self._example_ids(parsed.terms)
        index = self.library._index_keeper().index()
        if len(index) == 0:
            raise NotEncodedError("nothing is encoded yet: run photoorg index PATH first")
        k = min(len(index), max(limit * 4, 200) + len(excluded))
        ids, scores = index.search(query_vector, k, allowed=allowed)
        ids, scores = ids[0], scores[0]
        sample = self._score_sample(space)
        cutoff = min_score if min_score is not None else relevance_cutoff(sample @ query_vector)
        keep = scores >= cutoff
        negatives = [v for v, t in zip(vectors, parsed.terms, strict=True) if t.weight < 0]
        if negatives and keep.any():
            candidate = embeddings.get(self.catalog.read, space.id, ids[keep].tolist(), space.dim)
            for negative in negatives:
                negative_cut = relevance_cutoff(sample @ negative)
                for pos in np.flatnonzero(keep):
                    vector = candidate.get(int(ids[pos]))
                    if vector is not None and float(vector @ negative) >= negative_cut:
                        keep[pos] = False
        chosen = [
            (int(i), float(s))
            for i, s in zip(ids[keep], scores[keep], strict=True)
            if int(i) not in excluded
        ]
        chosen = self._with_text_matches(parsed.terms, chosen, query_vector, allowed, excluded)
        return self._hits(chosen[:limit], sort)

    def _with_text_matches(
        self,
        terms: Sequence[Term],
        chosen: list[tuple[int, float]],
        query_vector: np.ndarray,
        allowed: np.ndarray | None,
        excluded: set[int],
    ) -> list[tuple[int, float]]:
        """Fuse the CLIP ranking with the photos whose text holds the query's words
        (``services.text_fusion``): a photo of a sign saying the query ranks first."""
        words = " ".join(t.value for t in terms if t.kind == "text" and t.weight > 0)
        if not words:
            return chosen
        db = self.catalog.read
        strength = text_strength(words, lambda phrase: photo_text.photos_with_text(db, phrase))
        permitted = None if allowed is None else set(allowed.tolist())
        strength = {
            p: v
            for p, v in strength.items()
            if p not in excluded and (permitted is None or p in permitted)
        }
        if not strength:
            return chosen
        model = self.library.model()

        def clip_scores(ids: Iterable[int]) -> dict[int, float]:
            vectors = embeddings.get(db, model.id, list(ids), model.dim)
            return {i: float(v @ query_vector) for i, v in vectors.items()}

        return fuse(dict(chosen), strength, missing_score=clip_scores)

    def similar(
        self, examples: Sequence[str | os.PathLike[str] | int], *, limit: int = 50, **kwargs: Any
    ) -> list[Hit]:
        """Photos like the examples (catalog photos or files), the examples left out."""
        terms, exclude = [], []
        for example in examples:
            if isinstance(example, int):
                terms.append(Term("photo", str(example), 1.0))
                exclude.append(example)
                continue
            path = Path(example).expanduser().resolve()
            if not path.is_file():
                raise UsageError(f"no such file: {example}")
            found = photos.photo_ids_by_path(self.catalog.read, [str(path)])
            if found:
                exclude.append(found[str(path)])
            terms.append(Term("image", str(path), 1.0))
        if not terms:
            raise UsageError("name at least one example photo")
        return self.search(Query(tuple(terms), Filters()), limit=limit, exclude=exclude, **kwargs)

    def browse(self, filters: Filters | None = None, *, limit: int | None = None) -> list[Hit]:
        """Photos passing ``filters``, newest first (no model needed)."""
        rows = sql_filters.browse(self.catalog.read, filters, limit)
        return [Hit(i, path, 1.0, taken) for i, path, taken in rows]

    def _hits(self, chosen: list[tuple[int, float]], sort: str) -> list[Hit]:
        if not chosen:
            return []
        info = photos.paths_and_dates(self.catalog.read, [i for i, _ in chosen])
        hits = [Hit(i, info[i][0], s, info[i][1]) for i, s in chosen if i in info]
        if sort == "date":
            hits.sort(key=lambda h: h.taken_at, reverse=True)
        return hits

    def _term_vectors(self, terms: Sequence[Term], space: Space) -> np.ndarray:
        rows = []
        texts = [t.value for t in terms if t.kind == "text"]
        found = self.library.query_vectors().get(texts, space.dim) if texts else []
        text_vectors = dict(zip(texts, found, strict=True))
        for term in terms:
            if term.kind == "text":
                rows.append(text_vectors[term.value])
            elif term.kind == "photo":
                rows.append(self._stored_vector(int(term.value), space))
            else:
                rows.append(self._image_vector(Path(term.value), space))
        return np.stack(rows).astype(np.float32)

    def _example_ids(self, terms: Sequence[Term]) -> set[int]:
        """Catalog photos given as positive example terms (by id or by path)."""
        ids = {int(t.value) for t in terms if t.kind == "photo" and t.weight > 0}
        paths = [t.value for t in terms if t.kind == "image" and t.weight > 0]
        if paths:
            ids |= set(photos.photo_ids_by_path(self.catalog.read, paths).values())
        return ids

    def _stored_vector(self, photo_id: int, space: Space) -> np.ndarray:
        found = embeddings.get(self.catalog.read, space.id, [photo_id], space.dim)
        if photo_id not in found:
            raise UsageError(f"photo {photo_id} is not in the catalog or not encoded yet")
        return found[photo_id]

    def _image_vector(self, path: Path, space: Space) -> np.ndarray:
        found = photos.photo_ids_by_path(self.catalog.read, [str(path)])
        if found:
            stored = embeddings.get(self.catalog.read, space.id, [found[str(path)]], space.dim)
            if stored:
                return next(iter(stored.values()))
        from photoorg.media import decode  # Pillow and HEIF: only when a file is asked for

        model = self.library.model()

        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
        try:
            upright = decode.decode_upright(decode.open_image(data, path.name), model.image_size)
        except PhotoOrgError as exc:
            raise UsageError(f"cannot use {path.name} as an example: {exc}") from exc
        return model.encode_images([model.prepare(upright)])[0]

    def _score_sample(self, space: Space) -> np.ndarray:
        """Up to ``SAMPLE_SIZE`` stored vectors, to read score distributions from.

        Kept until the embeddings change, which the catalog's trigger-kept counter tells
        in one row read (counting the vectors cost ~90 ms per search at a million).
        """
        key = (space.id, counters.counter(self.catalog.read, "embeddings"))
        if self._sample is not None and self._sample[0] == key:
            return self._sample[1]
        matrix = embeddings.sample(self.catalog.read, space.id, SAMPLE_SIZE, space.dim)
        self._sample = (key, matrix)
        return matrix
