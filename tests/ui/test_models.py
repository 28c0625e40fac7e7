"""The grid's item model: Qt's model checks, plain text, drags, thumbnails."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtGui import QImage, QPixmap

from photoorg.ui.photo_model import (
    IDS_MIME,
    PathRole,
    PhotoIdRole,
    PhotoListModel,
    ids_from_mime,
    rows_from_hits,
)
from photoorg.ui.runner import TaskRunner
from photoorg.ui.thumbnails import ThumbnailCache


@dataclass(frozen=True)
class FakeHit:
    id: int
    path: str
    score: float
    taken_at: str


def hits(n: int) -> list[FakeHit]:
    return [
        FakeHit(i + 1, f"/photos/<i>img&amp;_{i:03d}.jpg", 0.5 - i / 1000, "2021-05-01T10:00:00")
        for i in range(n)
    ]


@pytest.fixture
def runner():
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def model(qtbot, runner) -> PhotoListModel:
    return PhotoListModel(ThumbnailCache(runner))


def test_model_passes_qt_model_checks(qtmodeltester, model):
    model.set_rows(rows_from_hits(hits(25), scored=True))
    qtmodeltester.check(model, force_py=True)
    model.set_rows(rows_from_hits([], scored=False))
    qtmodeltester.check(model, force_py=True)


def test_data_is_plain_and_tooltips_are_escaped(model):
    model.set_rows(rows_from_hits(hits(3), scored=True))
    index = model.index(1)
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "<i>img&amp;_001.jpg"
    assert model.data(index, PhotoIdRole) == 2
    assert model.data(index, PathRole) == "/photos/<i>img&amp;_001.jpg"
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "<i>img" not in tip and "&lt;i&gt;img&amp;amp;_001" in tip
    assert model.data(QModelIndex(), Qt.ItemDataRole.DisplayRole) is None


def test_drag_carries_file_urls_and_ids(model):
    model.set_rows(rows_from_hits(hits(5), scored=False))
    mime = model.mimeData([model.index(3), model.index(0)])
    assert [u.toLocalFile() for u in mime.urls()] == [
        "/photos/<i>img&amp;_000.jpg",
        "/photos/<i>img&amp;_003.jpg",
    ]
    assert ids_from_mime(mime) == [1, 4]
    assert ids_from_mime(QMimeData()) == []
    junk = QMimeData()
    junk.setData(IDS_MIME, b"not json")
    assert ids_from_mime(junk) == []


def test_thumbnails_load_off_the_gui_thread_and_update_the_row(qtbot, model, tmp_path):
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    thumb = tmp_path / "thumb.jpg"
    assert image.save(str(thumb))
    cache = model._thumbnails
    cache.set_size(150)
    cache.set_lookup(lambda ids: {i: str(thumb) for i in ids if i != 2})
    model.set_rows(rows_from_hits(hits(2), scored=False))
    first = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    assert isinstance(first, QPixmap)  # the placeholder, at once
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        pass
    pixmap = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    assert (pixmap.width(), pixmap.height()) == (150, 100)  # scaled on the worker
    model.data(model.index(1), Qt.ItemDataRole.DecorationRole)  # no thumbnail: stays a placeholder
    qtbot.waitUntil(lambda: 2 in cache._missing, timeout=5000)
