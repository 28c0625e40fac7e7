"""The map view on its own: outlines drawn offline, clusters that split when zooming,
and a click on a cluster that names its photos."""

from __future__ import annotations

from PySide6.QtCore import Qt

from photoorg.ui.widgets.map_view import MapView

AREZZO = [(i, 43.46 + i * 0.001, 11.88) for i in range(1, 10)]
OTHERS = [(20, -0.37, 36.06), (21, 39.05, -94.29)]


def make_view(qtbot) -> MapView:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(900, 480)
    view.show()
    qtbot.waitExposed(view)
    view.set_positions(AREZZO + OTHERS)
    view.fit_world()
    return view


def test_clusters_on_the_world_map(qtbot) -> None:
    view = make_view(qtbot)
    sizes = sorted(len(item.cluster.photo_ids) for item in view.clusters)
    assert sizes == [1, 1, 9]
    # The map is painted from the shipped outlines: land and sea differ on screen.
    image = view.grab().toImage()
    assert len({image.pixel(x, y) for x in range(0, 900, 30) for y in range(0, 480, 30)}) > 2


def test_clicking_a_cluster_names_its_photos(qtbot) -> None:
    view = make_view(qtbot)
    arezzo = next(item for item in view.clusters if len(item.cluster.photo_ids) == 9)
    with qtbot.waitSignal(view.cluster_chosen) as chosen:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=view.position_of(arezzo).toPoint()
        )
    assert sorted(chosen.args[0]) == list(range(1, 10))


def test_zooming_in_splits_a_cluster(qtbot) -> None:
    view = make_view(qtbot)
    view.zoom_to(43.464, 11.88, 100_000)  # pixels per degree: about a metre a pixel
    assert sorted(len(item.cluster.photo_ids) for item in view.clusters)[-1] < 9
