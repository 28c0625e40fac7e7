"""The main window's side of indexing: resuming encoding, rescans, their messages.

A mixin of ``MainWindow`` (like ``album_commands`` for ``Commands``): photos left without
a vector are encoded by themselves under a banner; the folder watcher's changes rescan
just the changed folders; the grid and sidebar follow what indexing stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

translate = QCoreApplication.translate


class WindowIndexing:
    """Mixed into ``MainWindow``: ``self`` is the window (indexing, browser, banners)."""

    def _resume_encoding(self) -> None:
        if self._closing:
            return
        if self.ctx.model_id is None:
            self.ctx.load_model()  # model_ready resumes
        else:
            self.indexing.resume_encoding()

    def _on_index_progress(self, phase: str, done: int, total: int) -> None:
        if self.indexing.resuming and phase == "encoding" and total > 0:
            message = translate(
                "MainWindow",
                "Encoding %n photo(s) that wait… {0:,} done; searching by description covers"
                " them as they are done.",
                "",
                total,
            ).format(done)
            self.encoding_banner.show_progress(message, done, total)

    def add_folder(self) -> str:
        """Ask for a folder and index it; returns it ("" when none was chosen)."""
        folder = QFileDialog.getExistingDirectory(
            self, translate("MainWindow", "Add a photo folder")
        )
        if folder:
            self.indexing.index([folder])
        return folder

    # -- state and shutdown ---------------------------------------------------------------------

    def rescan(self) -> None:
        self.indexing.index([])

    def _on_photos_arrived(self) -> None:
        # New photos are committed as they are read: show them (listings only: a search
        # waits for the index to be brought up to date at the end).
        if not self.browser.search_bar.text and not self.browser.busy:
            self.browser.refresh()
        self.refresh_overview()

    def _on_index_finished(self, summary: dict[str, Any]) -> None:
        keys = ("added", "updated", "moved", "removed", "encoded", "errors")
        done = ", ".join(f"{summary[k]} {k}" for k in keys if summary.get(k))
        self.statusBar().showMessage(
            translate("MainWindow", "Indexing finished: {0}").format(
                done or translate("MainWindow", "no changes")
            ),
            8000,
        )
        self.browser.refresh()
        if self.ctx.model_id is None and summary.get("encoded"):
            self.ctx.load_model()

    def _on_index_cancelled(self) -> None:
        self.statusBar().showMessage(
            translate("MainWindow", "Indexing stopped; everything read so far is kept."), 8000
        )
        # The photos read before the cancel: the grid's header must agree with the sidebar.
        self.browser.refresh()

    def _on_folders_changed(self, folders: list[str]) -> None:
        """Rescan just the changed folders (a vanished one by its nearest parent, never
        above its root: a vanished root is rescanned itself, which marks it offline)."""
        if self._closing or self.overview is None:
            return
        roots = [Path(root) for root, _online in self.overview.roots]
        wanted = []
        for folder in map(Path, folders):
            root = next((r for r in roots if folder.is_relative_to(r)), None)
            if root is None:
                continue  # no longer in the library
            while folder != root and not folder.is_dir():
                folder = folder.parent
            wanted.append(str(folder))
        if wanted:
            self.indexing.index(list(dict.fromkeys(wanted)))
