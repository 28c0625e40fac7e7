"""A picture scaled to fit its widget, centred, never enlarged past 2x."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget


class PreviewCanvas(QWidget):
    """Paints a pixmap scaled to fit, centred, never enlarged past 2x."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewCanvas")
        self._pixmap = QPixmap()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)

    def set_pixmap(self, pixmap: QPixmap) -> None:
        self._pixmap = pixmap
        self.update()

    def pixmap(self) -> QPixmap:
        return self._pixmap

    def sizeHint(self) -> QSize:
        return QSize(800, 600)

    def target_rect(self) -> QRectF | None:
        """Where the picture is drawn (None while there is none)."""
        if self._pixmap.isNull():
            return None
        area = self.rect().adjusted(12, 12, -12, -12)
        size = self._pixmap.size()
        scale = min(area.width() / size.width(), area.height() / size.height(), 2.0)
        w, h = size.width() * scale, size.height() * scale
        return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)

    def paintEvent(self, _event) -> None:
        target = self.target_rect()
        if target is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(target, self._pixmap, QRectF(self._pixmap.rect()))
