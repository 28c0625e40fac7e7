"""The sidebar's PLACES and EVENTS sections (kept apart: the sidebar is long enough).

PLACES is a tree country -> region -> city with photo counts, each node a ``place`` scope
(its name goes to the place: filter). EVENTS lists events newest first, each with its
cover photo as icon once the thumbnail has loaded, each an ``event`` scope.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QTreeWidgetItem

from photoorg.services.places import PlaceNode
from photoorg.ui.text import tooltip

# add(parent, text, kind, value, count) -> the new item (the sidebar's own item factory)
AddItem = Callable[..., QTreeWidgetItem]


@dataclass(frozen=True)
class EventEntry:
    id: int
    name: str
    photos: int
    cover_photo_id: int | None


def fill_places(section: QTreeWidgetItem, nodes: Sequence[PlaceNode], add: AddItem) -> None:
    """Items for ``nodes`` under ``section`` (the caller has cleared it)."""

    def place(parent: QTreeWidgetItem, node: PlaceNode) -> None:
        item = add(parent, node.name, "place", node.filter_name, node.photos)
        lines = [node.name] + ([node.name_zh] if node.name_zh else [])
        item.setToolTip(0, tooltip(*lines, f"{node.photos:,} photos"))
        for child in node.children:
            place(item, child)

    for node in nodes:
        place(section, node)


def fill_events(
    section: QTreeWidgetItem, entries: Sequence[EventEntry], add: AddItem
) -> dict[int, QTreeWidgetItem]:
    """Items for ``entries`` (newest first, as given); returns cover photo id -> item."""
    covers: dict[int, QTreeWidgetItem] = {}
    for entry in entries:
        item = add(section, entry.name, "event", str(entry.id), entry.photos)
        item.setToolTip(0, tooltip(entry.name, f"{entry.photos:,} photos"))
        if entry.cover_photo_id is not None:
            covers[entry.cover_photo_id] = item
    return covers


def set_cover(item: QTreeWidgetItem, pixmap: QPixmap) -> None:
    item.setIcon(0, QIcon(pixmap))
