"""Indexing in the background: one job at a time, with progress, rate, time left, cancel.

``IndexingController`` runs ``Library.index`` on a worker with a ``CancelToken`` and a
progress callback relayed to the GUI thread. Folders asked for while a job runs are
queued and indexed right after it, so a folder watcher or an impatient user never
starts two writers. ``resume_encoding`` encodes photos left without a vector (a quit
mid-way, a first run without the model, a new model) as a job of the same queue.
``IndexProgress`` is the status-bar strip that shows it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from photoorg.errors import Cancelled, ModelError
from photoorg.services.jobs import CancelToken
from photoorg.ui.context import LibraryContext
from photoorg.ui.runner import ProgressRelay
from photoorg.ui.text import human_duration, plain_label

translate = QCoreApplication.translate


def phase_name(phase: str) -> str:
    """What the progress bar calls an indexing phase, in the window's language."""
    names = {
        "listing": translate("IndexProgress", "Looking for photos"),
        "reading": translate("IndexProgress", "Reading"),
        "encoding": translate("IndexProgress", "Encoding"),
        "reading text": translate("IndexProgress", "Reading text in photos"),
    }
    return names.get(phase, phase.capitalize())


class IndexingController(QObject):
    started = Signal()
    progressed = Signal(str, int, int)
    photos_arrived = Signal()  # new photos are in the catalog (throttled)
    finished = Signal(dict)  # the index summary
    cancelled = Signal()
    failed = Signal(str)
    model_missing = Signal(str)  # indexed without encoding because the model would not load
    stopped = Signal()  # a job ended, however it ended

    ARRIVAL_INTERVAL = 1.5
    """Seconds between grid refreshes while photos stream in."""

    def __init__(self, ctx: LibraryContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._token: CancelToken | None = None
        self._queued: list[str] | None = None  # None: nothing queued; []: every root
        self._resume_queued = False
        self.resuming = False  # the running job encodes waiting photos (no scan)
        self._relay = ProgressRelay(parent=self)
        self._relay.progressed.connect(self._on_progress)
        self._last_arrival = 0.0

    @property
    def running(self) -> bool:
        return self._token is not None

    def index(self, folders: Iterable[str] = ()) -> None:
        """Index ``folders`` (adding them as roots), or every root when empty."""
        folders = [str(f) for f in folders]
        if self.running:
            if self._queued is None:
                self._queued = folders
            elif folders and self._queued:
                self._queued = list(dict.fromkeys(self._queued + folders))
            else:
                self._queued = []  # one of the requests was "everything"
            return
        self._start(folders)

    def resume_encoding(self) -> None:
        """Encode the photos that wait for the model, after the running job if any."""
        if self.running:
            self._resume_queued = True
            return
        token = self._ctx.cancel_token()
        progress = self._relay.callback()

        def encode(lib) -> dict[str, Any] | None:
            if not lib.pending_encoding():
                return None  # nothing waits: say nothing
            return lib.encode_pending(progress=progress, cancel=token)

        self._begin(token, encode, resuming=True)

    def cancel(self) -> None:
        self._queued = None
        self._resume_queued = False
        if self._token is not None:
            self._token.cancel()

    def _start(self, folders: list[str]) -> None:
        token = self._ctx.cancel_token()
        progress = self._relay.callback()
        self._begin(
            token, lambda lib: lib.index(folders, faces=True, progress=progress, cancel=token)
        )

    def _begin(self, token: CancelToken, job, *, resuming: bool = False) -> None:
        started = self._ctx.call(job, self._on_done, self._on_error)
        if started:
            self._token = token
            self.resuming = resuming
            self._last_arrival = time.monotonic()
            self.started.emit()

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        if self._token is None:
            return
        self.progressed.emit(phase, done, total)
        now = time.monotonic()
        if phase in ("reading", "encoding") and now - self._last_arrival >= self.ARRIVAL_INTERVAL:
            self._last_arrival = now
            self.photos_arrived.emit()

    def _on_done(self, summary: dict[str, Any] | None) -> None:
        self._token = None
        self.resuming = False
        if summary is not None:
            if summary.get("model_error"):
                # Catalogued without the model: the photos wait to be encoded.
                self.model_missing.emit(summary["model_error"])
            self.finished.emit(summary)
            self._ctx.changed.emit()
        self.stopped.emit()
        self._next()

    def _on_error(self, exc: BaseException) -> None:
        self._token = None
        resuming, self.resuming = self.resuming, False
        self.stopped.emit()
        if isinstance(exc, Cancelled):
            self.cancelled.emit()
            self._ctx.changed.emit()
        elif isinstance(exc, ModelError) and resuming:
            self.model_missing.emit(str(exc))
        else:
            self.failed.emit(str(exc))
            self._ctx.changed.emit()
        self._next()

    def _next(self) -> None:
        queued, self._queued = self._queued, None
        if queued is not None:
            self._start(queued)
        elif self._resume_queued:
            self._resume_queued = False
            self.resume_encoding()


class IndexProgress(QWidget):
    """'Reading 120 of 500 · 35 photos/s · 12 s left  [=====   ] Cancel'."""

    def __init__(self, controller: IndexingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indexProgress")
        self._controller = controller
        self.label = plain_label("", self, object_name="progressLabel")
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelIndexing")
        self.cancel_button.clicked.connect(controller.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._phase = ""
        self._phase_start = 0.0
        self._phase_first = 0
        controller.started.connect(self._on_started)
        controller.progressed.connect(self.show_progress)
        for signal in (controller.finished, controller.cancelled, controller.failed):
            signal.connect(self._on_stopped)
        self.hide()

    def _on_started(self) -> None:
        if self._controller.resuming:
            return  # the window's banner shows a resume
        self._phase = ""
        self.label.setText(translate("IndexProgress", "Starting…"))
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()

    def _on_stopped(self, *_: object) -> None:
        if not self._controller.running:
            self.hide()

    def show_progress(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != self._phase:
            self._phase, self._phase_start, self._phase_first = phase, now, done
        name = phase_name(phase)
        if total <= 0:
            self.bar.setRange(0, 0)  # busy indicator while the total is unknown
            self.label.setText(translate("IndexProgress", "{0}: {1:,} files").format(name, done))
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        elapsed = now - self._phase_start
        rate = (done - self._phase_first) / elapsed if elapsed > 0.5 else 0.0
        parts = [f"{name} {done:,} of {total:,}"]
        if rate > 0:
            parts.append(f"{rate:.0f} photos/s" if rate >= 1 else f"{rate:.1f} photos/s")
            parts.append(f"{human_duration((total - done) / rate)} left")
        self.label.setText(" · ".join(parts))
