"""Album commands: new, add to, remove from, save a search as a smart album, delete."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog

from photoorg.ui.command_base import CommandBase
from photoorg.ui.text import literal

translate = QCoreApplication.translate


class AlbumCommands(CommandBase):
    def _fill_album_menu(self) -> None:
        self.album_menu.clear()
        overview = self.window.overview
        albums = list(overview.albums or []) if overview else []
        for album in albums:
            if not album.query:
                # Menu text is plain apart from '&' (a keyboard accelerator): double it.
                action = self.album_menu.addAction(album.name.replace("&", "&&"))
                action.triggered.connect(
                    lambda _c=False, name=album.name: self.add_to_album(name, self._selection()[0])
                )
        if albums:
            self.album_menu.addSeparator()
        self.album_menu.addAction(translate("AlbumCommands", "New Album…"), self.new_album)

    def new_album(self, name: str | None = None, ids: list[int] | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(
                self.window,
                translate("AlbumCommands", "New Album"),
                translate("AlbumCommands", "Name of the new album:"),
            )
            if not ok or not name.strip():
                return
        ids = self._selection()[0] if ids is None else ids

        def create(lib) -> int:
            lib.albums.create(name)
            return lib.albums.add(name, ids) if ids else 0

        self.ctx.call(
            create,
            lambda added: (
                self._message(
                    translate(
                        "AlbumCommands", "Album “{0}” created with %n photo(s)", "", added
                    ).format(name)
                ),
                self.ctx.changed.emit(),
            ),
            self._failed(translate("AlbumCommands", "Could not create the album")),
        )

    def add_to_album(self, name: str, ids: list[int]) -> None:
        if not ids:
            return
        self.ctx.call(
            lambda lib: lib.albums.add(name, ids),
            lambda added: (
                self._message(
                    translate("AlbumCommands", "Added %n photo(s) to “{0}”", "", added).format(name)
                ),
                self.ctx.changed.emit(),
            ),
            self._failed(translate("AlbumCommands", "Could not add to the album")),
        )

    def remove_from_album(self) -> None:
        scope = self.window.browser.scope
        ids = self._selection()[0]
        if scope.kind != "album" or not ids:
            self._message(translate("AlbumCommands", "Select photos in an album first."))
            return
        self.ctx.call(
            lambda lib: lib.albums.remove(scope.value, ids),
            lambda removed: (
                self._message(
                    translate(
                        "AlbumCommands", "Removed %n photo(s) from “{0}”", "", removed
                    ).format(scope.value)
                ),
                self.ctx.changed.emit(),
                self.window.browser.refresh(),
            ),
            self._failed(translate("AlbumCommands", "Could not remove from the album")),
        )

    def save_search(self, name: str | None = None) -> None:
        query = self.window.browser.search_bar.text
        scope = self.window.browser.scope
        if scope.kind == "search" and scope.query:
            query = f"{scope.query} {query}".strip()
        if not query:
            self._message(translate("AlbumCommands", "Type a search first, then save it."))
            return
        if name is None:
            name, ok = QInputDialog.getText(
                self.window,
                translate("AlbumCommands", "Save Search"),
                literal(translate("AlbumCommands", "Name for the search “{0}”:").format(query)),
            )
            if not ok or not name.strip():
                return
        self.ctx.call(
            lambda lib: lib.albums.create(name, query=query),
            lambda _album: (
                self._message(translate("AlbumCommands", "Saved “{0}”").format(name)),
                self.ctx.changed.emit(),
            ),
            self._failed(translate("AlbumCommands", "Could not save the search")),
        )

    def delete_current_album(self) -> None:
        scope = self.window.browser.scope
        if scope.kind in ("album", "search"):
            self.delete_album(scope.value)
        else:
            self._message(translate("AlbumCommands", "Select an album in the sidebar first."))

    def delete_album(self, name: str, confirm: bool = True) -> None:
        if confirm and not self._confirm(
            translate("AlbumCommands", "Delete Album"),
            translate(
                "AlbumCommands", "Delete the album “{0}”? Its photos stay in the library."
            ).format(name),
        ):
            return
        self.ctx.call(
            lambda lib: lib.albums.delete(name),
            lambda _r: self.ctx.changed.emit(),
            self._failed(translate("AlbumCommands", "Could not delete the album")),
        )
