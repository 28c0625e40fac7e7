"""``Library``: the one API that the command line and the window call.

It owns the catalog, the model (loaded on first need, so browsing never waits for torch)
and the vector index, and turns user requests into scanner, encoder and search calls.
Every method is safe to call from a worker thread; the GUI calls them through its
background runner, never from the GUI thread for anything slow.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from photoorg.config import PRECISIONS, Paths, default_model, resolve_home
from photoorg.errors import CatalogDamagedError, CatalogError, UsageError
from photoorg.model.hits import Hit
from photoorg.model.query import Filters, Query
from photoorg.services.indexing.pipeline import (
    MODEL_SETTING,
    pending_encoding,
    run_encoding,
    run_index,
)
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.services.places import place_json
from photoorg.services.query_vectors import QueryVectors
from photoorg.services.search import Searcher
from photoorg.services.thumbnails import ThumbnailRepair
from photoorg.store import embeddings, photos
from photoorg.store import tags as tag_store
from photoorg.store.catalog import Catalog

log = logging.getLogger(__name__)

TEXT_TOWERS = "text-towers"
"""Folder in the catalog for text towers exported to ONNX (``ml.text_onnx``)."""

if TYPE_CHECKING:
    from photoorg.services.albums import Albums
    from photoorg.services.file_moves import MoveReport
    from photoorg.services.people_service import People
    from photoorg.services.places import Places
    from photoorg.services.tagging.service import Tagging
    from photoorg.services.text_reading import TextReading


class Library:
    """An open catalog and everything that works on it. Close it when done."""

    def __init__(
        self,
        home: str | os.PathLike[str] | None = None,
        *,
        model: str | None = None,
        device: str = "auto",
        workers: int | None = None,
        precision: str = "auto",
    ) -> None:
        self.paths = Paths(resolve_home(home))
        self._notices: list[str] = []
        self._notices_lock = threading.Lock()
        self.thumbnails = ThumbnailRepair(self.paths)
        self.catalog = self._open_catalog()
        self.device = device
        self.workers = workers
        self.precision = precision  # of the image tower while indexing (ml.precision)
        self._model_name = model
        self._model: Any = None
        self._keeper: Any = None
        self._queries: Any = None
        self._model_lock = threading.Lock()

    def _open_catalog(self) -> Catalog:
        """Open the catalog; a damaged one is set aside and salvaged (see services.repair)."""
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
        return self._model_name or self.catalog.get_setting(MODEL_SETTING) or default_model()

    def model(self) -> Any:
        """The loaded ``ClipModel`` (imports torch on first call, which takes a moment)."""
        with self._model_lock:
            wanted = self.model_name
            loaded = self._model
            chosen = getattr(loaded, "precision_choice", None)
            if (
                loaded is None
                or loaded.id not in (wanted, self._spec_id(wanted))
                or (chosen is not None and chosen.requested != self.precision)
            ):
                from photoorg.ml.model import ClipModel

                self._model = ClipModel.load(self.model_name, self.device)
                self._keeper = self._queries = None
            return self._model

    @staticmethod
    def _spec_id(name: str) -> str:
        from photoorg.ml.spec import ModelSpec

        return ModelSpec.parse(name).id

    def use_loaded_model(self, model: Any) -> None:
        """Use a ``ClipModel`` built elsewhere (benchmarks with random weights, self-test)."""
        with self._model_lock:
            self._model_name = model.id
            self._model, self._keeper, self._queries = model, None, None

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

    def set_model(self, name: str | None) -> None:
        """Use ``name`` from now on (the catalog keeps its own until it is re-encoded);
        None or "" goes back to the catalog's model, else the default."""
        if name:
            self._spec_id(name)  # validate early
        self._model_name = name or None

    def set_device(self, device: str) -> None:
        """Run the model on ``device`` from now on: the loaded one is let go, and the next
        ``model()`` loads it there (a running job keeps the model it holds)."""
        with self._model_lock:
            if device != self.device:
                self.device = device
                self._model, self._keeper, self._queries = None, None, None

    def set_precision(self, name: str) -> None:
        """Index at ``name`` from now on (auto, fp32, fp16, bf16, int8)."""
        if name.strip().lower() not in PRECISIONS:
            raise UsageError(f"unknown precision {name!r}: use {', '.join(PRECISIONS)}")
        self.precision = name.strip().lower()

    def encoded_space(self) -> tuple[str, int]:
        """The model id and vector length that searches use, read off the stored vectors
        when there are any: a text query then never waits for the model to load."""
        model_id = self.model_name_id()
        loaded = self._model
        if loaded is not None and loaded.id == model_id:
            return model_id, loaded.dim
        dim = embeddings.dim(self.catalog.read, model_id)
        if dim is None:
            model = self.model()
            return model.id, model.dim
        return model_id, dim

    def _index_keeper(self, model: Any = None) -> Any:
        """The keeper of ``model``'s index (default: the catalog's model, whose id and vector
        length are read off the stored vectors, so a search need not load the model).

        A job passes the model it runs with: after a model change mid-job it must sync
        its own model's index, not load the new model and sync that one.
        """
        model_id, dim = (model.id, model.dim) if model is not None else self.encoded_space()
        with self._model_lock:
            keeper = self._keeper
            if keeper is None or keeper.model_id != model_id:
                from photoorg.services.indexing.index_keeper import IndexKeeper

                keeper = IndexKeeper(self.catalog, self.paths, model_id, dim)
                if model_id == self.model_name_id():
                    self._keeper = keeper
            return keeper

    def query_vectors(self) -> QueryVectors:
        """Text vectors for queries: stored, else the exported text tower, else the model."""
        with self._model_lock:
            if self._queries is None or self._queries.model_id != self.model_name_id():
                towers = self.paths.home / TEXT_TOWERS
                self._queries = QueryVectors(self.catalog, self.model_name_id(), towers, self.model)
            return self._queries

    def prepare_query_tower(self) -> bool:
        """Export the text tower for torch-free queries, once per model (a few seconds)."""
        try:
            return self.query_vectors().prepare(self.model())
        except Exception as exc:  # onnx missing, an exotic tower: queries keep the full path
            log.info("the text tower was not exported: %s", exc)
            return False

    def notices(self) -> list[str]:
        """Repairs made since the last call (a salvaged catalog, a rebuilt index, remade
        thumbnails), each said once: a second call returns only what happened since."""
        with self._notices_lock:
            found, self._notices = self._notices, []
            keeper = self._keeper
            if keeper is not None and keeper.notice:
                found.append(keeper.notice)
                keeper.notice = None
            remade = self.thumbnails.notice()
            if remade:
                found.append(remade)
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
                        photos.merge_root(db, root.id, old.id)
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
    def places(self) -> Places:
        from photoorg.services.places import Places

        return Places(self)

    @cached_property
    def text(self) -> TextReading:
        """Text in photos: the reading setting, the stage, each photo's text."""
        from photoorg.services.text_reading import TextReading

        return TextReading(self)

    def models(self) -> list[dict[str, Any]]:
        """The curated models with their figures and whether each is on this computer."""
        from photoorg.ml.model_list import listing

        return listing()

    @cached_property
    def albums(self) -> Albums:
        from photoorg.services.albums import Albums

        return Albums(self)

    @cached_property
    def people(self) -> People:
        from photoorg.services.people_service import People

        return People(self)

    # -- indexing -------------------------------------------------------------------------

    def index(
        self,
        folders: Sequence[str | os.PathLike[str]] = (),
        *,
        encode: bool = True,
        read_text: str | None = None,
        faces: bool = False,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> dict[str, Any]:
        """Scan (and encode) ``folders``, adding them as roots; all roots when empty
        (the stages are in ``services.indexing.pipeline``). ``read_text`` overrides the
        text reading setting for this run (off, likely, every). The face stage runs when
        asked (the CLI and the window do): it costs ~0.1-0.3 s a photo."""
        return run_index(
            self,
            folders,
            encode=encode,
            read_text=read_text,
            faces=faces,
            progress=progress,
            cancel=cancel,
        )

    def import_embeddings(self, folder: str | os.PathLike[str]) -> dict[str, Any]:
        """Take the vectors of a ``spark-encode`` output for the photos they match
        (path and sha256); a model that then covers the library becomes the catalog's."""
        from photoorg.services.indexing.pipeline import adopt_model_if_complete
        from photoorg.services.spark.import_job import import_embeddings

        summary = import_embeddings(self.catalog, folder)
        for model_id in summary["models"]:
            adopt_model_if_complete(self, model_id)
        with self._model_lock:
            self._keeper = None  # the index is brought in step at the next search
        return summary

    def move_photos(self, photo_ids: Sequence[int], folder: str | os.PathLike[str]) -> MoveReport:
        """Move photos' files into ``folder`` (inside a root), keeping ids and decisions
        (``services.file_moves``; ``OutsideLibraryError`` for a folder under no root)."""
        from photoorg.services.file_moves import move_photos

        return move_photos(self, photo_ids, folder)

    def pending_encoding(self) -> int:
        """How many online photos have no vector from the current model yet."""
        return pending_encoding(self)

    def encode_pending(
        self, *, progress: Progress = no_progress, cancel: CancelToken | None = None
    ) -> dict[str, Any]:
        """Encode the photos that wait for the model (no scan); resumable like ``index``."""
        return run_encoding(self, progress=progress, cancel=cancel)

    # -- reading the catalog ------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        db = self.catalog.read
        result: dict[str, Any] = photos.counts(db)
        result["model"] = self.catalog.get_setting(MODEL_SETTING)
        result["encoded"] = embeddings.models(db)
        if result["model"]:
            result["precision"] = embeddings.precisions(db, result["model"])
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
        row["place"] = place_json(self.places.place_of(photo_id))
        row["text"] = self.text.text_of(photo_id)
        return row

    def tags_of(self, photo_id: int) -> list[dict[str, Any]]:
        """A photo's tags (label, parent, score, probability, source), rejected ones last."""
        return tag_store.tags_of(self.catalog.read, photo_id)

    def thumbnail_path(self, photo_id: int) -> Path | None:
        """The photo's thumbnail file, checked first: a damaged or missing one is made
        again from the photo (the damaged file is set aside). None if that fails too."""
        row = photos.content_and_path(self.catalog.read, photo_id)
        return None if row is None else self.thumbnails.checked(*row)

    # -- search (services.search) ------------------------------------------------------------

    @cached_property
    def searcher(self) -> Searcher:
        return Searcher(self)

    def search(self, query: str | Query, **options: Any) -> list[Hit]:
        """Photos best matching ``query`` (the query language of ``services.query_parser``).

        ``options``: ``filters``, ``limit``, ``min_score``, ``sort``, ``cwd`` and
        ``exclude``, as ``services.search.Searcher.search`` takes them.
        """
        return self.searcher.search(query, **options)

    def similar(
        self, examples: Sequence[str | os.PathLike[str] | int], *, limit: int = 50, **kwargs: Any
    ) -> list[Hit]:
        """Photos like the examples (catalog photos or files), the examples left out."""
        return self.searcher.similar(examples, limit=limit, **kwargs)

    def browse(self, filters: Filters | None = None, *, limit: int | None = None) -> list[Hit]:
        """Photos passing ``filters``, newest first (no model needed)."""
        return self.searcher.browse(filters, limit=limit)

    # -- duplicates -----------------------------------------------------------------------

    def duplicates(
        self,
        threshold: float = 0.95,
        *,
        neighbours: int = 8,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[dict[str, Any]]:
        """Groups of exact copies (same content) and near-duplicates (cosine >= threshold),
        each listing its photos best first (see ``services.duplicates``)."""
        from photoorg.services.duplicates import find_duplicates

        return find_duplicates(
            self, threshold, neighbours=neighbours, progress=progress, cancel=cancel
        )

    def model_name_id(self) -> str:
        return self._spec_id(self.model_name)

    # -- for the window ---------------------------------------------------------------------

    def folders(self) -> list[tuple[str, int]]:
        """Every folder that holds online photos, with how many, sorted by path."""
        return photos.folder_counts(self.catalog.read)

    def preview(self, path_or_id: str | os.PathLike[str] | int, size: int = 1600) -> bytes:
        """JPEG bytes of the photo, upright, its longest side at most ``size`` pixels."""
        from photoorg.media import decode, thumbnails

        path = Path(self.info(path_or_id)["path"] if isinstance(path_or_id, int) else path_or_id)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
        upright = decode.decode_upright(decode.open_image(data, path.name), size)
        return thumbnails.make_thumbnail(upright, size)
