"""Watching library folders so that new or changed photos are picked up by themselves.

QFileSystemWatcher reports a folder when an entry in it is added, removed or renamed
(inotify on Linux). A camera import fires hundreds of those, so changes are collected
and a rescan of just those folders starts only after they have been quiet for a few
seconds; the indexing controller queues it if a job is already running. Our own writes
(XMP sidecars) are not changes to rescan for: the folders written to are muted while
we write and a moment after.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

QUIET_MS = 3000
OWN_WRITE_GRACE = 2.0
"""Seconds a folder stays muted after our own write to it ended (its events may lag)."""
MAX_WATCHED = 4000
"""inotify watches are a per-user system resource (often 8192): leave some for others."""


class FolderWatcher(QObject):
    rescan_needed = Signal(list)  # the changed folders

    def __init__(self, parent: QObject | None = None, quiet_ms: int = QUIET_MS) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_changed)
        self._changed: set[str] = set()
        self._muted: dict[str, float] = {}  # folder -> muted until (time.monotonic)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(quiet_ms)
        self._timer.timeout.connect(self._fire)

    def watched(self) -> list[str]:
        return self._watcher.directories()

    def watch(self, folders: Iterable[str]) -> None:
        """Watch exactly ``folders`` (roots first, so they win when over the limit)."""
        wanted = list(dict.fromkeys(folders))[:MAX_WATCHED]
        current = set(self._watcher.directories())
        stale = [f for f in current if f not in set(wanted)]
        if stale:
            self._watcher.removePaths(stale)
        new = [f for f in wanted if f not in current]
        if new:
            self._watcher.addPaths(new)  # silently skips folders that vanished

    def stop(self) -> None:
        self._timer.stop()
        folders = self._watcher.directories()
        if folders:
            self._watcher.removePaths(folders)

    def mute(self, folders: Iterable[str], seconds: float | None = None) -> None:
        """Ignore changes in ``folders`` (we write there): until ``unmute``, or for
        ``seconds`` from now."""
        until = math.inf if seconds is None else time.monotonic() + seconds
        for folder in folders:
            self._muted[folder.rstrip("/") or folder] = until

    def unmute(self, folders: Iterable[str]) -> None:
        """Our writes ended: changes count again after a short grace."""
        self.mute(folders, OWN_WRITE_GRACE)

    def _on_changed(self, folder: str) -> None:
        now = time.monotonic()
        self._muted = {f: t for f, t in self._muted.items() if t > now}
        if folder.rstrip("/") in self._muted:
            return  # our own write
        self._changed.add(folder)
        self._timer.start()

    def _fire(self) -> None:
        changed, self._changed = sorted(self._changed), set()
        if changed:
            self.rescan_needed.emit(changed)
