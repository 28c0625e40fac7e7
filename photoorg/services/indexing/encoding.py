"""Feeding photos through the image tower and storing what comes out.

Two ways in: the scanner hands over the pixels it decoded anyway (one decode per new
photo), and ``encode_missing`` reads photos that are catalogued but have no vector from
the current model (a model change, an interrupted run). Both end in ``EmbeddingSink``,
which runs full batches through the model while the reader threads decode ahead.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from photoorg.errors import ImageError
from photoorg.media import decode
from photoorg.media.files import read_bytes_stable
from photoorg.services.indexing.scanner import in_order
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.store import embeddings, photos
from photoorg.store.catalog import Catalog

if TYPE_CHECKING:
    from photoorg.ml.model import ClipModel


class EmbeddingSink:
    """Collects ``(photo_id, pixels)``; every full batch is encoded and committed."""

    def __init__(
        self,
        catalog: Catalog,
        model: ClipModel,
        batch_size: int,
        progress: Progress = no_progress,
        total: int = 0,
    ) -> None:
        self.catalog = catalog
        self.model = model
        self.batch_size = batch_size
        self.progress = progress
        self.total = total
        self.encoded = 0
        self._ids: list[int] = []
        self._pixels: list[Any] = []

    def add(self, photo_id: int, pixels: Any) -> None:
        self._ids.append(photo_id)
        self._pixels.append(pixels)
        if len(self._ids) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._ids:
            return
        vectors = self.model.encode_images(self._pixels)
        with self.catalog.write() as db:
            # A photo deleted meanwhile (a concurrent rescan) would break the foreign key.
            alive = photos.existing_ids(db, self._ids)
            keep = [i for i, photo_id in enumerate(self._ids) if photo_id in alive]
            embeddings.save(
                db,
                self.model.id,
                [self._ids[i] for i in keep],
                vectors[keep],
                self.model.precision,
            )
        self.encoded += len(self._ids)
        self._ids, self._pixels = [], []
        self.progress("encoding", self.encoded, max(self.total, self.encoded))


def default_batch_size(model: ClipModel) -> int:
    return 128 if model.device.type == "cuda" else 32


def encode_missing(
    catalog: Catalog,
    model: ClipModel,
    *,
    workers: int | None = None,
    batch_size: int | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[int, int]:
    """Encode every online photo without a vector from ``model``.

    Returns ``(encoded, failed)``; a photo that cannot be read now (moved away between
    scans, damaged since) is skipped and stays in the catalog as it was.
    """
    cancel = cancel or CancelToken()
    todo = embeddings.missing(catalog.read, model.id)
    if not todo:
        return 0, 0
    batch_size = batch_size or default_batch_size(model)
    sink = EmbeddingSink(catalog, model, batch_size, progress, total=len(todo))
    side = model.image_size
    failed = 0

    def work(item: tuple[int, str]) -> tuple[int, Any]:
        photo_id, path = item
        if cancel.cancelled:
            return photo_id, None
        try:
            data, _ = read_bytes_stable(path)
            upright = decode.decode_upright(decode.open_image(data, os.path.basename(path)), side)
            return photo_id, model.prepare(upright)
        except (ImageError, OSError):
            return photo_id, None

    workers = workers or max(1, os.cpu_count() or 1)
    progress("encoding", 0, len(todo))
    with ThreadPoolExecutor(workers, thread_name_prefix="photoorg-decode") as pool:
        for photo_id, pixels in in_order(pool, work, todo, window=max(workers * 4, batch_size * 2)):
            cancel.check()
            if pixels is None:
                failed += 1
                continue
            sink.add(photo_id, pixels)
        sink.flush()
    return sink.encoded, failed
