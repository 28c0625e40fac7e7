"""The photo view's picture with its faces: a box around each, the person's name under
it, a click on a box to name that face, and a right click for the rest (not a face,
ignore)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QWidget

from photoorg.ui.widgets.preview_canvas import PreviewCanvas


@dataclass(frozen=True)
class FaceMark:
    id: int
    box: tuple[int, int, int, int]  # x, y, w, h in upright pixels of the original
    name: str | None


def face_marks(lib, photo_id: int | None) -> list[FaceMark]:
    """Worker side: the faces to draw on a photo."""
    if photo_id is None:
        return []
    return [
        FaceMark(f.face.id, tuple(f.face.box.as_list()), f.name)  # type: ignore[arg-type]
        for f in lib.people.faces_on(photo_id)
        if f.face.decision.value in ("auto", "confirmed")
    ]


class FaceCanvas(PreviewCanvas):
    face_clicked = Signal(int, str)  # face id, its current name ("" when none)
    face_menu_requested = Signal(int, str, QPoint)  # ... and where (global) to show a menu

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._faces: list[FaceMark] = []
        self._original = (0, 0)
        self.show_faces = True

    def set_faces(self, faces: list[FaceMark], original_size: tuple[int, int]) -> None:
        self._faces, self._original = list(faces), original_size
        self.update()

    def faces(self) -> list[FaceMark]:
        return list(self._faces)

    def face_rect(self, face: FaceMark) -> QRectF | None:
        """Where ``face`` is drawn, in widget coordinates (None before the picture shows)."""
        target = self.target_rect()
        if target is None or not all(self._original):
            return None
        sx, sy = target.width() / self._original[0], target.height() / self._original[1]
        x, y, w, h = face.box
        return QRectF(target.x() + x * sx, target.y() + y * sy, w * sx, h * sy)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.show_faces or not self._faces:
            return
        painter = QPainter(self)
        for face in self._faces:
            rect = self.face_rect(face)
            if rect is None:
                return
            colour = QColor("#ffd54a") if face.name else QColor(255, 255, 255, 200)
            painter.setPen(QPen(colour, 2))
            painter.drawRect(rect)
            label = face.name or QCoreApplication.translate("FaceCanvas", "Who is this?")
            painter.drawText(
                QRectF(rect.x() - 40, rect.bottom() + 2, rect.width() + 80, 18),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextSingleLine),
                label,
            )

    def face_at(self, point: QPointF) -> FaceMark | None:
        for face in self._faces:
            rect = self.face_rect(face)
            if rect is not None and rect.contains(point):
                return face
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        face = self.face_at(event.position()) if self.show_faces else None
        if face is not None and event.button() == Qt.MouseButton.LeftButton:
            self.face_clicked.emit(face.id, face.name or "")
            return
        if face is not None and event.button() == Qt.MouseButton.RightButton:
            where = event.globalPosition().toPoint()
            self.face_menu_requested.emit(face.id, face.name or "", where)
            return
        super().mousePressEvent(event)
