"""File commands on the selected photos: open, reveal, copy, move, export, write sidecars."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

from photoorg.errors import OutsideLibraryError
from photoorg.ui.command_base import CommandBase
from photoorg.ui.file_actions import (
    copy_files,
    export_jpegs,
    open_in_viewer,
    reveal_in_file_manager,
)

translate = QCoreApplication.translate


class FileCommands(CommandBase):
    def open_path(self, path: str) -> None:
        if not open_in_viewer(path):
            self._message(translate("Commands", "No application opened {0}").format(path))

    def reveal_path(self, path: str) -> None:
        try:
            reveal_in_file_manager(path)
        except OSError as exc:
            self._message(translate("Commands", "Could not open the file manager: {0}").format(exc))

    def open_selected(self) -> None:
        for path in self._selection()[1][:10]:  # a stray Ctrl+A must not open 10,000 windows
            self.open_path(path)

    def reveal_selected(self) -> None:
        paths = self._selection()[1]
        if paths:
            self.reveal_path(paths[0])

    def similar_selected(self) -> None:
        ids = self._selection()[0]
        if ids:
            self.window.find_similar(ids)

    def transfer_selected(self, *, move: bool, folder: str | None = None) -> None:
        ids, paths = self._selection()
        if not paths:
            self._message(translate("Commands", "Select photos first."))
            return
        folder = folder or QFileDialog.getExistingDirectory(
            self.window,
            translate("Commands", "Move photos to")
            if move
            else translate("Commands", "Copy photos to"),
        )
        if not folder:
            return
        if move:
            self.move_photos(ids, folder)
            return
        self.ctx.runner.run_task(
            lambda: copy_files(paths, folder),
            lambda report: self._message(report.summary("Copied")),
            self._failed("Copying failed"),
        )

    def move_photos(self, ids: list[int], folder: str, *, add_root: bool = False) -> None:
        """Move through the Library (same ids: decisions and albums stay); a folder outside
        the library is added as a library folder first, if the user agrees."""

        def move(lib):
            if add_root:
                lib.add_roots([folder])
            return lib.move_photos(ids, folder)

        def done(report) -> None:
            text = translate("Commands", "Moved %n photo(s)", "", len(report.moved))
            if report.failed:
                source, reason = report.failed[0]
                text += translate("Commands", "; {0} failed ({1}: {2})").format(
                    len(report.failed), source, reason
                )
            self._message(text)
            self.ctx.changed.emit()
            self.window.browser.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OutsideLibraryError) and not add_root:
                if self._confirm(
                    translate("Commands", "Move to Folder"),
                    translate(
                        "Commands",
                        "{0} is not one of the library's folders. Add it as a library folder"
                        " and move the photos there? (Otherwise their tags and albums would be"
                        " lost.)",
                    ).format(folder),
                ):
                    self.move_photos(ids, folder, add_root=True)
                return
            self._message(translate("Commands", "Moving failed: {0}").format(exc), 12000)

        self.ctx.call(move, done, failed)

    def export_selected(self, folder: str | None = None) -> None:
        ids, paths = self._selection()
        if not ids:
            self._message(translate("Commands", "Select photos first."))
            return
        folder = folder or QFileDialog.getExistingDirectory(
            self.window, translate("Commands", "Export photos to")
        )
        if not folder:
            return
        photos = list(zip(ids, paths, strict=True))
        self.ctx.call(
            lambda lib: export_jpegs(lambda i: lib.preview(i, 2048), photos, folder),
            lambda report: self._message(report.summary("Exported")),
            self._failed(translate("Commands", "Export failed")),
        )

    def write_sidecars(self) -> None:
        ids, paths = self._selection()
        if not ids:
            self._message(translate("Commands", "Select photos first."))
            return
        folders = {os.path.dirname(p) for p in paths}
        watcher = self.window.watcher
        watcher.mute(folders)  # our own sidecars are no change to rescan for

        def export(lib) -> tuple[int, list[tuple[str, str]]]:
            errors: list[tuple[str, str]] = []
            written = lib.tagging.export_xmp(ids, errors=errors)
            written += lib.people.write_regions(ids, errors=errors)  # named faces
            return written, errors

        def done(result: tuple[int, list[tuple[str, str]]]) -> None:
            watcher.unmute(folders)
            written, errors = result
            text = QCoreApplication.translate("Commands", "Wrote %n XMP sidecar(s)", None, written)
            if errors:
                text += f"; {len(errors)} failed ({errors[0][0]}: {errors[0][1]})"
            self._message(text)

        def failed(exc: BaseException) -> None:
            watcher.unmute(folders)
            self._message(translate("Commands", "Writing sidecars failed: {0}").format(exc), 12000)

        self.ctx.call(export, done, failed)
