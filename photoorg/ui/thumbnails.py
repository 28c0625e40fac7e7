"""Thumbnails for the grid: loaded lazily off the GUI thread, kept in a small LRU.

The scanner already wrote a 256 px JPEG per photo into the catalog folder, so showing
one is "look its path up, read ~15 KB, decode". That happens on the runner's thumbnail
lane in batches; the newest requests go first, because they are what the user is
looking at after a fast scroll. The GUI thread only turns a finished QImage into a
QPixmap (QPixmap may not be made on a worker) and tells the models which id is ready.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap

from photoorg.ui.runner import TaskRunner

BATCH = 24
"""Thumbnails per worker task: enough to amortise the hop, few enough to stay fresh."""

MAX_IN_FLIGHT = 2
MAX_PENDING = 600
"""Older requests than this are dropped: those rows scrolled out of sight long ago."""

CACHE_SIZE = 1500
"""Pixmaps kept (~1500 x 256 KB worst case); a screenful is under 100."""

PathLookup = Callable[[list[int]], dict[int, str]]
"""Worker-side: thumbnail file paths for photo ids (the Library's ``thumbnail_path``)."""


class ThumbnailCache(QObject):
    """``pixmap(photo_id)`` now if cached, else None and a load is queued."""

    ready = Signal(list)  # photo ids whose pixmap just arrived

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._lookup: PathLookup | None = None
        self._cache: OrderedDict[int, QPixmap] = OrderedDict()
        self._pending: OrderedDict[int, None] = OrderedDict()
        self._in_flight: set[int] = set()
        self._missing: set[int] = set()  # no thumbnail on disk: do not ask again
        self._tasks = 0
        self._size = 160
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)

    def set_lookup(self, lookup: PathLookup | None) -> None:
        """Where paths come from (the open library); None while no library is open."""
        self._lookup = lookup
        self.clear()

    @property
    def size(self) -> int:
        return self._size

    def set_size(self, size: int) -> None:
        """Pixmaps are scaled to the grid's cell on the worker, so painting is a blit."""
        if size != self._size:
            self._size = size
            self.clear()

    def clear(self) -> None:
        self._cache.clear()
        self._pending.clear()
        self._missing.clear()

    def forget(self, photo_ids: list[int]) -> None:
        """Drop cached pixmaps (a photo changed on disk)."""
        for photo_id in photo_ids:
            self._cache.pop(photo_id, None)
            self._missing.discard(photo_id)

    def pixmap(self, photo_id: int) -> QPixmap | None:
        found = self._cache.get(photo_id)
        if found is not None:
            self._cache.move_to_end(photo_id)
            return found
        if photo_id in self._missing or photo_id in self._in_flight or self._lookup is None:
            return None
        self._pending[photo_id] = None
        self._pending.move_to_end(photo_id)
        while len(self._pending) > MAX_PENDING:
            self._pending.popitem(last=False)
        if not self._flush_timer.isActive():
            self._flush_timer.start()
        return None

    def _flush(self) -> None:
        lookup, size = self._lookup, self._size
        while lookup is not None and self._pending and self._tasks < MAX_IN_FLIGHT:
            batch: list[int] = []
            while self._pending and len(batch) < BATCH:
                photo_id, _ = self._pending.popitem(last=True)  # newest first
                if photo_id not in self._cache:
                    batch.append(photo_id)
            if not batch:
                break
            self._in_flight.update(batch)
            self._tasks += 1
            self._runner.run_task(
                lambda ids=batch: _load_images(lookup, ids, size),
                lambda images, ids=batch: self._on_loaded(ids, size, images),
                lambda _exc, ids=batch: self._on_loaded(ids, size, {}),
                lane="thumbnails",
            )

    def _on_loaded(self, requested: list[int], size: int, images: dict[int, QImage]) -> None:
        self._tasks -= 1
        self._in_flight.difference_update(requested)
        if size != self._size:  # the grid was resized meanwhile: ask again at the new size
            self._flush_timer.start()
            return
        arrived = []
        for photo_id in requested:
            image = images.get(photo_id)
            if image is None or image.isNull():
                self._missing.add(photo_id)
                continue
            self._cache[photo_id] = QPixmap.fromImage(image)
            arrived.append(photo_id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        if arrived:
            self.ready.emit(arrived)
        if self._pending:
            self._flush_timer.start()


def _load_images(lookup: PathLookup, photo_ids: list[int], size: int) -> dict[int, QImage]:
    """Worker side: QImage (unlike QPixmap) may be made and scaled off the GUI thread."""
    paths = lookup(photo_ids)
    images = {}
    for photo_id, path in paths.items():
        image = QImage(path)
        if image.isNull():
            continue
        if max(image.width(), image.height()) > size:
            image = image.scaled(
                size,
                size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        images[photo_id] = image
    return images
