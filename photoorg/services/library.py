"""``Library``: the one API that the command line and the window call.

It owns the catalog, the model (loaded on first need, so browsing never waits for torch)
and the vector index, and turns user requests into scanner, encoder and search calls.
Every method is safe to call from a worker thread; the GUI calls them through its
background runner, never from the GUI thread for anything slow.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from photoorg.config import DEFAULT_MODEL, THUMBNAIL_SIZE, Paths, resolve_home
from photoorg.errors import CatalogDamagedError, CatalogError, PhotoOrgError, UsageError
from photoorg.model.query import Filters, Query, Term, parse_query
from photoorg.services import search as ranking
from photoorg.services.indexing.scanner import Scanner
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.store import embeddings, photos
from photoorg.store import filters as sql_filters
from photoorg.store import labels as label_store
from photoorg.store.catalog import Catalog

if TYPE_CHECKING:
    from photoorg.services.albums import Albums
    from photoorg.services.tagging.service import Tagging

MODEL_SETTING = "model"


class Library:
    """An open catalog and everything that works on it. Close it when done."""

    def __init__(
        self,
        home: str | os.PathLike[str] | None = None,
        *,
        model: str | None = None,
        device: str = "auto",
        workers: int | None = None,
    ) -> None:
        self.paths = Paths(resolve_home(home))
        self._notices: list[str] = []
        self._notices_lock = threading.Lock()
        self._thumbnail_lock = threading.Lock()
        self._thumbnails_remade = 0
        self.catalog = self._open_catalog()
        self.device = device
        self.workers = workers
        self._model_name = model
        self._model: Any = None
        self._keeper: Any = None
        self._model_lock = threading.Lock()
        self._sample: tuple[int, np.ndarray] | None = None

    def _open_catalog(self) -> Catalog:
        """Open the catalog; a damaged one is set aside and salvaged (see core.repair)."""
        try:
            return Catalog(self.paths.database)
        except CatalogDamagedError as exc:
            from photoorg.services import repair

            try:
                message = repair.recover_catalog(self.paths, str(exc.__cause__ or exc))
            except OSError as os_exc:
                raise CatalogError(f"{exc}; it could not be set aside: {os_exc}") from exc
            self._notices.append(message)
            return Catalog(self.paths.database)

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- model and index ----------------------------------------------------------------

    @property
    def model_name(self) -> str:
        """The model asked for, else the one the catalog was encoded with, else the default."""
        return self._model_name or self.catalog.get_setting(MODEL_SETTING) or DEFAULT_MODEL

    def model(self) -> Any:
        """The loaded ``ClipModel`` (imports torch on first call, which takes a moment)."""
        with self._model_lock:
            wanted = self.model_name
            if self._model is None or self._model.id not in (wanted, self._spec_id(wanted)):
                from photoorg.ml.model import ClipModel

                self._model = ClipModel.load(self.model_name, self.device)
                self._keeper = None
                self._sample = None
            return self._model

    @staticmethod
    def _spec_id(name: str) -> str:
        from photoorg.ml.spec import ModelSpec

        return ModelSpec.parse(name).id

    def use_loaded_model(self, model: Any) -> None:
        """Use a ``ClipModel`` built elsewhere (benchmarks with random weights, self-test)."""
        with self._model_lock:
            self._model_name = model.id
            self._model, self._keeper, self._sample = model, None, None

    def model_needs_download(self) -> bool:
        """Whether the model's weights are missing from this computer (no network used)."""
        from photoorg.ml import weights
        from photoorg.ml.spec import ModelSpec

        return weights.missing(ModelSpec.parse(self.model_name))

    def download_model(
        self, progress: Progress = no_progress, cancel: CancelToken | None = None
    ) -> None:
        """Fetch the model's weights into the Hugging Face cache ("downloading", bytes)."""
        from photoorg.ml import weights
        from photoorg.ml.spec import ModelSpec

        token = cancel or CancelToken()
        weights.download(
            ModelSpec.parse(self.model_name),
            lambda done, total: progress("downloading", done, total),
            lambda: token.cancelled,
        )

    def set_model(self, name: str) -> None:
        """Use ``name`` from now on (the catalog keeps its own until it is re-encoded)."""
        self._spec_id(name)  # validate early
        self._model_name = name

    def _index_keeper(self) -> Any:
        model = self.model()
        with self._model_lock:
            if self._keeper is None:
                from photoorg.services.indexing.index_keeper import IndexKeeper

                self._keeper = IndexKeeper(self.catalog, self.paths, model.id, model.dim)
            return self._keeper

    def notices(self) -> list[str]:
        """Repairs made since the last call (a salvaged catalog, a rebuilt index, remade
        thumbnails), each said once: a second call returns only what happened since."""
        with self._notices_lock:
            found, self._notices = self._notices, []
            keeper = self._keeper
            if keeper is not None and keeper.notice:
                found.append(keeper.notice)
                keeper.notice = None
            if self._thumbnails_remade:
                count, self._thumbnails_remade = self._thumbnails_remade, 0
                found.append(
                    f"{count} damaged thumbnail{'s were' if count != 1 else ' was'} set aside in "
                    f"{self.paths.quarantine / 'thumbnails'} and made again from the photos"
                )
        return found

    # -- roots ----------------------------------------------------------------------------

    def roots(self) -> list[photos.Root]:
        return photos.list_roots(self.catalog.read)

    def add_roots(self, folders: Iterable[str | os.PathLike[str]]) -> list[photos.Root]:
        """Add folders as roots (a folder inside a known root just selects that root)."""
        known = self.roots()
        chosen: list[photos.Root] = []
        for folder in folders:
            path = Path(folder).expanduser().resolve()
            inside = [r for r in known if path.is_relative_to(r.path)]
            if not path.is_dir() and not any(r.path == str(path) for r in inside):
                # A known root may be missing (an unplugged disk): scanning marks it offline.
                raise UsageError(f"not a folder: {folder}")
            if inside:
                chosen.append(inside[0])
                continue
            with self.catalog.write() as db:
                # A new root that contains old roots takes their photos over.
                root = photos.add_root(db, str(path))
                for old in known:
                    if Path(old.path).is_relative_to(path):
                        db.execute(
                            "UPDATE photos SET root_id = ? WHERE root_id = ?", [root.id, old.id]
                        )
                        db.execute(
                            "UPDATE scan_errors SET root_id = ? WHERE root_id = ?",
                            [root.id, old.id],
                        )
                        db.execute("DELETE FROM roots WHERE id = ?", [old.id])
            known = self.roots()
            chosen.append(root)
        return chosen

    def remove_root(self, folder: str | os.PathLike[str]) -> int:
        """Forget a root and its photos' catalog entries; returns how many. Files stay."""
        path = str(Path(folder).expanduser().resolve())
        for root in self.roots():
            if root.path == path:
                with self.catalog.write() as db:
                    return photos.remove_root(db, root.id)
        raise UsageError(f"not a library root: {folder}")

    # -- tagging and albums (services.tagging.service, services.albums) -----------------------

    @cached_property
    def tagging(self) -> Tagging:
        from photoorg.services.tagging.service import Tagging

        return Tagging(self)

    @cached_property
    def albums(self) -> Albums:
        from photoorg.services.albums import Albums

        return Albums(self)

    # -- indexing -------------------------------------------------------------------------

    def index(
        self,
        folders: Sequence[str | os.PathLike[str]] = (),
        *,
        encode: bool = True,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> dict[str, Any]:
        """Scan (and encode) ``folders``, adding them as roots; all roots when empty."""
        roots = self.add_roots(folders) if folders else self.roots()
        if not roots:
            raise UsageError("no photo folders yet: name one, e.g. photoorg index ~/Pictures")
        scanner = Scanner(self.catalog, self.paths, workers=self.workers)
        if not encode:
            summary = scanner.scan(roots, progress=progress, cancel=cancel).as_dict()
            summary["encoded"] = 0
            self.tagging.after_index(encoded=False, progress=progress, cancel=cancel)
            return summary
        from photoorg.services.indexing.encoding import (
            EmbeddingSink,
            default_batch_size,
            encode_missing,
        )

        model = self.model()
        sink = EmbeddingSink(self.catalog, model, default_batch_size(model), progress)
        summary = scanner.scan(
            roots,
            decode_side=max(THUMBNAIL_SIZE, model.image_size),
            preprocess=model.prepare,
            on_pixels=sink.add,
            batch_size=sink.batch_size,
            progress=progress,
            cancel=cancel,
        ).as_dict()
        sink.flush()
        encoded, failed = encode_missing(
            self.catalog, model, workers=self.workers, progress=progress, cancel=cancel
        )
        summary["encoded"] = sink.encoded + encoded
        summary["errors"] += failed
        self._adopt_model_if_complete(model.id)
        self._index_keeper().sync()
        self._sample = None
        self.tagging.after_index(encoded=True, progress=progress, cancel=cancel)
        return summary

    def _adopt_model_if_complete(self, model_id: str) -> None:
        """Once every photo has a vector from this model, it becomes the catalog's model."""
        if embeddings.missing(self.catalog.read, model_id):
            return
        with self.catalog.write() as db:
            previous = self.catalog.get_setting(MODEL_SETTING)
            db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [MODEL_SETTING, model_id],
            )
            if previous and previous != model_id:
                embeddings.delete_other_models(db, model_id)
                db.execute("DELETE FROM settings WHERE key = ?", [f"index:{previous}"])

    # -- reading the catalog ------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        db = self.catalog.read
        result: dict[str, Any] = photos.counts(db)
        result["model"] = self.catalog.get_setting(MODEL_SETTING)
        result["encoded"] = embeddings.models(db)
        result["catalog"] = str(self.paths.home)
        return result

    def errors(self) -> list[dict[str, Any]]:
        return photos.list_errors(self.catalog.read)

    def photo_id(self, path: str | os.PathLike[str]) -> int:
        resolved = str(Path(path).expanduser().resolve())
        found = photos.photo_ids_by_path(self.catalog.read, [resolved])
        if resolved not in found:
            raise UsageError(f"not in the catalog: {path}")
        return found[resolved]

    def info(self, path_or_id: str | os.PathLike[str] | int) -> dict[str, Any]:
        photo_id = path_or_id if isinstance(path_or_id, int) else self.photo_id(path_or_id)
        row = photos.get_photo(self.catalog.read, photo_id)
        if row is None:
            raise UsageError(f"no photo with id {photo_id}")
        row["thumbnail"] = str(self.paths.thumbnail(row["sha256"]))
        row["tags"] = self.tags_of(photo_id)
        return row

    def tags_of(self, photo_id: int) -> list[dict[str, Any]]:
        """A photo's tags (label, parent, score, probability, source), rejected ones last."""
        return label_store.tags_of(self.catalog.read, photo_id)

    def thumbnail_path(self, photo_id: int) -> Path | None:
        """The photo's thumbnail file, checked first: a damaged or missing one is made
        again from the photo (the damaged file is set aside). None if that fails too."""
        row = self.catalog.read.execute(
            "SELECT sha256, path FROM photos WHERE id = ?", [photo_id]
        ).fetchone()
        if row is None:
            return None
        from photoorg.services import repair

        thumbnail = self.paths.thumbnail(row[0])
        if repair.thumbnail_ok(thumbnail):
            return thumbnail
        return self._remake_thumbnail(thumbnail, row[0], row[1])

    def _remake_thumbnail(self, thumbnail: Path, sha256: str, photo: str) -> Path | None:
        from photoorg.media import decode as imaging
        from photoorg.services import repair
        from photoorg.services.indexing.scanner import read_bytes_stable, save_thumbnail

        with self._thumbnail_lock:  # one repair at a time: two threads may ask for one photo
            if repair.thumbnail_ok(thumbnail):
                return thumbnail
            if thumbnail.exists():
                try:
                    repair.set_aside(self.paths, thumbnail, folder="thumbnails")
                except OSError:
                    return None
                with self._notices_lock:
                    self._thumbnails_remade += 1
            try:
                data, _ = read_bytes_stable(photo)
                image = imaging.open_image(data, os.path.basename(photo))
                save_thumbnail(self.paths, sha256, imaging.decode_upright(image, THUMBNAIL_SIZE))
            except (PhotoOrgError, OSError):
                return None  # the photo is gone or unreadable now: no thumbnail to show
        return thumbnail

    # -- search ---------------------------------------------------------------------------

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
    ) -> list[ranking.Hit]:
        """Photos best matching ``query`` (the query language of ``core.query``)."""
        parsed = parse_query(query, cwd=cwd) if isinstance(query, str) else query
        merged = parsed.filters.merged(filters) if filters else parsed.filters
        if sort not in ("relevance", "date"):
            raise UsageError(f"unknown sort {sort!r}: use relevance or date")
        if limit < 1:
            raise UsageError("--limit must be at least 1")
        if not parsed.terms:
            return self.browse(merged, limit=limit)
        model = self.model()
        vectors = self._term_vectors(parsed.terms, model)
        weights = np.array([t.weight for t in parsed.terms], np.float32)
        query_vector = ranking.combine(vectors, weights)
        if not query_vector.any():
            return []
        allowed = None if merged.is_empty() else sql_filters.matching_ids(self.catalog.read, merged)
        # A photo asked for by example is what the user already has: show what is like it.
        excluded = set(exclude) | self._example_ids(parsed.terms)
        index = self._index_keeper().index()
        if len(index) == 0:
            raise UsageError("nothing is encoded yet: run photoorg index PATH first")
        k = min(len(index), max(limit * 4, 200) + len(excluded))
        ids, scores = index.search(query_vector, k, allowed=allowed)
        ids, scores = ids[0], scores[0]
        sample = self._score_sample(model)
        cutoff = (
            min_score if min_score is not None else ranking.relevance_cutoff(sample @ query_vector)
        )
        keep = scores >= cutoff
        negatives = [v for v, t in zip(vectors, parsed.terms, strict=True) if t.weight < 0]
        if negatives and keep.any():
            candidate = embeddings.get(self.catalog.read, model.id, ids[keep].tolist(), model.dim)
            for negative in negatives:
                negative_cut = ranking.relevance_cutoff(sample @ negative)
                for pos in np.flatnonzero(keep):
                    vector = candidate.get(int(ids[pos]))
                    if vector is not None and float(vector @ negative) >= negative_cut:
                        keep[pos] = False
        chosen = [
            (int(i), float(s))
            for i, s in zip(ids[keep], scores[keep], strict=True)
            if int(i) not in excluded
        ]
        return self._hits(chosen[:limit], sort)

    def similar(
        self, examples: Sequence[str | os.PathLike[str] | int], *, limit: int = 50, **kwargs: Any
    ) -> list[ranking.Hit]:
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

    def browse(
        self, filters: Filters | None = None, *, limit: int | None = None
    ) -> list[ranking.Hit]:
        """Photos passing ``filters``, newest first (no model needed)."""
        where, params = sql_filters.where(filters)
        sql = (
            f"SELECT p.id, p.path, p.taken_at FROM photos p WHERE {where} "
            "ORDER BY p.taken_at DESC, p.path"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [
            ranking.Hit(i, path, 1.0, taken)
            for i, path, taken in self.catalog.read.execute(sql, params)
        ]

    def _hits(self, chosen: list[tuple[int, float]], sort: str) -> list[ranking.Hit]:
        if not chosen:
            return []
        ids = [i for i, _ in chosen]
        rows = self.catalog.read.execute(
            f"SELECT id, path, taken_at FROM photos WHERE id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
        info = {i: (path, taken) for i, path, taken in rows}
        hits = [ranking.Hit(i, info[i][0], s, info[i][1]) for i, s in chosen if i in info]
        if sort == "date":
            hits.sort(key=lambda h: h.taken_at, reverse=True)
        return hits

    def _term_vectors(self, terms: Sequence[Term], model: Any) -> np.ndarray:
        rows = []
        texts = [t.value for t in terms if t.kind == "text"]
        text_vectors = dict(zip(texts, model.encode_texts(texts), strict=True)) if texts else {}
        for term in terms:
            if term.kind == "text":
                rows.append(text_vectors[term.value])
            elif term.kind == "photo":
                rows.append(self._stored_vector(int(term.value), model))
            else:
                rows.append(self._image_vector(Path(term.value), model))
        return np.stack(rows).astype(np.float32)

    def _example_ids(self, terms: Sequence[Term]) -> set[int]:
        """Catalog photos given as positive example terms (by id or by path)."""
        ids = {int(t.value) for t in terms if t.kind == "photo" and t.weight > 0}
        paths = [t.value for t in terms if t.kind == "image" and t.weight > 0]
        if paths:
            ids |= set(photos.photo_ids_by_path(self.catalog.read, paths).values())
        return ids

    def _stored_vector(self, photo_id: int, model: Any) -> np.ndarray:
        found = embeddings.get(self.catalog.read, model.id, [photo_id], model.dim)
        if photo_id not in found:
            raise UsageError(f"photo {photo_id} is not in the catalog or not encoded yet")
        return found[photo_id]

    def _image_vector(self, path: Path, model: Any) -> np.ndarray:
        found = photos.photo_ids_by_path(self.catalog.read, [str(path)])
        if found:
            stored = embeddings.get(self.catalog.read, model.id, [found[str(path)]], model.dim)
            if stored:
                return next(iter(stored.values()))
        from photoorg.media import decode as imaging

        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
        try:
            upright = imaging.decode_upright(imaging.open_image(data, path.name), model.image_size)
        except PhotoOrgError as exc:
            raise UsageError(f"cannot use {path.name} as an example: {exc}") from exc
        return model.encode_images([model.prepare(upright)])[0]

    def _score_sample(self, model: Any) -> np.ndarray:
        """Up to ``SAMPLE_SIZE`` stored vectors, to read score distributions from.

        Kept until the embeddings change, which the catalog's trigger-kept counter tells
        in one row read (counting the vectors cost ~90 ms per search at a million).
        """
        version = label_store.counter(self.catalog.read, "embeddings")
        if self._sample is not None and self._sample[0] == version:
            return self._sample[1]
        rows = self.catalog.read.execute(
            "SELECT vector FROM embeddings WHERE model = ? ORDER BY random() LIMIT ?",
            [model.id, ranking.SAMPLE_SIZE],
        ).fetchall()
        matrix = np.frombuffer(b"".join(r[0] for r in rows), np.float32).reshape(
            len(rows), model.dim
        )
        self._sample = (version, matrix)
        return matrix

    # -- duplicates -----------------------------------------------------------------------

    def duplicates(
        self,
        threshold: float = 0.95,
        *,
        neighbours: int = 8,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[dict[str, Any]]:
        """Groups of exact copies (same content) and near-duplicates (cosine >= threshold).

        Each group lists its photos best first: the largest resolution, then file size.
        Every photo's neighbours are looked up (about a millisecond each), so a large
        library reports progress ("comparing", photos done, all) and can be cancelled.
        """
        cancel = cancel or CancelToken()
        if not -1.0 <= threshold <= 1.0:
            raise UsageError("--threshold is a cosine similarity between -1 and 1")
        db = self.catalog.read
        meta = {
            row[0]: row
            for row in db.execute(
                "SELECT id, path, width, height, size, sha256 FROM photos WHERE offline = 0"
            )
        }
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

        total = embeddings.count(db, self.model_name_id())
        if total:
            model = self.model()
            index = self._index_keeper().index()
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

    def model_name_id(self) -> str:
        return self._spec_id(self.model_name)

    # -- for the window ---------------------------------------------------------------------

    def folders(self) -> list[tuple[str, int]]:
        """Every folder that holds online photos, with how many, sorted by path."""
        rows = self.catalog.read.execute(
            "SELECT folder, count(*) FROM photos WHERE offline = 0 GROUP BY folder ORDER BY folder"
        )
        return [(folder, count) for folder, count in rows]

    def preview(self, path_or_id: str | os.PathLike[str] | int, size: int = 1600) -> bytes:
        """JPEG bytes of the photo, upright, its longest side at most ``size`` pixels."""
        from photoorg.media import decode as imaging

        path = Path(self.info(path_or_id)["path"] if isinstance(path_or_id, int) else path_or_id)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
        upright = imaging.decode_upright(imaging.open_image(data, path.name), size)
        return imaging.make_thumbnail(upright, size)
