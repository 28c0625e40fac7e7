"""The sidebar: library roots and folders, people, labels with counts, albums, saved searches.

Selecting an entry sets the grid's scope (a ``Scope``); dropping photos from the grid
onto a manual album adds them to it. Refreshing keeps the selection and the expanded
folders, so the tree does not jump while photos stream in.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QStyle, QTreeWidget, QTreeWidgetItem, QWidget

from photoorg.services.places import PlaceNode
from photoorg.ui.i18n import label_names
from photoorg.ui.photo_model import ids_from_mime
from photoorg.ui.text import tooltip
from photoorg.ui.widgets.sidebar_places import EventEntry, fill_events, fill_places, set_cover

translate = QCoreApplication.translate

ScopeRole = Qt.ItemDataRole.UserRole + 10
SELECTABLE = ("all", "folder", "person", "label", "album", "search", "place", "event", "photos")


@dataclass(frozen=True)
class Scope:
    """What the grid is limited to before the search field narrows it further."""

    kind: str = "all"  # all | folder | person | label | album | search | place | event
    # | photos | similar (photos like the photo:ID terms in ``query``; ``value`` names it)
    value: str = ""  # a folder path, person's name, label, album or place name, an event id
    query: str = ""  # a saved search's query; photo:ID terms (similar)
    label: str = ""  # the title when the value is no name (an event's, a map cluster's)
    photo_ids: tuple[int, ...] = ()  # photos: those chosen on the map

    @property
    def title(self) -> str:
        if self.label:
            return self.label
        if self.kind == "all":
            return translate("Sidebar", "All photos")
        if self.kind == "folder":
            return os.path.basename(self.value.rstrip(os.sep)) or self.value
        if self.kind == "similar":
            return translate("Sidebar", "Photos like {0}").format(self.value)
        return self.value


ALL = Scope()


@dataclass(frozen=True)
class AlbumEntry:
    name: str
    query: str | None = None  # a smart album (saved search) when set
    count: int | None = None


@dataclass(frozen=True)
class PersonEntry:
    name: str
    photos: int
    thumbnail: bytes | None = None  # JPEG of the person's cover face


@dataclass(frozen=True)
class LabelEntry:
    name: str
    parent: str | None
    count: int
    keyword: bool = False  # from files (a disabled label): shown apart from zero-shot labels


class Sidebar(QTreeWidget):
    scope_changed = Signal(object)  # Scope
    photos_dropped = Signal(str, list)  # album name, photo ids
    context_requested = Signal(object, QPoint)  # Scope, global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setHeaderHidden(True)
        self.setColumnCount(2)
        self.setRootIsDecorated(True)
        self.setIndentation(14)
        self.setUniformRowHeights(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, self.header().ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, self.header().ResizeMode.ResizeToContents)
        style = self.style()
        self._folder_icon = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        self._drive_icon = style.standardIcon(QStyle.StandardPixmap.SP_DriveHDIcon)
        self._sections: dict[str, QTreeWidgetItem] = {}
        for key, title in (
            ("library", translate("Sidebar", "LIBRARY")),
            ("people", translate("Sidebar", "PEOPLE")),
            ("places", translate("Sidebar", "PLACES")),
            ("events", translate("Sidebar", "EVENTS")),
            ("labels", translate("Sidebar", "LABELS")),
            ("keywords", translate("Sidebar", "KEYWORDS")),
            ("albums", translate("Sidebar", "ALBUMS")),
            ("searches", translate("Sidebar", "SAVED SEARCHES")),
        ):
            item = QTreeWidgetItem(self, [title])
            # Every item carries a Scope: reading an unset role returns an empty QVariant,
            # which PySide6 6.12 on Python 3.11 turns into a None it does not own.
            item.setData(0, ScopeRole, Scope("section", key))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, title.title())
            font = item.font(0)
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 0.85)
            item.setFont(0, font)
            item.setExpanded(True)
            self._sections[key] = item
        self._all_item = self._add(
            self._sections["library"], translate("Sidebar", "All photos"), ALL
        )
        self._children = {}
        self._totals = {}
        self._folder_items = {}
        self._populated = set()
        self._covers: dict[int, QTreeWidgetItem] = {}
        self._sections["places"].setHidden(True)  # until photos with places arrive
        self._sections["events"].setHidden(True)
        self.currentItemChanged.connect(self._on_current_changed)
        self.itemExpanded.connect(self._on_expanded)
        self._all_item.setSelected(True)
        self.setCurrentItem(self._all_item)

    # -- building -------------------------------------------------------------------------

    def _add(self, parent: QTreeWidgetItem, text: str, scope: Scope, count: int | None = None):
        item = QTreeWidgetItem(parent, [text, f"{count:,}" if count is not None else ""])
        item.setData(0, ScopeRole, scope)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def _clear_section(self, key: str, keep: QTreeWidgetItem | None = None) -> None:
        section = self._sections[key]
        for i in reversed(range(section.childCount())):
            if section.child(i) is not keep:
                section.takeChild(i)

    def _hint(self, key: str, text: str) -> None:
        item = QTreeWidgetItem(self._sections[key], [text])
        item.setData(0, ScopeRole, Scope("hint", key))
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setDisabled(True)

    def set_library(
        self, roots: Sequence[tuple[str, bool]], folders: Sequence[tuple[str, int]], total: int
    ) -> None:
        """Roots (path, online) and folders (path, photo count) under them."""
        expanded = self._expanded_scopes()
        with _Keep(self):
            self._clear_section("library", keep=self._all_item)
            self._children: dict[str, list[str]] = {}
            self._totals: dict[str, int] = {}
            self._folder_items: dict[str, QTreeWidgetItem] = {}
            self._populated: set[str] = set()
            self._all_item.setText(1, f"{total:,}")
            for root, online in roots:
                self._add_root(root, online, folders)
            if not roots:
                self._hint("library", translate("Sidebar", "No folders yet: File ▸ Add Folder…"))
        self._restore_expanded(expanded)

    def _add_root(self, root: str, online: bool, folders: Sequence[tuple[str, int]]) -> None:
        prefix = root.rstrip(os.sep) + os.sep
        inside = [(f, n) for f, n in folders if f == root or f.startswith(prefix)]
        name = os.path.basename(root.rstrip(os.sep)) or root
        if not online:
            name += " (offline)"
        # Folder counts include subfolders, so each node says what selecting it shows.
        totals: dict[str, int] = {root: 0}
        for folder, count in inside:
            node = folder
            while True:
                totals[node] = totals.get(node, 0) + count
                if node == root or not node.startswith(prefix):
                    break
                node = os.path.dirname(node)
        for folder in sorted(totals):
            if folder != root:
                self._children.setdefault(os.path.dirname(folder), []).append(folder)
        self._totals.update(totals)
        root_item = self._add(self._sections["library"], name, Scope("folder", root), totals[root])
        root_item.setIcon(0, self._drive_icon)
        root_item.setToolTip(0, tooltip(root))
        self._folder_items[root] = root_item
        self._populate(root)

    def _populate(self, folder: str) -> None:
        """Create the items of ``folder``'s subfolders, once: a library of 100,000
        photos has thousands of folders, and most are never looked at."""
        item = self._folder_items.get(folder)
        if item is None or folder in self._populated:
            return
        self._populated.add(folder)
        for child in self._children.get(folder, []):
            child_item = self._add(
                item, os.path.basename(child), Scope("folder", child), self._totals.get(child)
            )
            child_item.setIcon(0, self._folder_icon)
            child_item.setToolTip(0, tooltip(child))
            if self._children.get(child):
                child_item.setChildIndicatorPolicy(
                    QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator
                )
            self._folder_items[child] = child_item

    def _on_expanded(self, item: QTreeWidgetItem) -> None:
        scope = item.data(0, ScopeRole)
        if isinstance(scope, Scope) and scope.kind == "folder":
            self._populate(scope.value)

    def _reveal_folder(self, folder: str) -> None:
        """Create the items on the way down to ``folder`` (for selecting it)."""
        chain = []
        node = folder
        while node not in self._folder_items and node != os.path.dirname(node):
            chain.append(node)
            node = os.path.dirname(node)
        self._populate(node)
        for ancestor in reversed(chain):
            self._populate(os.path.dirname(ancestor))

    def set_labels(self, labels: Sequence[LabelEntry]) -> None:
        """Labels with counts, children under their parents; keywords from files apart."""
        expanded = self._expanded_scopes()
        with _Keep(self):
            for key, keyword in (("labels", False), ("keywords", True)):
                self._clear_section(key)
                entries = [e for e in labels if e.keyword == keyword]
                self._add_label_tree(self._sections[key], entries)
            if not any(not e.keyword for e in labels):
                self._hint("labels", translate("Sidebar", "No labels yet"))
            self._sections["keywords"].setHidden(not any(e.keyword for e in labels))
        self._restore_expanded(expanded)

    def _add_label_tree(self, section: QTreeWidgetItem, labels: Sequence[LabelEntry]) -> None:
        items: dict[str, QTreeWidgetItem] = {}
        by_name = {entry.name: entry for entry in labels}
        # The default labels' names in the window's language; the scope keeps the real
        # name (queries and prompts use it).
        shown = label_names(QLocale().name())
        # Parents first, so children find them; a parent that is not here is a group.
        for entry in sorted(labels, key=lambda e: (e.parent is not None, e.name.lower())):
            parent = items.get(entry.parent or "", section)
            if entry.parent and entry.parent not in by_name and entry.parent not in items:
                parent = items[entry.parent] = self._add(
                    section, shown.get(entry.parent, entry.parent), Scope("label", entry.parent)
                )
            items[entry.name] = self._add(
                parent, shown.get(entry.name, entry.name), Scope("label", entry.name), entry.count
            )

    def set_people(self, people: Sequence[PersonEntry]) -> None:
        """Named people with their face and how many photos show them."""
        with _Keep(self):
            self._clear_section("people")
            for person in sorted(people, key=lambda p: p.name.lower()):
                item = self._add(
                    self._sections["people"], person.name, Scope("person", person.name),
                    person.photos,
                )  # fmt: skip
                pixmap = QPixmap()
                if person.thumbnail and pixmap.loadFromData(person.thumbnail):
                    item.setIcon(0, QIcon(pixmap))
            if not people:
                self._hint("people", translate("Sidebar", "Name people in the People view"))

    def set_albums(self, albums: Sequence[AlbumEntry]) -> None:
        """Manual albums and smart ones (saved searches)."""
        with _Keep(self):
            self._clear_section("albums")
            self._clear_section("searches")
            for album in sorted(albums, key=lambda a: a.name.lower()):
                if album.query:
                    item = self._add(
                        self._sections["searches"],
                        album.name,
                        Scope("search", album.name, album.query),
                        album.count,
                    )
                    item.setToolTip(0, tooltip(album.query))
                else:
                    item = self._add(
                        self._sections["albums"],
                        album.name,
                        Scope("album", album.name),
                        album.count,
                    )
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsDropEnabled)
            if not any(not a.query for a in albums):
                self._hint("albums", translate("Sidebar", "Drag photos onto an album"))
            if not any(a.query for a in albums):
                self._hint("searches", translate("Sidebar", "Save a search from the search field"))

    def _add_scope(self, parent: QTreeWidgetItem, text: str, kind: str, value: str, count):
        label = text if kind == "event" else ""
        return self._add(parent, text, Scope(kind, value, label=label), count)

    def set_places(self, nodes: Sequence[PlaceNode] | None) -> None:
        """Country -> region -> city with counts; hidden while no photo has a place."""
        self._sections["places"].setHidden(not nodes)
        expanded = self._expanded_scopes()
        with _Keep(self):
            self._clear_section("places")
            fill_places(self._sections["places"], nodes or (), self._add_scope)
        self._restore_expanded(expanded)

    def set_events(self, entries: Sequence[EventEntry] | None) -> dict[int, QTreeWidgetItem]:
        """Events newest first; returns cover photo id -> item, for ``set_cover``."""
        self._sections["events"].setHidden(not entries)
        with _Keep(self):
            self._clear_section("events")
            self._covers = fill_events(self._sections["events"], entries or (), self._add_scope)
        return dict(self._covers)

    def set_cover(self, photo_id: int, pixmap: QPixmap) -> None:
        item = self._covers.get(photo_id)
        if item is not None:
            set_cover(item, pixmap)

    # -- selection ---------------------------------------------------------------------------

    def current_scope(self) -> Scope:
        item = self.currentItem()
        scope = item.data(0, ScopeRole) if item is not None else None
        return scope if isinstance(scope, Scope) and scope.kind in SELECTABLE else ALL

    def select_scope(self, scope: Scope) -> bool:
        item = self._find(scope)
        if item is None:
            return False
        self.setCurrentItem(item)
        return True

    def _find(self, scope: Scope) -> QTreeWidgetItem | None:
        if scope.kind == "folder":
            self._reveal_folder(scope.value)
            return self._folder_items.get(scope.value)
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            found = item.data(0, ScopeRole)
            if isinstance(found, Scope) and (found.kind, found.value) == (scope.kind, scope.value):
                return item
            stack.extend(item.child(i) for i in range(item.childCount()))
        return None

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is None:
            return
        scope = current.data(0, ScopeRole)
        if isinstance(scope, Scope) and scope.kind in SELECTABLE:
            self.scope_changed.emit(scope)

    def _expanded_scopes(self) -> set[tuple[str, str]]:
        found = set()
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            scope = item.data(0, ScopeRole)
            if isinstance(scope, Scope) and item.isExpanded():
                found.add((scope.kind, scope.value))
            stack.extend(item.child(i) for i in range(item.childCount()))
        return found

    def _restore_expanded(self, expanded: set[tuple[str, str]]) -> None:
        for kind, value in sorted(expanded, key=lambda e: len(e[1])):  # parents first
            if kind == "folder" and value in self._totals:
                self._reveal_folder(value)
                self._populate(value)
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            scope = item.data(0, ScopeRole)
            if isinstance(scope, Scope) and (scope.kind, scope.value) in expanded:
                item.setExpanded(True)
            stack.extend(item.child(i) for i in range(item.childCount()))

    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        scope = item.data(0, ScopeRole) if item is not None else None
        if isinstance(scope, Scope) and scope.kind in SELECTABLE:
            self.context_requested.emit(scope, self.viewport().mapToGlobal(pos))

    # -- dropping photos on albums --------------------------------------------------------------

    def _album_at(self, pos: QPoint) -> str | None:
        item = self.itemAt(pos)
        scope = item.data(0, ScopeRole) if item is not None else None
        return scope.value if isinstance(scope, Scope) and scope.kind == "album" else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if ids_from_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._album_at(event.position().toPoint()) and ids_from_mime(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        album = self._album_at(event.position().toPoint())
        ids = ids_from_mime(event.mimeData())
        if album and ids:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.photos_dropped.emit(album, ids)
        else:
            event.ignore()


class _Keep:
    """Rebuild a section without firing scope changes, then restore the selection."""

    def __init__(self, sidebar: Sidebar) -> None:
        self._sidebar = sidebar

    def __enter__(self) -> None:
        self._scope = self._sidebar.current_scope()
        self._sidebar.blockSignals(True)

    def __exit__(self, *exc: object) -> None:
        sidebar = self._sidebar
        if not sidebar.select_scope(self._scope):
            sidebar.setCurrentItem(sidebar._all_item)
            sidebar.blockSignals(False)
            if self._scope != ALL:
                sidebar.scope_changed.emit(ALL)  # what was shown is gone
            return
        sidebar.blockSignals(False)
