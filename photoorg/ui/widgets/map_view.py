"""The map view: the world's outlines and the photos' positions, clustered, offline.

Drawn with QGraphicsView from the outlines shipped in resources/map (Natural Earth, no web
tiles). The scene is in degrees (x = longitude, y = -latitude: a plain equirectangular
map); zooming is the view's transform. Clusters keep a constant size on screen and are
regrouped when the zoom changes, so they split as one zooms in. Clicking a cluster emits
its photo ids: the window shows those photos in the grid.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from photoorg.services.world_map import Cluster, cluster_positions, outlines

translate = QCoreApplication.translate

CLUSTER_CELL_PX = 44  # photos closer than about this on screen share a cluster
MIN_RADIUS, MAX_RADIUS = 9.0, 22.0
MAX_ZOOM = 4000.0  # pixels per degree: a few streets
WORLD = QRectF(-180, -90, 360, 180)
LAND = QColor("#dfe6d8")
BORDER = QColor("#9aa58f")
SEA = QColor("#c9dceb")
DOT = QColor("#d9534f")


def _world_path() -> QPainterPath:
    """Every country's rings in one path; a ring that passes +-180 is drawn once more
    shifted by 360 degrees, and the scene rect clips what falls off the map."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for outline in outlines():
        for ring in outline.rings:
            lons = [lon for lon, _ in ring]
            shifts = (
                [0.0]
                + ([-360.0] if max(lons) > 180 else [])
                + ([360.0] if min(lons) < -180 else [])
            )
            for shift in shifts:
                path.moveTo(ring[0][0] + shift, -ring[0][1])
                for lon, lat in ring[1:]:
                    path.lineTo(lon + shift, -lat)
                path.closeSubpath()
    return path


class ClusterItem(QGraphicsEllipseItem):
    """A red disc with the number of photos it stands for; same size at every zoom."""

    def __init__(self, cluster: Cluster) -> None:
        count = len(cluster.photo_ids)
        radius = min(MAX_RADIUS, MIN_RADIUS + 3.0 * (len(str(count)) - 1) + count**0.25)
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.cluster = cluster
        self.setPos(cluster.lon, -cluster.lat)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setBrush(QBrush(DOT))
        self.setPen(QPen(QColor("white"), 1.5))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(10 + count)
        self.setToolTip(QCoreApplication.translate("ClusterItem", "%n photo(s)", None, count))
        label = QGraphicsSimpleTextItem(f"{count:,}", self)
        font = QFont()
        font.setPointSizeF(7.5)
        font.setBold(True)
        label.setFont(font)
        label.setBrush(QBrush(QColor("white")))
        box = label.boundingRect()
        label.setPos(-box.width() / 2, -box.height() / 2)


class MapView(QGraphicsView):
    cluster_chosen = Signal(list)  # photo ids of the clicked cluster

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapView")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(QBrush(SEA))
        self._scene = QGraphicsScene(WORLD, self)
        self.setScene(self._scene)
        land = QGraphicsPathItem(_world_path())
        land.setBrush(QBrush(LAND))
        pen = QPen(BORDER, 0)  # cosmetic: one pixel at every zoom
        land.setPen(pen)
        self._scene.addItem(land)
        self._positions: list[tuple[int, float, float]] = []
        self._items: list[ClusterItem] = []
        self._cell: float | None = None
        self._fitted = False

    # -- data -------------------------------------------------------------------------------

    def set_positions(self, positions: Sequence[tuple[int, float, float]]) -> None:
        """Photos as (id, latitude, longitude)."""
        self._positions = list(positions)
        self._cell = None
        self._regroup()

    @property
    def clusters(self) -> list[ClusterItem]:
        return list(self._items)

    def zoom_to(self, lat: float, lon: float, pixels_per_degree: float) -> None:
        self.resetTransform()
        self.scale(pixels_per_degree, pixels_per_degree)
        self.centerOn(lon, -lat)
        self._fitted = True
        self._regroup()

    def fit_world(self) -> None:
        self.fitInView(WORLD, Qt.AspectRatioMode.KeepAspectRatio)
        self._regroup()

    def position_of(self, item: ClusterItem) -> QPointF:
        """Where ``item`` is in viewport pixels (for tests and tooltips)."""
        return QPointF(self.mapFromScene(item.pos()))

    # -- zoom and clusters --------------------------------------------------------------------

    def _pixels_per_degree(self) -> float:
        return max(self.transform().m11(), 1e-6)

    def _regroup(self) -> None:
        cell = CLUSTER_CELL_PX / self._pixels_per_degree()
        if self._cell is not None and abs(cell - self._cell) < 1e-9 * max(cell, 1):
            return
        self._cell = cell
        for item in self._items:
            self._scene.removeItem(item)
        self._items = [ClusterItem(c) for c in cluster_positions(self._positions, cell)]
        for item in self._items:
            self._scene.addItem(item)

    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        zoom = self._pixels_per_degree()
        smallest = min(self.viewport().width() / 360, self.viewport().height() / 180)
        factor = max(smallest / zoom, min(MAX_ZOOM / zoom, factor))
        self.scale(factor, factor)
        self._regroup()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._fitted:
            self.fit_world()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            for item in self.items(event.position().toPoint()):
                while item is not None and not isinstance(item, ClusterItem):
                    item = item.parentItem()
                if isinstance(item, ClusterItem):
                    self.cluster_chosen.emit(list(item.cluster.photo_ids))
                    event.accept()
                    return
        super().mousePressEvent(event)
