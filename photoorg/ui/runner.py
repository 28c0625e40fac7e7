"""The one way widgets run slow work: ``run_task(fn, on_done, on_error)``.

``fn`` runs on a QThreadPool worker; its result (or exception) comes back to the GUI
thread through a queued signal and is handed to ``on_done`` (or ``on_error``) there.
This is MusicBrainz Picard's ``run_task`` / Anki's ``QueryOp``: widgets never block on
the catalog, the model or the disk, and never touch a widget from a worker.

Rules for callers, because the worker runs ``fn`` on another thread:
- ``fn`` closes over ids, paths, strings and frozen dataclasses, never widgets;
- ``on_done`` / ``on_error`` run on the GUI thread and may touch widgets;
- after ``shutdown()`` nothing is delivered any more (the widgets may be gone).

Two lanes keep thumbnails flowing while a long job (indexing) holds a worker: "work"
for catalog and model calls, "thumbnails" for reading small JPEGs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from photoorg.services.jobs import CancelToken, Progress

log = logging.getLogger(__name__)

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]

WORK_THREADS = 4
"""Indexing, a search, a thumbnail-path lookup and a model load may all run at once."""

THUMBNAIL_THREADS = 2


class _Dispatcher(QObject):
    """Lives on the GUI thread; a signal emitted from a worker is queued to it."""

    deliver = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.closed = False
        self.deliver.connect(self._on_deliver)

    @Slot(object, object)
    def _on_deliver(self, callback: Callable[[Any], None], value: object) -> None:
        if self.closed:
            return
        try:
            callback(value)
        except Exception:  # a GUI callback bug must not kill the event loop
            log.exception("error in a task callback")


class _Task(QRunnable):
    def __init__(
        self, runner: TaskRunner, fn: Callable[[], Any], on_done: OnDone, on_error: OnError
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner = runner
        self._fn = fn
        self._on_done = on_done
        self._on_error = on_error

    def run(self) -> None:
        dispatcher = self._runner._dispatcher
        try:
            result = self._fn()
        except BaseException as exc:
            if not isinstance(exc, Exception):
                log.error("task ended by %r", exc)
            dispatcher.deliver.emit(self._on_error, exc)
        else:
            dispatcher.deliver.emit(self._on_done, result)
        finally:
            self._runner._task_finished()
            # Drop references now: the runnable may outlive the call on the pool's thread.
            self._fn = self._on_done = self._on_error = None  # type: ignore[assignment]


def log_error(exc: BaseException) -> None:
    log.error("background task failed: %s", exc, exc_info=exc)


class TaskRunner:
    """Owns the worker pools; ``shutdown`` waits for them (never a thread left running)."""

    def __init__(self) -> None:
        self._dispatcher = _Dispatcher()
        self._pools = {"work": QThreadPool(), "thumbnails": QThreadPool()}
        self._pools["work"].setMaxThreadCount(WORK_THREADS)
        self._pools["thumbnails"].setMaxThreadCount(THUMBNAIL_THREADS)
        self._lock = threading.Lock()
        self._running = 0
        self._closed = False

    def run_task(
        self,
        fn: Callable[[], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        lane: str = "work",
    ) -> bool:
        """Run ``fn()`` off the GUI thread; False (and nothing runs) after shutdown."""
        if self._closed:
            return False
        with self._lock:
            self._running += 1
        task = _Task(self, fn, on_done or _ignore, on_error or log_error)
        self._pools[lane].start(task)
        return True

    def _task_finished(self) -> None:
        with self._lock:
            self._running -= 1

    @property
    def busy(self) -> int:
        """How many tasks are queued or running."""
        with self._lock:
            return self._running

    @property
    def closed(self) -> bool:
        return self._closed

    def wait(self, msecs: int = -1, *, responsive: bool = False) -> bool:
        """Block until every task has finished or ``msecs`` passed (tests and shutdown
        only); ``responsive`` keeps the GUI's events flowing meanwhile (closing)."""
        deadline = None if msecs < 0 else time.monotonic() + msecs / 1000
        for pool in self._pools.values():
            while True:
                left = -1 if deadline is None else max(0, int((deadline - time.monotonic()) * 1000))
                step = (50 if left < 0 else min(50, left)) if responsive else left
                if pool.waitForDone(step):
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                if responsive:
                    QCoreApplication.processEvents()
        return True

    def shutdown(self, msecs: int = -1) -> bool:
        """Stop delivering, drop queued tasks, and wait for the running ones (at most
        ``msecs``, the GUI's events flowing meanwhile). False if some still run."""
        self._closed = True
        self._dispatcher.closed = True
        for pool in self._pools.values():
            pool.clear()
        return self.wait(msecs, responsive=True)


def _ignore(_value: object) -> None:
    pass


class ProgressRelay(QObject):
    """A ``Progress`` callback for a worker that re-emits on the GUI thread, throttled.

    The scanner reports every file; the GUI needs a few updates a second, so calls closer
    than ``interval`` apart are dropped, except phase changes and the last one of a phase.
    """

    progressed = Signal(str, int, int)

    def __init__(self, interval: float = 0.1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._interval = interval
        self._last = 0.0
        self._phase = ""

    def callback(self) -> Progress:
        def report(phase: str, done: int, total: int) -> None:
            now = time.monotonic()
            if phase == self._phase and now - self._last < self._interval and done != total:
                return
            self._phase, self._last = phase, now
            self.progressed.emit(phase, done, total)

        return report


__all__ = ["CancelToken", "ProgressRelay", "TaskRunner"]
