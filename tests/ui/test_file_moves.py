"""Move to Folder goes through the Library: a folder outside the library is added first
(if the user agrees), and the photos keep their ids, decisions and album places."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import INDEX_TIMEOUT, START_TIMEOUT, wait_idle


def _window_with_photos(qtbot, make_window, tmp_path, shared_library):
    photos = tmp_path / "photos"
    photos.mkdir()
    for source in sorted(Path(shared_library.photos, "scenes").glob("*.jpg"))[:3]:
        shutil.copy2(source, photos / source.name)
    window = make_window(tmp_path / "catalog")
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT):
        window.indexing.index([str(photos)])
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 3, timeout=START_TIMEOUT)
    return window


def test_moving_outside_the_library_adds_the_folder_and_keeps_the_photo(
    qtbot, make_window, tmp_path, shared_library, monkeypatch
):
    window = _window_with_photos(qtbot, make_window, tmp_path, shared_library)
    photo_id, old_path = window.browser.model.photo_id(0), window.browser.model.path(0)
    window.ctx.call(lambda lib: (lib.albums.create("Best"), lib.albums.add("Best", [photo_id])))
    qtbot.waitUntil(lambda: window.ctx.runner.busy == 0, timeout=START_TIMEOUT)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    asked: list[str] = []

    def answer(_parent, _title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr("photoorg.ui.command_base.QMessageBox.question", answer)
    window.browser.grid.select_row(0)
    window.commands.transfer_selected(move=True, folder=str(outside))
    qtbot.waitUntil(lambda: any(outside.iterdir()), timeout=START_TIMEOUT)
    qtbot.waitUntil(lambda: window.ctx.runner.busy == 0, timeout=START_TIMEOUT)
    assert asked and "library" in asked[0]
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT) as finished:
        window.rescan()  # what the folder watcher would start
    assert finished.args[0]["removed"] == 0
    library = window.ctx.library
    moved = next(outside.iterdir())
    assert library.photo_id(moved) == photo_id and not Path(old_path).exists()
    assert [hit.id for hit in library.albums.photos("Best")] == [photo_id]
    assert str(outside.resolve()) in [root.path for root in library.roots()]


def test_declining_to_add_the_folder_moves_nothing(
    qtbot, make_window, tmp_path, shared_library, monkeypatch
):
    window = _window_with_photos(qtbot, make_window, tmp_path, shared_library)
    path = window.browser.model.path(0)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.setattr(
        "photoorg.ui.command_base.QMessageBox.question",
        lambda *a, **k: QMessageBox.StandardButton.No,
    )
    window.browser.grid.select_row(0)
    window.commands.transfer_selected(move=True, folder=str(outside))
    qtbot.waitUntil(lambda: window.ctx.runner.busy == 0, timeout=START_TIMEOUT)
    assert Path(path).is_file() and not any(outside.iterdir())
