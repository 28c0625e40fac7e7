"""What every widget shares: the open Library, the runner, the thumbnail cache.

Widgets hold a ``LibraryContext`` and call ``ctx.call(lambda lib: lib.search(...),
on_done, on_error)``: the lambda runs on a worker with the Library, the callbacks on
the GUI thread. The Library is opened on a worker too (opening checks the database),
so the window is on screen before the catalog is touched; until then ``call`` refuses.
Signals tell widgets when to refresh: ``opened``, ``changed`` (photos, tags or albums
changed), ``model_ready`` / ``model_failed``.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal

from photoorg.services.jobs import CancelToken
from photoorg.ui.runner import OnDone, OnError, ProgressRelay, TaskRunner
from photoorg.ui.thumbnails import ThumbnailCache

if TYPE_CHECKING:
    from photoorg.services.library import Library

log = logging.getLogger(__name__)


class LibraryContext(QObject):
    opened = Signal()
    open_failed = Signal(str)
    changed = Signal()
    model_loading = Signal()
    model_downloading = Signal(int, int)  # bytes done, bytes in all (0 while unknown)
    model_ready = Signal(str)  # the model's id
    model_failed = Signal(str)  # a message fit for the user

    def __init__(
        self,
        home: Path | None,
        *,
        settings: QSettings,
        model: str | None = None,
        device: str = "auto",
        workers: int | None = None,
        precision: str = "auto",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.settings = settings
        self.model_spec = model
        self.device = device
        self.workers = workers
        self.precision = precision
        self.runner = TaskRunner()
        self.thumbnails = ThumbnailCache(self.runner, self)
        self.library: Library | None = None
        self.model_id: str | None = None
        self.model_error: str | None = None
        self._model_loading = False
        self._opened_late: Library | None = None  # opened by a worker after close()
        self._tokens: list[CancelToken] = []
        self._download: CancelToken | None = None
        self._download_relay = ProgressRelay(parent=self)
        self._download_relay.progressed.connect(
            lambda _phase, done, total: self.model_downloading.emit(done, total)
        )

    @property
    def is_open(self) -> bool:
        """Whether a library is open (labels, albums and tags need one)."""
        return self.library is not None

    # -- running work ---------------------------------------------------------------------

    def call(
        self,
        fn: Callable[[Library], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        lane: str = "work",
    ) -> bool:
        """Run ``fn(library)`` on a worker; False when no library is open (or closing)."""
        library = self.library
        if library is None:
            return False
        return self.runner.run_task(lambda: fn(library), on_done, on_error, lane=lane)

    # -- opening and closing -----------------------------------------------------------------

    def open(self) -> None:
        """Open the catalog on a worker; ``opened`` or ``open_failed`` follows."""
        home, model, device, workers = self.home, self.model_spec, self.device, self.workers
        precision = self.precision

        def open_library() -> Library:
            with long_lived_imports():
                from photoorg.services.library import Library  # numpy, sqlite: off the start path

                library = Library(
                    home, model=model, device=device, workers=workers, precision=precision
                )
            self._opened_late = library  # close() closes it if the result is never delivered
            return library

        self.runner.run_task(open_library, self._on_opened, self._on_open_failed)

    def _on_opened(self, library: Library) -> None:
        self._opened_late = None
        self.library = library
        self.home = library.paths.home

        def thumbnail_paths(ids: list[int]) -> dict[int, str]:
            found = {}
            for photo_id in ids:
                path = library.thumbnail_path(photo_id)
                if path is not None:
                    found[photo_id] = str(path)
            return found

        self.thumbnails.set_lookup(thumbnail_paths)
        self.opened.emit()

    def _on_open_failed(self, exc: BaseException) -> None:
        self.open_failed.emit(str(exc))

    def load_model(self) -> None:
        """Load the model in the background (imports torch); browsing never waits for it."""
        if self._model_loading or self.library is None:
            return
        self._start_loading(switch_to=None)

    def set_model(self, spec: str) -> None:
        """Switch model (validated and loaded on a worker; ``model_ready`` follows);
        "" goes back to the catalog's model, else the default."""
        self.model_spec = spec or None
        if self.library is None:
            return
        self._start_loading(switch_to=spec)

    def set_device(self, device: str) -> None:
        """Load the model again on ``device`` (``model_ready`` follows)."""
        self.device = device
        if self.library is None:
            return
        self._start_loading(switch_to=None, device=device)

    def _start_loading(self, switch_to: str | None, device: str | None = None) -> None:
        self._model_loading = True
        self.model_error = None
        self.model_loading.emit()
        self._download = token = self.cancel_token()
        progress = self._download_relay.callback()

        def fetch_and_load(lib: Library) -> str:
            if device is not None:
                lib.set_device(device)
            if switch_to is not None:
                lib.set_model(switch_to)
            # Weights not on this computer: fetched first, with progress and a cancel.
            if lib.model_needs_download():
                lib.download_model(progress, token)
            return _load_model(lib)

        self.call(fetch_and_load, self._on_model_ready, self._on_model_failed)

    def cancel_download(self) -> None:
        """Stop a model download; what came so far is kept, and Retry resumes it."""
        if self._download is not None:
            self._download.cancel()

    def _on_model_ready(self, model_id: str) -> None:
        self._model_loading = False
        self._download = None
        self.model_id = model_id
        self.model_ready.emit(model_id)

    def _on_model_failed(self, exc: BaseException) -> None:
        from photoorg.errors import Cancelled

        self._model_loading = False
        self._download = None
        self.model_id = None
        self.model_error = (
            "the download was stopped; Retry goes on from where it stopped"
            if isinstance(exc, Cancelled)
            else str(exc)
        )
        if not _is_expected(exc):
            log.error("loading the model failed", exc_info=exc)
        self.model_failed.emit(self.model_error)

    def cancel_token(self) -> CancelToken:
        """A token for a long job; ``close`` cancels every one still registered."""
        token = CancelToken()
        self._tokens = [t for t in self._tokens if not t.cancelled] + [token]
        return token

    def close(self, wait_ms: int = -1) -> bool:
        """Cancel long jobs, stop delivering, wait for every worker, close the catalog.

        Returns False if a worker was still running after ``wait_ms`` (the catalog is
        then left open rather than closed under its feet).
        """
        for token in self._tokens:
            token.cancel()
        finished = self.runner.shutdown(wait_ms)
        if not finished:
            log.error("workers still running after %d ms; leaving the catalog open", wait_ms)
            return False
        for library in {id(x): x for x in (self.library, self._opened_late) if x}.values():
            library.close()
        self.library = self._opened_late = None
        self.thumbnails.set_lookup(None)
        return True


def _load_model(lib: Library) -> str:
    """Worker side: import torch and load the model; returns its id."""
    with long_lived_imports():
        return lib.model().id


@contextlib.contextmanager
def long_lived_imports() -> Iterator[None]:
    """Around a worker's big imports (numpy and SQLite at open, torch at model load).

    Importing torch and open_clip makes some 200,000 objects that live as long as the
    process. Collecting while they are made, and walking them in every full collection
    afterwards, froze the window for up to half a second at a time (measured with
    benchmarks/bench_gui.py). So the collector pauses during the import, and
    ``gc.freeze`` then moves what exists out of its sight; new objects are collected
    as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.freeze()


def _is_expected(exc: BaseException) -> bool:
    from photoorg.errors import PhotoOrgError

    return isinstance(exc, PhotoOrgError)
