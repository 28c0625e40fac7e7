"""The thumbnail grid: a QListView in icon mode with a painting delegate.

Smooth at 100,000 rows because every cell has the same size (``uniformItemSizes``: the
view never asks each row for its size), the layout runs in batches, the model's row
count stays in C++ (see ``photo_model``), and the delegate only blits a pre-scaled
pixmap and draws one elided line of plain text.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QKeyEvent, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from photoorg.ui.photo_model import PhotoListModel, placeholder_pixmap

DEFAULT_THUMBNAIL = 160
MIN_THUMBNAIL = 96
MAX_THUMBNAIL = 320
PADDING = 8
TEXT_GAP = 4


class ThumbnailDelegate(QStyledItemDelegate):
    """A rounded card: thumbnail, then the file name elided to one line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbnail_size = DEFAULT_THUMBNAIL
        self.show_scores = False

    def cell_size(self, metrics: QFontMetrics) -> QSize:
        side = self.thumbnail_size + 2 * PADDING
        return QSize(side, side + TEXT_GAP + 2 * metrics.height())  # name, then date

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        return self.cell_size(option.fontMetrics)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = rect.adjusted(2, 2, -2, -2)
        if selected:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            fill = QColor(palette.color(QPalette.ColorRole.Highlight))
            fill.setAlpha(60)
            painter.setBrush(fill)
            painter.drawRoundedRect(card, 8, 8)
        elif hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
            painter.drawRoundedRect(card, 8, 8)

        # Read the model directly, not through index.data(): faster, and PySide6 6.12 on
        # Python 3.11 loses a reference to None each time index.data() returns nothing
        # (an invalid QVariant), which eventually aborts the interpreter.
        model = index.model()
        row = index.row()
        if not isinstance(model, PhotoListModel) or not 0 <= row < len(model.rows):
            painter.restore()
            return
        side = self.thumbnail_size
        pixmap = model.thumbnail(row)
        if not pixmap.isNull():
            # The cache is shared with grids of other sizes (the label editor's preview is
            # smaller than the main grid): fit the square, never over the name below it.
            scale = min(1.0, side / max(pixmap.width(), pixmap.height()))
            width, height = round(pixmap.width() * scale), round(pixmap.height() * scale)
            x = rect.x() + PADDING + (side - width) // 2
            y = rect.y() + PADDING + (side - height) // 2
            painter.drawPixmap(QRect(x, y, width, height), pixmap)

        metrics = option.fontMetrics
        text_rect = QRect(
            rect.x() + PADDING, rect.y() + PADDING + side + TEXT_GAP, side, metrics.height()
        )
        name = model.name(row)
        if self.show_scores:
            score = model.score(row)
            if score is not None:
                name = f"{score:.2f} · {name}"
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        # drawText with a plain string never interprets markup.
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, side),
        )
        # The date under the name: date sorting can be checked by eye.
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            text_rect.translated(0, metrics.height()),
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(model.date_text(row), Qt.TextElideMode.ElideRight, side),
        )
        if option.state & QStyle.StateFlag.State_HasFocus and not selected:
            painter.setPen(
                QPen(palette.color(QPalette.ColorRole.Highlight), 1, Qt.PenStyle.DashLine)
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(card, 8, 8)
        painter.restore()


class PhotoGrid(QListView):
    """Thumbnails of a ``PhotoListModel``; Enter opens, Space previews."""

    open_requested = Signal(QModelIndex)
    preview_requested = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoGrid")
        self._delegate = ThumbnailDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setMovement(QListView.Movement.Static)  # no free placement of icons
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        # Lay out in slices between event-loop turns, so 100,000 arriving rows never
        # freeze the window; the first screenful is laid out first.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(5000)
        self.setSpacing(0)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setMouseTracking(True)
        # setMovement(Static) switches dragging off; photos are dragged out as files.
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.activated.connect(self.open_requested)
        self._apply_size()

    # -- size -----------------------------------------------------------------------------

    @property
    def thumbnail_size(self) -> int:
        return self._delegate.thumbnail_size

    def set_thumbnail_size(self, size: int) -> None:
        size = max(MIN_THUMBNAIL, min(MAX_THUMBNAIL, size))
        if size != self._delegate.thumbnail_size:
            self._delegate.thumbnail_size = size
            self._apply_size()

    def set_show_scores(self, show: bool) -> None:
        self._delegate.show_scores = show
        self.viewport().update()

    def _apply_size(self) -> None:
        cell = self._delegate.cell_size(self.fontMetrics())
        self.setGridSize(cell)
        self.verticalScrollBar().setSingleStep(cell.height() // 3)
        model = self.model()
        if isinstance(model, PhotoListModel):
            model.set_placeholder(self._placeholder())
        self.doItemsLayout()

    def _placeholder(self) -> QPixmap:
        color = QColor(self.palette().color(QPalette.ColorRole.Mid))
        color.setAlpha(90)
        return placeholder_pixmap(self._delegate.thumbnail_size, color)

    def setModel(self, model) -> None:
        super().setModel(model)
        if isinstance(model, PhotoListModel):
            model.set_placeholder(self._placeholder())

    # -- selection helpers ----------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.selectionModel().selectedIndexes())

    def current_row(self) -> int | None:
        index = self.currentIndex()
        return index.row() if index.isValid() else None

    def select_row(self, row: int) -> None:
        index = self.model().index(row, 0)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    # -- keys -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            index = self.currentIndex()
            if index.isValid():
                self.preview_requested.emit(QModelIndex(index))
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.open_requested.emit(QModelIndex(index))
            event.accept()
            return
        super().keyPressEvent(event)
