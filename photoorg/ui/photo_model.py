"""The grid's item model: one row per photo, built off the GUI thread.

``PhotoRows`` is made by a worker from the Library's hits (names split off, the id to
row map built), so ``data()`` does nothing per call but index lists and look up the
thumbnail cache.

Why the base class is QStringListModel (holding nothing but empty strings): laying out
a list view calls ``rowCount`` several times per row, and a Python ``rowCount`` costs
microseconds per call through the bindings; for 100,000 photos that froze the window
for seconds. Inheriting the count, ``index`` and ``parent`` from C++ keeps Python out
of the layout; only ``data`` and ``flags`` of the rows on screen reach Python.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QUrl,
)
from PySide6.QtGui import QColor, QPainter, QPixmap

from photoorg.ui.text import tooltip
from photoorg.ui.thumbnails import ThumbnailCache

IDS_MIME = "application/x-photoorg-photo-ids"
"""Our own drag payload (photo ids as JSON), so a drop on an album needs no path look-up."""

PhotoIdRole = Qt.ItemDataRole.UserRole + 1
PathRole = Qt.ItemDataRole.UserRole + 2
ScoreRole = Qt.ItemDataRole.UserRole + 3
TakenAtRole = Qt.ItemDataRole.UserRole + 4

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class PhotoRows:
    """What the grid shows; plain data, safe to build on a worker."""

    ids: Sequence[int] = ()
    paths: Sequence[str] = ()
    names: Sequence[str] = ()
    scores: Sequence[float] = ()
    taken: Sequence[str] = ()
    scored: bool = False  # search results (a score means something) or a plain listing
    row_of: dict[int, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


def rows_from_hits(hits: Iterable, *, scored: bool) -> PhotoRows:
    """Worker side: ``Hit``-like objects (id, path, score, taken_at) to ``PhotoRows``."""
    ids, paths, names, scores, taken = [], [], [], [], []
    for hit in hits:
        ids.append(hit.id)
        paths.append(hit.path)
        names.append(os.path.basename(hit.path))
        scores.append(hit.score)
        taken.append(hit.taken_at or "")
    return PhotoRows(ids, paths, names, scores, taken, scored, {i: r for r, i in enumerate(ids)})


class PhotoListModel(QStringListModel):
    def __init__(self, thumbnails: ThumbnailCache, parent=None) -> None:
        super().__init__(parent)
        self._rows = PhotoRows()
        self._thumbnails = thumbnails
        self._placeholder = QPixmap()
        thumbnails.ready.connect(self._on_thumbnails_ready)

    # -- content ------------------------------------------------------------------------

    @property
    def rows(self) -> PhotoRows:
        return self._rows

    def set_rows(self, rows: PhotoRows) -> None:
        self.beginResetModel()
        # The C++ list only provides the row count: n empty strings, made without a
        # single Python call. Its own insert signals are silenced inside our reset.
        blocked = self.blockSignals(True)
        try:
            old = self.rowCount()
            if old:
                self.removeRows(0, old)
            if len(rows):
                self.insertRows(0, len(rows))
        finally:
            self.blockSignals(blocked)
        self._rows = rows
        self.endResetModel()

    def set_placeholder(self, pixmap: QPixmap) -> None:
        self._placeholder = pixmap

    def photo_id(self, row: int) -> int:
        return self._rows.ids[row]

    def path(self, row: int) -> str:
        return self._rows.paths[row]

    def row_of(self, photo_id: int) -> int | None:
        return self._rows.row_of.get(photo_id)

    def name(self, row: int) -> str:
        return self._rows.names[row]

    def date_text(self, row: int) -> str:
        """'2019-07-14 16:02' from the photo's date (taken, else the file's), or ''."""
        return self._rows.taken[row][:16].replace("T", " ")

    def score(self, row: int) -> float | None:
        return self._rows.scores[row] if self._rows.scored else None

    def thumbnail(self, row: int) -> QPixmap:
        """The cached thumbnail, else the placeholder (and a load is queued)."""
        return self._thumbnails.pixmap(self._rows.ids[row]) or self._placeholder

    def _on_thumbnails_ready(self, photo_ids: list[int]) -> None:
        # One signal per contiguous run of rows, never one wide range: an icon-mode view
        # re-measures every row of the range, and the ids of a batch may be far apart.
        rows = sorted(r for r in (self._rows.row_of.get(i) for i in photo_ids) if r is not None)
        roles = [Qt.ItemDataRole.DecorationRole]
        start = previous = None
        for row in rows:
            if start is None:
                start = previous = row
            elif row == previous + 1:
                previous = row
            else:
                self.dataChanged.emit(self.index(start), self.index(previous), roles)
                start = previous = row
        if start is not None:
            self.dataChanged.emit(self.index(start), self.index(previous), roles)

    # -- QAbstractItemModel (rowCount, index and parent stay in C++) -----------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        rows = self._rows
        if row >= len(rows.ids):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return rows.names[row]
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnail(row)
        if role == PhotoIdRole:
            return rows.ids[row]
        if role == PathRole:
            return rows.paths[row]
        if role == ScoreRole:
            return rows.scores[row] if rows.scored else None
        if role == TakenAtRole:
            return rows.taken[row]
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [rows.paths[row], rows.taken[row][:19].replace("T", " ")]
            if rows.scored:
                lines.append(f"score {rows.scores[row]:.3f}")
            return tooltip(*lines)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # -- dragging photos out ----------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list", IDS_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """File URLs for other applications, ids for our own albums."""
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(self._rows.paths[r]) for r in rows])
        ids = [self._rows.ids[r] for r in rows]
        mime.setData(IDS_MIME, QByteArray(json.dumps(ids).encode()))
        return mime


def ids_from_mime(mime: QMimeData) -> list[int]:
    """The photo ids of one of our drags, or [] for anything else."""
    if not mime.hasFormat(IDS_MIME):
        return []
    try:
        ids = json.loads(bytes(mime.data(IDS_MIME).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [i for i in ids if isinstance(i, int)]


def placeholder_pixmap(size: int, color: QColor) -> QPixmap:
    """The grey square shown until a thumbnail arrives."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    inset = size // 8
    painter.drawRoundedRect(inset, inset, size - 2 * inset, size - 2 * inset, 6, 6)
    painter.end()
    return pixmap
